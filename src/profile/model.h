#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// An organization's profile in the professional space (issue 4 §9,
// docs/organization-profile.md): its public contact data, its services'
// practical details, "accepte des demandes en ce moment", and the changes that
// need a coordinator's approval (notification address, key).
namespace passerelle::profile {

enum class Role { kMember, kCoordinator, kOperator };

// Who acts: built by the HTTP layer from the signed-in principal, so that this
// domain does not depend on sessions.
struct Actor {
  std::string account_id;
  Role role = Role::kMember;
  std::vector<std::string> organization_ids;  // members
  std::string territory_slug;                 // coordinators

  std::string AuditName() const { return "account:" + account_id; }
};

// A phone row as typed in the form.
struct PhoneInput {
  std::string number;
  std::string type;  // "voice" | "text" | "fax"
  std::string description;
};

// The organization's public contact data, replaced as a whole.
struct ContactEdit {
  std::string description;
  std::string website;
  std::string email;               // public address; notifications go to the notification address
  std::vector<PhoneInput> phones;  // first = main contact; empty numbers already dropped
};

// A service's practical details, replaced as a whole (name and categories stay
// the coordinators' business through imports).
struct ServiceEdit {
  std::string description;
  std::string opening_hours;               // OSM subset (directory/opening_hours.h); "" = not
                                           // provided
  std::string languages;                   // ISO 639-1 codes separated by commas or spaces: "fr, ar"
  std::vector<std::string> fees;           // codes: free, paid, legal_aid
  std::vector<std::string> accessibility;  // codes: wheelchair, sign_language, interpreter
  std::string application_process;
};

// A refused value: the form field it belongs to ("website", "phone-2-number",
// "opening_hours") and a French message for the error summary.
struct FieldProblem {
  std::string field;
  std::string message;

  bool operator==(const FieldProblem&) const = default;
};

// What an edit did: nothing written when `problems` is not empty.
struct EditOutcome {
  std::vector<FieldProblem> problems;
  std::vector<std::string> changed_fields;  // as audited; empty: nothing to change
};

enum class ChangeKind { kNotificationEmail, kKeyRotation };
enum class ChangeStatus { kPending, kApproved, kRejected, kSuperseded };
enum class Decision { kApprove, kReject };

// Stored codes (migrations/0009_profile.sql).
std::string_view CodeOf(ChangeKind kind);
std::string_view CodeOf(ChangeStatus status);
std::optional<ChangeKind> ChangeKindFromCode(std::string_view code);
std::optional<ChangeStatus> ChangeStatusFromCode(std::string_view code);

struct ChangeRequest {
  std::string id;
  std::string organization_id;
  std::string organization_name;
  std::string territory_slug;
  ChangeKind kind = ChangeKind::kNotificationEmail;
  std::string new_value;  // the requested address; "" for a key rotation
  ChangeStatus status = ChangeStatus::kPending;
  std::string requested_by;
  long long requested_at = 0;
  std::optional<std::string> decided_by;
  std::optional<long long> decided_at;
  std::optional<long long> applied_at;
};

// One line of the list of organizations an actor may open.
struct OrganizationSummary {
  std::string id;
  std::string name;
  std::string territory_slug;
  bool accepts_referrals = false;
};

}  // namespace passerelle::profile
