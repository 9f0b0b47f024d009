#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "directory/model.h"
#include "directory/service.h"
#include "profile/model.h"
#include "storage/database.h"

// Organization profile use cases (issue 4 §9, docs/organization-profile.md). No
// HTTP here.
//
// Who may do what (checked here as well as by the /pro access policy):
//  - see and edit the public profile: the organization's members, the
//  coordinators of its
//    territory, operators;
//  - ask for a new notification address or a new organization key: its members
//  only;
//  - approve or reject such a request: a coordinator of the organization's
//  territory, or an
//    operator.
// Anything else answers kNotFound, like an unknown id.
//
// Every write is one transaction holding its audit entry (and, for an approved
// address, the e-mail to the old address); directory edits go through
// directory::DirectoryService, so that the public annuaire's index follows them
// at once.
namespace passerelle::profile {

class ProfileService {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  ProfileService(storage::Database& db, directory::DirectoryService& directory) : db_(db), directory_(directory) {}

  // The organizations the actor may open: a member's own, those of a
  // coordinator's territory, every one for an operator.
  std::vector<OrganizationSummary> Organizations(const Actor& actor);

  // The organization with everything it holds (confidential addresses included:
  // professionals only).
  core::Result<directory::Organization> Get(const Actor& actor, const std::string& organization_id);

  // Edits. On refused values the outcome lists them and nothing is written; an
  // organization written by someone else between the read and the write gives
  // kConflict (nothing written).
  core::Result<EditOutcome> EditContact(const Actor& actor, const std::string& organization_id, const ContactEdit& edit,
                                        TimePoint now);
  core::Result<EditOutcome> EditService(const Actor& actor, const std::string& organization_id,
                                        const std::string& service_id, const ServiceEdit& edit, TimePoint now);
  core::Result<EditOutcome> SetAcceptsReferrals(const Actor& actor, const std::string& organization_id, bool accepts,
                                                TimePoint now);

  // Where notifications go now: organization_settings, else the public e-mail
  // (notify::OrganizationAddress).
  std::optional<std::string> NotificationAddress(const std::string& organization_id);

  // Requests needing approval (members of the organization only). A new request
  // replaces a pending one of the same kind. kInvalidInput for an unusable
  // address, or the current one.
  core::Result<ChangeRequest> RequestAddressChange(const Actor& actor, const std::string& organization_id,
                                                   const std::string& address, TimePoint now);
  core::Result<ChangeRequest> RequestKeyRotation(const Actor& actor, const std::string& organization_id, TimePoint now);
  // The organization's latest requests, newest first (for its profile page).
  std::vector<ChangeRequest> RecentChanges(const Actor& actor, const std::string& organization_id);

  // The request `id`, whoever asks: for the /pro access policy's ownership
  // resolver only.
  std::optional<ChangeRequest> FindChange(const std::string& id);

  // Pending requests the actor may decide: a coordinator's territory's, every
  // one for an operator, none for a member.
  std::vector<ChangeRequest> PendingForApproval(const Actor& actor);
  // Approving an address applies it and tells the OLD address (notify
  // kAddressChange); approving a key rotation records it (src/accounts
  // re-keys). kConflict when already decided.
  core::Result<ChangeRequest> Decide(const Actor& actor, const std::string& change_id, Decision decision,
                                     TimePoint now);

 private:
  core::Result<EditOutcome> Write(const Actor& actor, const directory::Organization& before,
                                  const directory::Organization& next, TimePoint now);
  core::Result<ChangeRequest> Request(const Actor& actor, const std::string& organization_id, ChangeKind kind,
                                      const std::string& new_value, TimePoint now);

  storage::Database& db_;
  directory::DirectoryService& directory_;
};

// Names of the fields that differ, as audited: "description", "phones",
// "accepts_referrals", "services[<id>].opening_hours". Never values.
std::vector<std::string> ChangedFields(const directory::Organization& before, const directory::Organization& after);

// A form's values written into the organization or service (blanks trimmed, languages split,
// fees and accessibility in their canonical order; an unknown phone type reads as a voice line:
// CheckContact refuses it first). Shared with the census forms of the territory console.
void ApplyContact(const ContactEdit& edit, directory::Organization& organization);
void ApplyServiceEdit(const ServiceEdit& edit, directory::Service& service);

// Checks of the forms, exposed for tests: problems named by form field.
std::vector<FieldProblem> CheckContact(const ContactEdit& edit);
std::vector<FieldProblem> CheckServiceEdit(const ServiceEdit& edit);

}  // namespace passerelle::profile
