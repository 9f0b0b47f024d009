#include "profile/repository.h"

#include <cassert>

namespace passerelle::profile {

namespace {

constexpr const char* kTerritoryOf = "SELECT territory_slug FROM organization WHERE id = :id";

constexpr const char* kOrganizationColumns = "SELECT id, name, territory_slug, accepts_referrals FROM organization ";

constexpr const char* kNotificationEmail =
    "SELECT notification_email FROM organization_settings WHERE "
    "organization_id = :id";
constexpr const char* kUpdateNotificationEmail =
    "UPDATE organization_settings SET notification_email = :email, updated_at "
    "= :now WHERE organization_id = :id";
constexpr const char* kInsertNotificationEmail =
    "INSERT INTO organization_settings (organization_id, notification_email, "
    "updated_at) VALUES (:id, :email, :now)";

constexpr const char* kInsertChange =
    "INSERT INTO organization_change_request (id, organization_id, kind, "
    "new_value, status, requested_by, "
    "requested_at) VALUES (:id, :org, :kind, :value, :status, :by, :at)";
constexpr const char* kSupersede =
    "UPDATE organization_change_request SET status = 'superseded' "
    "WHERE organization_id = :org AND kind = :kind AND status = 'pending'";
constexpr const char* kDecide =
    "UPDATE organization_change_request SET status = :status, decided_by = "
    ":by, decided_at = :at, "
    "applied_at = :applied WHERE id = :id AND status = 'pending'";

constexpr const char* kMarkKeyRotationsApplied =
    "UPDATE organization_change_request SET applied_at = :applied "
    "WHERE organization_id = :org AND kind = 'key_rotation' AND "
    "status = 'approved' AND applied_at IS NULL";

// The organization's name and territory come with each request (an organization
// removed from the directory takes its requests with it: ON DELETE CASCADE).
constexpr const char* kChangeColumns =
    "SELECT c.id, c.organization_id, o.name, o.territory_slug, c.kind, "
    "c.new_value, c.status, c.requested_by, "
    "c.requested_at, c.decided_by, c.decided_at, c.applied_at "
    "FROM organization_change_request c JOIN organization o ON o.id = "
    "c.organization_id ";

}  // namespace

std::optional<std::string> ProfileRepository::TerritoryOf(const std::string& organization_id) {
  std::string territory;
  sql_ << kTerritoryOf, soci::use(organization_id), soci::into(territory);
  if (!sql_.got_data()) return std::nullopt;
  return territory;
}

std::vector<OrganizationSummary> ProfileRepository::ListOrganizations(const std::string& territory_slug) {
  std::vector<OrganizationSummary> out;
  OrganizationSummary row;
  int accepts = 0;
  const bool all = territory_slug.empty();
  soci::statement st =
      all ? (sql_.prepare << std::string(kOrganizationColumns) + "ORDER BY territory_slug, name, id",
             soci::into(row.id), soci::into(row.name), soci::into(row.territory_slug), soci::into(accepts))
          : (sql_.prepare << std::string(kOrganizationColumns) + "WHERE territory_slug = :t ORDER BY name, id",
             soci::use(territory_slug), soci::into(row.id), soci::into(row.name), soci::into(row.territory_slug),
             soci::into(accepts));
  st.execute();
  while (st.fetch()) {
    row.accepts_referrals = accepts != 0;
    out.push_back(row);
  }
  return out;
}

std::optional<OrganizationSummary> ProfileRepository::FindOrganization(const std::string& organization_id) {
  OrganizationSummary row;
  int accepts = 0;
  sql_ << std::string(kOrganizationColumns) + "WHERE id = :id", soci::use(organization_id), soci::into(row.id),
      soci::into(row.name), soci::into(row.territory_slug), soci::into(accepts);
  if (!sql_.got_data()) return std::nullopt;
  row.accepts_referrals = accepts != 0;
  return row;
}

std::optional<std::string> ProfileRepository::StoredNotificationEmail(const std::string& organization_id) {
  std::string email;
  sql_ << kNotificationEmail, soci::use(organization_id), soci::into(email);
  if (!sql_.got_data()) return std::nullopt;
  return email;
}

void ProfileRepository::SetNotificationEmail(const std::string& organization_id, const std::string& email,
                                             long long now_s) {
  soci::statement update = (sql_.prepare << kUpdateNotificationEmail, soci::use(email, "email"),
                            soci::use(now_s, "now"), soci::use(organization_id, "id"));
  update.execute(true);
  if (update.get_affected_rows() == 0) {
    sql_ << kInsertNotificationEmail, soci::use(organization_id, "id"), soci::use(email, "email"),
        soci::use(now_s, "now");
  }
}

void ProfileRepository::InsertChange(const ChangeRequest& c) {
  const std::string kind(CodeOf(c.kind));
  const std::string status(CodeOf(c.status));
  sql_ << kInsertChange, soci::use(c.id, "id"), soci::use(c.organization_id, "org"), soci::use(kind, "kind"),
      soci::use(c.new_value, "value"), soci::use(status, "status"), soci::use(c.requested_by, "by"),
      soci::use(c.requested_at, "at");
}

std::size_t ProfileRepository::SupersedePending(const std::string& organization_id, ChangeKind kind) {
  const std::string code(CodeOf(kind));
  soci::statement st = (sql_.prepare << kSupersede, soci::use(organization_id, "org"), soci::use(code, "kind"));
  st.execute(true);
  return static_cast<std::size_t>(st.get_affected_rows());
}

std::optional<ChangeRequest> ProfileRepository::FindChange(const std::string& id) {
  auto found = LoadChanges("WHERE c.id = :key ", id, "");
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<ChangeRequest> ProfileRepository::ListPending(const std::string& territory_slug) {
  if (territory_slug.empty()) {
    return LoadChanges("WHERE c.status = :key ", std::string(CodeOf(ChangeStatus::kPending)),
                       "ORDER BY c.requested_at, c.id");
  }
  return LoadChanges("WHERE c.status = 'pending' AND o.territory_slug = :key ", territory_slug,
                     "ORDER BY c.requested_at, c.id");
}

std::vector<ChangeRequest> ProfileRepository::ListOf(const std::string& organization_id, std::size_t limit) {
  auto all = LoadChanges("WHERE c.organization_id = :key ", organization_id, "ORDER BY c.requested_at DESC, c.id");
  if (all.size() > limit) all.resize(limit);
  return all;
}

std::vector<ChangeRequest> ProfileRepository::ApprovedUnappliedKeyRotations(const std::string& organization_id) {
  return LoadChanges(
      "WHERE c.organization_id = :key AND c.kind = "
      "'key_rotation' AND c.status = 'approved' AND "
      "c.applied_at IS NULL ",
      organization_id, "ORDER BY c.decided_at DESC, c.id");
}

std::size_t ProfileRepository::MarkKeyRotationsApplied(const std::string& organization_id, long long applied_at) {
  soci::statement st =
      (sql_.prepare << kMarkKeyRotationsApplied, soci::use(applied_at, "applied"), soci::use(organization_id, "org"));
  st.execute(true);
  return static_cast<std::size_t>(st.get_affected_rows());
}

bool ProfileRepository::Decide(const std::string& id, ChangeStatus status, const std::string& decided_by,
                               long long decided_at, std::optional<long long> applied_at) {
  assert(status != ChangeStatus::kPending);
  const std::string code(CodeOf(status));
  soci::statement st = (sql_.prepare << kDecide, soci::use(code, "status"), soci::use(decided_by, "by"),
                        soci::use(decided_at, "at"), soci::use(applied_at, "applied"), soci::use(id, "id"));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

// `where` and `order` are constants of this file; only `key` comes from
// outside, bound.
std::vector<ChangeRequest> ProfileRepository::LoadChanges(const std::string& where, const std::string& key,
                                                          const std::string& order) {
  std::vector<ChangeRequest> out;
  ChangeRequest row;
  std::string kind;
  std::string status;
  std::optional<std::string> decided_by;
  std::optional<long long> decided_at;
  std::optional<long long> applied_at;
  soci::statement st =
      (sql_.prepare << std::string(kChangeColumns) + where + order, soci::use(key, "key"), soci::into(row.id),
       soci::into(row.organization_id), soci::into(row.organization_name), soci::into(row.territory_slug),
       soci::into(kind), soci::into(row.new_value), soci::into(status), soci::into(row.requested_by),
       soci::into(row.requested_at), soci::into(decided_by), soci::into(decided_at), soci::into(applied_at));
  st.execute();
  while (st.fetch()) {
    ChangeRequest c = row;
    c.kind = ChangeKindFromCode(kind).value_or(ChangeKind::kNotificationEmail);
    c.status = ChangeStatusFromCode(status).value_or(ChangeStatus::kRejected);
    c.decided_by = decided_by;
    c.decided_at = decided_at;
    c.applied_at = applied_at;
    out.push_back(std::move(c));
    decided_by.reset();
    decided_at.reset();
    applied_at.reset();
  }
  return out;
}

}  // namespace passerelle::profile
