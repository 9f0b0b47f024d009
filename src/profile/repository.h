#pragma once

#include <optional>
#include <string>
#include <vector>

#include "profile/model.h"
#include "storage/database.h"

namespace passerelle::profile {

// The SQL of the profile's own table (migrations/0009_profile.sql) and of the
// notification address (organization_settings, migrations/0007_accounts.sql).
// Works on a session the caller holds, inside the caller's transaction for
// writes. The directory's tables are written only through
// directory::DirectoryService.
class ProfileRepository {
 public:
  explicit ProfileRepository(soci::session& sql) : sql_(sql) {}

  // The organization's territory, or nothing when it does not exist.
  std::optional<std::string> TerritoryOf(const std::string& organization_id);
  // Organizations of a territory ("" = every territory), by territory then
  // name.
  std::vector<OrganizationSummary> ListOrganizations(const std::string& territory_slug);
  std::optional<OrganizationSummary> FindOrganization(const std::string& organization_id);

  // organization_settings.notification_email, when the organization has a row.
  std::optional<std::string> StoredNotificationEmail(const std::string& organization_id);
  // Inserts or replaces the organization's row.
  void SetNotificationEmail(const std::string& organization_id, const std::string& email, long long now_s);

  void InsertChange(const ChangeRequest& change);
  // Marks the pending requests of that kind superseded; returns how many.
  std::size_t SupersedePending(const std::string& organization_id, ChangeKind kind);
  std::optional<ChangeRequest> FindChange(const std::string& id);
  // Pending requests of a territory ("" = every territory), oldest first.
  std::vector<ChangeRequest> ListPending(const std::string& territory_slug);
  // Every request of an organization, newest first (at most `limit`).
  std::vector<ChangeRequest> ListOf(const std::string& organization_id, std::size_t limit);
  // Moves a pending request to `status`; false when it was not pending any more
  // (another decision came first).
  bool Decide(const std::string& id, ChangeStatus status, const std::string& decided_by, long long decided_at,
              std::optional<long long> applied_at);

  // Approved key rotations of the organization not applied yet, newest first
  // (src/accounts applies them: docs/adr/0010).
  std::vector<ChangeRequest> ApprovedUnappliedKeyRotations(const std::string& organization_id);
  // Sets applied_at on every approved, unapplied key rotation of the
  // organization; returns how many.
  std::size_t MarkKeyRotationsApplied(const std::string& organization_id, long long applied_at);

 private:
  std::vector<ChangeRequest> LoadChanges(const std::string& where, const std::string& key, const std::string& order);

  soci::session& sql_;
};

}  // namespace passerelle::profile
