#include "accounts/repository.h"

namespace passerelle::accounts {

namespace {

constexpr const char* kAccountColumns =
    "SELECT id, email, role, territory_slug, status, password_hash, totp_secret, totp_last_step, created_at, "
    "updated_at, public_key, secret_wrapped, secret_salt FROM account ";
constexpr const char* kInsertAccount =
    "INSERT INTO account (id, email, role, territory_slug, status, password_hash, totp_secret, totp_last_step, "
    "created_at, updated_at, public_key, secret_wrapped, secret_salt) VALUES (:id, :email, :role, :territory, "
    ":status, :hash, :totp, :step, :created, :updated, :pk, :wrapped, :salt)";
constexpr const char* kUpdatePassword =
    "UPDATE account SET password_hash = :hash, public_key = :pk, secret_wrapped = :wrapped, secret_salt = :salt, "
    "updated_at = :now WHERE id = :id";
constexpr const char* kSetTotp =
    "UPDATE account SET totp_secret = :secret, totp_last_step = :step, updated_at = :now WHERE id = :id";
// The condition makes a step usable once, even when two requests race.
constexpr const char* kAcceptStep =
    "UPDATE account SET totp_last_step = :step WHERE id = :id AND totp_last_step < :step2";
constexpr const char* kSetStatus = "UPDATE account SET status = :status, updated_at = :now WHERE id = :id";
constexpr const char* kTerritoryAccounts =
    "WHERE territory_slug = :t OR id IN (SELECT m.account_id FROM membership m JOIN organization o "
    "ON o.id = m.organization_id WHERE o.territory_slug = :t2) ORDER BY email";

constexpr const char* kMembershipColumns =
    "SELECT account_id, organization_id, wrapped_key, key_salt, created_at, granted_key, granted_by, granted_at "
    "FROM membership ";
constexpr const char* kInsertMembership =
    "INSERT INTO membership (account_id, organization_id, wrapped_key, key_salt, created_at, granted_key, granted_by, "
    "granted_at) VALUES (:account, :org, :wrapped, :salt, :created, :granted, :by, :at)";
constexpr const char* kSetMembershipKey =
    "UPDATE membership SET wrapped_key = :wrapped, key_salt = :salt, granted_key = NULL, granted_by = NULL, "
    "granted_at = NULL WHERE account_id = :account AND organization_id = :org";
constexpr const char* kSetGrant =
    "UPDATE membership SET granted_key = :granted, granted_by = :by, granted_at = :at "
    "WHERE account_id = :account AND organization_id = :org";
constexpr const char* kClearMembershipKeys =
    "UPDATE membership SET wrapped_key = NULL, key_salt = NULL, granted_key = NULL, granted_by = NULL, "
    "granted_at = NULL WHERE account_id = :account";
constexpr const char* kReplaceWithGrant =
    "UPDATE membership SET wrapped_key = NULL, key_salt = NULL, granted_key = :granted, granted_by = :by, "
    "granted_at = :at WHERE account_id = :account AND organization_id = :org";
constexpr const char* kClearMembershipKey =
    "UPDATE membership SET wrapped_key = NULL, key_salt = NULL, granted_key = NULL, granted_by = NULL, "
    "granted_at = NULL WHERE account_id = :account AND organization_id = :org";
constexpr const char* kConvertGrant =
    "UPDATE membership SET wrapped_key = :wrapped, key_salt = :salt, granted_key = NULL, granted_by = NULL, "
    "granted_at = NULL WHERE account_id = :account AND organization_id = :org AND granted_key = :seen";
constexpr const char* kRewrapMembershipKey =
    "UPDATE membership SET wrapped_key = :wrapped, key_salt = :salt "
    "WHERE account_id = :account AND organization_id = :org AND wrapped_key = :seen";
constexpr const char* kKeyHolders =
    "SELECT COUNT(*) FROM membership WHERE organization_id = :org AND account_id <> :account AND "
    "(wrapped_key IS NOT NULL OR granted_key IS NOT NULL)";

constexpr const char* kInvitationColumns =
    "SELECT token_hash, account_id, kind, organization_id, carried_key, pending_totp_secret, password_done_at, "
    "created_at, expires_at, used_at, creates_keys FROM account_invitation WHERE token_hash = :hash";
constexpr const char* kInsertInvitation =
    "INSERT INTO account_invitation (token_hash, account_id, kind, organization_id, carried_key, pending_totp_secret, "
    "password_done_at, created_at, expires_at, used_at, creates_keys) VALUES (:hash, :account, :kind, :org, "
    ":carried, :pending, :done, :created, :expires, :used, :creates_keys)";
// The carried key has been converted into the member's own wrap: it goes.
constexpr const char* kInvitationPasswordDone =
    "UPDATE account_invitation SET pending_totp_secret = :pending, password_done_at = :now, carried_key = NULL "
    "WHERE token_hash = :hash";
constexpr const char* kInvitationUsed =
    "UPDATE account_invitation SET used_at = :now, pending_totp_secret = NULL, carried_key = NULL "
    "WHERE token_hash = :hash";
constexpr const char* kCloseInvitations =
    "UPDATE account_invitation SET used_at = :now, pending_totp_secret = NULL, carried_key = NULL "
    "WHERE account_id = :account AND used_at IS NULL";

constexpr const char* kDropCarriedKeys =
    "UPDATE account_invitation SET carried_key = NULL WHERE organization_id = :org AND carried_key IS NOT NULL";

constexpr const char* kSelectSession =
    "SELECT id, account_id, created_at, last_seen_at, key_box FROM account_session WHERE id = :id";
constexpr const char* kInsertSession =
    "INSERT INTO account_session (id, account_id, created_at, last_seen_at, key_box) "
    "VALUES (:id, :account, :created, :seen, :box)";
constexpr const char* kTouchSession = "UPDATE account_session SET last_seen_at = :now WHERE id = :id";
constexpr const char* kSetKeyBox = "UPDATE account_session SET key_box = :box WHERE id = :id";
constexpr const char* kDeleteSession = "DELETE FROM account_session WHERE id = :id";
constexpr const char* kDeleteSessionsOf = "DELETE FROM account_session WHERE account_id = :account";
constexpr const char* kDeleteSessionsOfExcept =
    "DELETE FROM account_session WHERE account_id = :account AND id <> :kept";
constexpr const char* kDeleteStaleSessions =
    "DELETE FROM account_session WHERE last_seen_at < :idle OR created_at < :created";

constexpr const char* kSelectThrottle =
    "SELECT throttle_key, failures, last_failure_at, last_success_at FROM login_throttle WHERE throttle_key = :key";
constexpr const char* kSaveThrottle =
    "INSERT INTO login_throttle (throttle_key, failures, last_failure_at, last_success_at) "
    "VALUES (:key, :failures, :failure, :success) ON CONFLICT (throttle_key) DO UPDATE SET "
    "failures = excluded.failures, last_failure_at = excluded.last_failure_at, "
    "last_success_at = excluded.last_success_at";
constexpr const char* kDeleteThrottles =
    "DELETE FROM login_throttle WHERE last_failure_at < :before AND last_success_at < :before2";

constexpr const char* kSelectOrganization = "SELECT id, name, territory_slug FROM organization WHERE id = :id";
constexpr const char* kSelectRecovery =
    "SELECT organization_id, wrapped_key, key_salt, created_at FROM organization_recovery WHERE organization_id = :id";
constexpr const char* kInsertRecovery =
    "INSERT INTO organization_recovery (organization_id, wrapped_key, key_salt, created_at) "
    "VALUES (:id, :wrapped, :salt, :created)";
constexpr const char* kUpdateRecovery =
    "UPDATE organization_recovery SET wrapped_key = :wrapped, key_salt = :salt, created_at = :created "
    "WHERE organization_id = :id";
constexpr const char* kTerritoryExists = "SELECT COUNT(*) FROM territory WHERE slug = :slug";

std::vector<AccountRow> SelectAccounts(soci::session& sql, const std::string& where,
                                       const std::vector<std::string>& values) {
  std::vector<AccountRow> rows;
  AccountRow r;
  std::string status;
  soci::statement st(sql);
  st.alloc();
  st.prepare(std::string(kAccountColumns) + where);
  st.exchange(soci::into(r.id));
  st.exchange(soci::into(r.email));
  st.exchange(soci::into(r.role));
  st.exchange(soci::into(r.territory_slug));
  st.exchange(soci::into(status));
  st.exchange(soci::into(r.password_hash));
  st.exchange(soci::into(r.totp_secret));
  st.exchange(soci::into(r.totp_last_step));
  st.exchange(soci::into(r.created_at));
  st.exchange(soci::into(r.updated_at));
  st.exchange(soci::into(r.public_key));
  st.exchange(soci::into(r.secret_wrapped));
  st.exchange(soci::into(r.secret_salt));
  for (const std::string& value : values) st.exchange(soci::use(value));
  st.define_and_bind();
  st.execute(false);
  while (st.fetch()) {
    // A code the schema does not know fails closed: such an account neither signs in nor opens a link.
    r.status = ParseAccountStatus(status).value_or(AccountStatus::kDisabled);
    rows.push_back(r);
  }
  return rows;
}

std::vector<MembershipRow> SelectMemberships(soci::session& sql, const std::string& where,
                                             const std::vector<std::string>& values) {
  std::vector<MembershipRow> rows;
  MembershipRow r;
  soci::statement st(sql);
  st.alloc();
  st.prepare(std::string(kMembershipColumns) + where);
  st.exchange(soci::into(r.account_id));
  st.exchange(soci::into(r.organization_id));
  st.exchange(soci::into(r.wrapped_key));
  st.exchange(soci::into(r.key_salt));
  st.exchange(soci::into(r.created_at));
  st.exchange(soci::into(r.granted_key));
  st.exchange(soci::into(r.granted_by));
  st.exchange(soci::into(r.granted_at));
  for (const std::string& value : values) st.exchange(soci::use(value));
  st.define_and_bind();
  st.execute(false);
  while (st.fetch()) rows.push_back(r);
  return rows;
}

std::optional<AccountRow> First(std::vector<AccountRow> rows) {
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

}  // namespace

std::optional<AccountRow> AccountRepository::FindAccountById(const std::string& id) {
  return First(SelectAccounts(sql_, "WHERE id = :id", {id}));
}

std::optional<AccountRow> AccountRepository::FindAccountByEmail(const std::string& email) {
  return First(SelectAccounts(sql_, "WHERE email = :email", {email}));
}

void AccountRepository::InsertAccount(const AccountRow& r) {
  const std::string status(CodeOf(r.status));
  sql_ << kInsertAccount, soci::use(r.id), soci::use(r.email), soci::use(r.role), soci::use(r.territory_slug),
      soci::use(status), soci::use(r.password_hash), soci::use(r.totp_secret), soci::use(r.totp_last_step),
      soci::use(r.created_at), soci::use(r.updated_at), soci::use(r.public_key), soci::use(r.secret_wrapped),
      soci::use(r.secret_salt);
}

void AccountRepository::UpdatePassword(const std::string& id, const std::optional<std::string>& hash,
                                       const std::optional<std::string>& public_key,
                                       const std::optional<std::string>& secret_wrapped,
                                       const std::optional<std::string>& secret_salt, long long now) {
  sql_ << kUpdatePassword, soci::use(hash), soci::use(public_key), soci::use(secret_wrapped), soci::use(secret_salt),
      soci::use(now), soci::use(id);
}

void AccountRepository::SetTotp(const std::string& id, const std::optional<std::string>& secret, long long last_step,
                                long long now) {
  sql_ << kSetTotp, soci::use(secret), soci::use(last_step), soci::use(now), soci::use(id);
}

bool AccountRepository::AcceptTotpStep(const std::string& id, long long step) {
  soci::statement st = (sql_.prepare << kAcceptStep, soci::use(step), soci::use(id), soci::use(step));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void AccountRepository::SetStatus(const std::string& id, AccountStatus status, long long now) {
  const std::string code(CodeOf(status));
  sql_ << kSetStatus, soci::use(code), soci::use(now), soci::use(id);
}

std::vector<AccountRow> AccountRepository::ListAccounts(const std::string& territory_slug) {
  if (territory_slug.empty()) return SelectAccounts(sql_, "ORDER BY email", {});
  return SelectAccounts(sql_, kTerritoryAccounts, {territory_slug, territory_slug});
}

std::vector<MembershipRow> AccountRepository::Memberships(const std::string& account_id) {
  return SelectMemberships(sql_, "WHERE account_id = :account ORDER BY organization_id", {account_id});
}

std::vector<MembershipRow> AccountRepository::MembersOf(const std::string& organization_id) {
  return SelectMemberships(sql_, "WHERE organization_id = :org ORDER BY created_at, account_id", {organization_id});
}

std::optional<MembershipRow> AccountRepository::FindMembership(const std::string& account_id,
                                                               const std::string& organization_id) {
  auto rows =
      SelectMemberships(sql_, "WHERE account_id = :account AND organization_id = :org", {account_id, organization_id});
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

void AccountRepository::InsertMembership(const MembershipRow& r) {
  sql_ << kInsertMembership, soci::use(r.account_id), soci::use(r.organization_id), soci::use(r.wrapped_key),
      soci::use(r.key_salt), soci::use(r.created_at), soci::use(r.granted_key), soci::use(r.granted_by),
      soci::use(r.granted_at);
}

void AccountRepository::SetMembershipKey(const std::string& account_id, const std::string& organization_id,
                                         const std::string& wrapped_key, const std::string& key_salt) {
  sql_ << kSetMembershipKey, soci::use(wrapped_key), soci::use(key_salt), soci::use(account_id),
      soci::use(organization_id);
}

void AccountRepository::SetGrant(const std::string& account_id, const std::string& organization_id,
                                 const std::string& granted_key, const std::string& granted_by, long long now) {
  sql_ << kSetGrant, soci::use(granted_key), soci::use(granted_by), soci::use(now), soci::use(account_id),
      soci::use(organization_id);
}

void AccountRepository::ClearMembershipKeys(const std::string& account_id) {
  sql_ << kClearMembershipKeys, soci::use(account_id);
}

void AccountRepository::ReplaceWithGrant(const std::string& account_id, const std::string& organization_id,
                                         const std::string& granted_key, const std::string& granted_by, long long now) {
  sql_ << kReplaceWithGrant, soci::use(granted_key, "granted"), soci::use(granted_by, "by"), soci::use(now, "at"),
      soci::use(account_id, "account"), soci::use(organization_id, "org");
}

void AccountRepository::ClearMembershipKey(const std::string& account_id, const std::string& organization_id) {
  sql_ << kClearMembershipKey, soci::use(account_id, "account"), soci::use(organization_id, "org");
}

bool AccountRepository::ConvertGrant(const std::string& account_id, const std::string& organization_id,
                                     const std::string& wrapped_key, const std::string& key_salt,
                                     const std::string& granted_key_read) {
  soci::statement st =
      (sql_.prepare << kConvertGrant, soci::use(wrapped_key, "wrapped"), soci::use(key_salt, "salt"),
       soci::use(account_id, "account"), soci::use(organization_id, "org"), soci::use(granted_key_read, "seen"));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

bool AccountRepository::RewrapMembershipKey(const std::string& account_id, const std::string& organization_id,
                                            const std::string& wrapped_key, const std::string& key_salt,
                                            const std::string& wrapped_key_read) {
  soci::statement st =
      (sql_.prepare << kRewrapMembershipKey, soci::use(wrapped_key, "wrapped"), soci::use(key_salt, "salt"),
       soci::use(account_id, "account"), soci::use(organization_id, "org"), soci::use(wrapped_key_read, "seen"));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

bool AccountRepository::OrganizationHasKeyHolder(const std::string& organization_id,
                                                 const std::string& except_account) {
  long long count = 0;
  sql_ << kKeyHolders, soci::use(organization_id), soci::use(except_account), soci::into(count);
  return count > 0;
}

void AccountRepository::InsertInvitation(const InvitationRow& r) {
  sql_ << kInsertInvitation, soci::use(r.token_hash), soci::use(r.account_id), soci::use(r.kind),
      soci::use(r.organization_id), soci::use(r.carried_key), soci::use(r.pending_totp_secret),
      soci::use(r.password_done_at), soci::use(r.created_at), soci::use(r.expires_at), soci::use(r.used_at),
      soci::use(r.creates_keys);
}

std::optional<InvitationRow> AccountRepository::FindInvitation(const std::string& token_hash) {
  InvitationRow r;
  sql_ << kInvitationColumns, soci::use(token_hash), soci::into(r.token_hash), soci::into(r.account_id),
      soci::into(r.kind), soci::into(r.organization_id), soci::into(r.carried_key), soci::into(r.pending_totp_secret),
      soci::into(r.password_done_at), soci::into(r.created_at), soci::into(r.expires_at), soci::into(r.used_at),
      soci::into(r.creates_keys);
  if (!sql_.got_data()) return std::nullopt;
  return r;
}

std::optional<std::string> AccountRepository::FirstMemberOrganization(const std::string& account_id) {
  std::string organization_id;
  soci::indicator indicator = soci::i_null;
  sql_ << "SELECT MAX(organization_id) FROM account_invitation WHERE account_id = :account AND kind = 'invite' "
          "AND creates_keys = 1",
      soci::use(account_id), soci::into(organization_id, indicator);
  if (!sql_.got_data() || indicator != soci::i_ok || organization_id.empty()) return std::nullopt;
  return organization_id;
}

void AccountRepository::MarkInvitationPasswordDone(const std::string& token_hash,
                                                   const std::string& pending_totp_secret, long long now) {
  sql_ << kInvitationPasswordDone, soci::use(pending_totp_secret), soci::use(now), soci::use(token_hash);
}

void AccountRepository::MarkInvitationUsed(const std::string& token_hash, long long now) {
  sql_ << kInvitationUsed, soci::use(now), soci::use(token_hash);
}

std::optional<long long> AccountRepository::OpenInvitationExpiry(const std::string& account_id) {
  long long expires_at = 0;
  soci::indicator indicator = soci::i_null;
  sql_ << "SELECT MAX(expires_at) FROM account_invitation WHERE account_id = :account AND kind = 'invite' "
          "AND used_at IS NULL",
      soci::use(account_id), soci::into(expires_at, indicator);
  if (indicator != soci::i_ok) return std::nullopt;
  return expires_at;
}

void AccountRepository::CloseInvitationsOf(const std::string& account_id, long long now) {
  sql_ << kCloseInvitations, soci::use(now), soci::use(account_id);
}

std::size_t AccountRepository::DropCarriedKeys(const std::string& organization_id) {
  soci::statement st = (sql_.prepare << kDropCarriedKeys, soci::use(organization_id));
  st.execute(true);
  return static_cast<std::size_t>(st.get_affected_rows());
}

void AccountRepository::InsertSession(const SessionRow& r) {
  sql_ << kInsertSession, soci::use(r.id), soci::use(r.account_id), soci::use(r.created_at), soci::use(r.last_seen_at),
      soci::use(r.key_box);
}

std::optional<SessionRow> AccountRepository::FindSession(const std::string& id) {
  SessionRow r;
  sql_ << kSelectSession, soci::use(id), soci::into(r.id), soci::into(r.account_id), soci::into(r.created_at),
      soci::into(r.last_seen_at), soci::into(r.key_box);
  if (!sql_.got_data()) return std::nullopt;
  return r;
}

void AccountRepository::TouchSession(const std::string& id, long long now) {
  sql_ << kTouchSession, soci::use(now), soci::use(id);
}

void AccountRepository::SetSessionKeyBox(const std::string& id, const std::string& key_box) {
  sql_ << kSetKeyBox, soci::use(key_box), soci::use(id);
}

bool AccountRepository::DeleteSession(const std::string& id) {
  soci::statement st = (sql_.prepare << kDeleteSession, soci::use(id));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

std::size_t AccountRepository::DeleteSessionsOf(const std::string& account_id) {
  soci::statement st = (sql_.prepare << kDeleteSessionsOf, soci::use(account_id));
  st.execute(true);
  return static_cast<std::size_t>(st.get_affected_rows());
}

std::size_t AccountRepository::DeleteSessionsOfExcept(const std::string& account_id,
                                                      const std::string& kept_session_id) {
  soci::statement st =
      (sql_.prepare << kDeleteSessionsOfExcept, soci::use(account_id, "account"), soci::use(kept_session_id, "kept"));
  st.execute(true);
  return static_cast<std::size_t>(st.get_affected_rows());
}

std::size_t AccountRepository::DeleteSessionsIdleSince(long long idle_before, long long created_before) {
  soci::statement st = (sql_.prepare << kDeleteStaleSessions, soci::use(idle_before), soci::use(created_before));
  st.execute(true);
  return static_cast<std::size_t>(st.get_affected_rows());
}

std::optional<ThrottleRow> AccountRepository::FindThrottle(const std::string& key) {
  ThrottleRow r;
  sql_ << kSelectThrottle, soci::use(key), soci::into(r.key), soci::into(r.failures), soci::into(r.last_failure_at),
      soci::into(r.last_success_at);
  if (!sql_.got_data()) return std::nullopt;
  return r;
}

void AccountRepository::SaveThrottle(const ThrottleRow& r) {
  sql_ << kSaveThrottle, soci::use(r.key), soci::use(r.failures), soci::use(r.last_failure_at),
      soci::use(r.last_success_at);
}

std::size_t AccountRepository::DeleteThrottlesBefore(long long last_activity_before) {
  soci::statement st =
      (sql_.prepare << kDeleteThrottles, soci::use(last_activity_before), soci::use(last_activity_before));
  st.execute(true);
  return static_cast<std::size_t>(st.get_affected_rows());
}

std::optional<OrganizationRow> AccountRepository::FindOrganization(const std::string& id) {
  OrganizationRow r;
  sql_ << kSelectOrganization, soci::use(id), soci::into(r.id), soci::into(r.name), soci::into(r.territory_slug);
  if (!sql_.got_data()) return std::nullopt;
  return r;
}

std::optional<RecoveryRow> AccountRepository::FindRecovery(const std::string& organization_id) {
  RecoveryRow r;
  sql_ << kSelectRecovery, soci::use(organization_id), soci::into(r.organization_id), soci::into(r.wrapped_key),
      soci::into(r.key_salt), soci::into(r.created_at);
  if (!sql_.got_data()) return std::nullopt;
  return r;
}

void AccountRepository::InsertRecovery(const RecoveryRow& r) {
  sql_ << kInsertRecovery, soci::use(r.organization_id), soci::use(r.wrapped_key), soci::use(r.key_salt),
      soci::use(r.created_at);
}

void AccountRepository::ReplaceRecovery(const RecoveryRow& r) {
  soci::statement st =
      (sql_.prepare << kUpdateRecovery, soci::use(r.wrapped_key, "wrapped"), soci::use(r.key_salt, "salt"),
       soci::use(r.created_at, "created"), soci::use(r.organization_id, "id"));
  st.execute(true);
  if (st.get_affected_rows() == 0) InsertRecovery(r);
}

bool AccountRepository::TerritoryExists(const std::string& slug) {
  long long count = 0;
  sql_ << kTerritoryExists, soci::use(slug), soci::into(count);
  return count > 0;
}

}  // namespace passerelle::accounts
