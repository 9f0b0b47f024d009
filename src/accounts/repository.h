#pragma once

#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "accounts/model.h"
#include "storage/database.h"  // soci conversion of std::optional

namespace passerelle::accounts {

struct AccountRow {
  std::string id;
  std::string email;
  std::string role;
  std::optional<std::string> territory_slug;
  AccountStatus status = AccountStatus::kInvited;
  std::optional<std::string> password_hash;
  std::optional<std::string> totp_secret;  // encrypted
  long long totp_last_step = 0;
  long long created_at = 0;
  long long updated_at = 0;
  std::optional<std::string> public_key;      // base64url
  std::optional<std::string> secret_wrapped;  // base64url
  std::optional<std::string> secret_salt;     // base64url
};

struct MembershipRow {
  std::string account_id;
  std::string organization_id;
  std::optional<std::string> wrapped_key;
  std::optional<std::string> key_salt;
  long long created_at = 0;
  std::optional<std::string> granted_key;
  std::optional<std::string> granted_by;
  std::optional<long long> granted_at;
};

struct InvitationRow {
  std::string token_hash;
  std::string account_id;
  std::string kind;  // invite | password_reset | totp_reset
  std::optional<std::string> organization_id;
  std::optional<std::string> carried_key;
  std::optional<std::string> pending_totp_secret;
  std::optional<long long> password_done_at;
  long long created_at = 0;
  long long expires_at = 0;
  std::optional<long long> used_at;
  // 1: the invitation of an organisation's first member made from the web; the link carries no
  // key, the organisation's keys are created when she sets her password (docs/accounts.md).
  int creates_keys = 0;
};

struct SessionRow {
  std::string id;
  std::string account_id;
  long long created_at = 0;
  long long last_seen_at = 0;
  std::optional<std::string> key_box;
};

struct ThrottleRow {
  std::string key;
  long long failures = 0;
  long long last_failure_at = 0;
  long long last_success_at = 0;
};

struct RecoveryRow {
  std::string organization_id;
  std::string wrapped_key;
  std::string key_salt;
  long long created_at = 0;
};

struct OrganizationRow {
  std::string id;
  std::string name;
  std::string territory_slug;
};

// The account tables, on one leased session (inside the caller's transaction when it has one).
class AccountRepository {
 public:
  explicit AccountRepository(soci::session& sql) : sql_(sql) {}

  std::optional<AccountRow> FindAccountById(const std::string& id);
  std::optional<AccountRow> FindAccountByEmail(const std::string& email);
  void InsertAccount(const AccountRow& row);
  void UpdatePassword(const std::string& id, const std::optional<std::string>& hash,
                      const std::optional<std::string>& public_key, const std::optional<std::string>& secret_wrapped,
                      const std::optional<std::string>& secret_salt, long long now);
  // A new TOTP secret (NULL: none until re-enrolment); the last accepted step goes with it.
  void SetTotp(const std::string& id, const std::optional<std::string>& secret, long long last_step, long long now);
  // Records `step` as used; false when it (or a later step) was used already.
  bool AcceptTotpStep(const std::string& id, long long step);
  void SetStatus(const std::string& id, AccountStatus status, long long now);
  // Every account (territory ""), or those of a territory: its coordinators and the members of its organizations.
  std::vector<AccountRow> ListAccounts(const std::string& territory_slug);

  std::vector<MembershipRow> Memberships(const std::string& account_id);
  std::vector<MembershipRow> MembersOf(const std::string& organization_id);
  std::optional<MembershipRow> FindMembership(const std::string& account_id, const std::string& organization_id);
  void InsertMembership(const MembershipRow& row);
  // The member's password wrap of the key; clears a pending grant.
  void SetMembershipKey(const std::string& account_id, const std::string& organization_id,
                        const std::string& wrapped_key, const std::string& key_salt);
  void SetGrant(const std::string& account_id, const std::string& organization_id, const std::string& granted_key,
                const std::string& granted_by, long long now);
  // Forgets every key of the account (password reset without the old password).
  void ClearMembershipKeys(const std::string& account_id);
  // Key rotation (docs/adr/0010): the member's access becomes a pending grant of the new key
  // (its wrap of the old key goes), or nothing at all.
  void ReplaceWithGrant(const std::string& account_id, const std::string& organization_id,
                        const std::string& granted_key, const std::string& granted_by, long long now);
  void ClearMembershipKey(const std::string& account_id, const std::string& organization_id);
  // Conditional writes of sign-in and password change: false (nothing written) when the row no
  // longer holds what was read before the Argon2id work, e.g. a key rotation replaced it.
  bool ConvertGrant(const std::string& account_id, const std::string& organization_id, const std::string& wrapped_key,
                    const std::string& key_salt, const std::string& granted_key_read);
  bool RewrapMembershipKey(const std::string& account_id, const std::string& organization_id,
                           const std::string& wrapped_key, const std::string& key_salt,
                           const std::string& wrapped_key_read);
  // Whether some member of the organization other than `except_account` holds or awaits its key.
  bool OrganizationHasKeyHolder(const std::string& organization_id, const std::string& except_account);

  void InsertInvitation(const InvitationRow& row);
  std::optional<InvitationRow> FindInvitation(const std::string& token_hash);
  // The organization whose keys the invitations of `account_id` create (a first member invited
  // from the web), or nullopt.
  std::optional<std::string> FirstMemberOrganization(const std::string& account_id);
  void MarkInvitationPasswordDone(const std::string& token_hash, const std::string& pending_totp_secret, long long now);
  void MarkInvitationUsed(const std::string& token_hash, long long now);
  // Ends the account's open links (a new one replaces them).
  void CloseInvitationsOf(const std::string& account_id, long long now);
  // The latest expiry of the account's invitation links still open (not used nor closed).
  std::optional<long long> OpenInvitationExpiry(const std::string& account_id);
  // Removes the organization's key from its open invitations (key rotation: the old key must
  // not be handed out any more). Returns how many.
  std::size_t DropCarriedKeys(const std::string& organization_id);

  void InsertSession(const SessionRow& row);
  std::optional<SessionRow> FindSession(const std::string& id);
  void TouchSession(const std::string& id, long long now);
  void SetSessionKeyBox(const std::string& id, const std::string& key_box);
  bool DeleteSession(const std::string& id);
  std::size_t DeleteSessionsOf(const std::string& account_id);
  std::size_t DeleteSessionsOfExcept(const std::string& account_id, const std::string& kept_session_id);
  std::size_t DeleteSessionsIdleSince(long long idle_before, long long created_before);

  std::optional<ThrottleRow> FindThrottle(const std::string& key);
  void SaveThrottle(const ThrottleRow& row);
  std::size_t DeleteThrottlesBefore(long long last_activity_before);

  std::optional<OrganizationRow> FindOrganization(const std::string& id);
  std::optional<RecoveryRow> FindRecovery(const std::string& organization_id);
  void InsertRecovery(const RecoveryRow& row);
  // Inserts or replaces the organization's recovery wrap (the old code stops working).
  void ReplaceRecovery(const RecoveryRow& row);
  bool TerritoryExists(const std::string& slug);

 private:
  soci::session& sql_;
};

}  // namespace passerelle::accounts
