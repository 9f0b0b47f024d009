#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "accounts/model.h"
#include "accounts/password_policy.h"
#include "accounts/secrets.h"
#include "accounts/session.h"
#include "accounts/throttle.h"
#include "core/crypto.h"
#include "core/result.h"
#include "storage/database.h"

// Account use cases (no HTTP): invitations, one-time links, sign-in, passwords, organization
// keys, accounts of a territory. Every write is one transaction, committed before returning,
// with its audit entry in the same transaction.
namespace passerelle::accounts {

inline constexpr std::chrono::seconds kLinkLifetime{72 * 3600};

struct AccountsConfig {
  std::filesystem::path demo_key_dir;         // <data dir>/demo-keys: demo organizations' secret keys
  std::chrono::milliseconds hash_wait{2000};  // how long a sign-in waits for an Argon2id slot
};

// Whether an invitation may carry the organization's key (its first member): from the command
// line only. A link shown on a web page may never carry it: the coordinator who sees the link
// could open it herself, and coordinators never reach a referral (docs/territory-console.md).
//  - kAllowed: the command line; an organization without keys gets them now, in the link.
//  - kRefused: a member of an organization whose key no member holds is refused.
//  - kAtEnrolment: the web console (docs/accounts.md "First member from the web"). An
//    organization without any key: the link carries none, the keys are created when she sets
//    her password (CompletePasswordStep gives her the recovery code), and the link is e-mailed
//    to her address only (AddedUser::emailed, no token returned). An organization with a public
//    key that no member holds: refused, as kRefused (a new key would orphan what was sealed).
enum class CarriedKey { kAllowed, kRefused, kAtEnrolment };

struct NewUser {
  std::string email;
  Role role = Role::kMember;
  std::string organization_id;  // members
  std::string territory_slug;   // coordinators
  std::chrono::seconds expires_in = kLinkLifetime;
  std::string actor = "cli";  // for the audit log: "cli" or "account:<id>"
  CarriedKey carried_key = CarriedKey::kAllowed;
};

enum class KeyAccess {
  kNone,         // coordinator or operator: never a key
  kCarried,      // the invitation carries the organization's key (its first member)
  kByGrant,      // another member grants it, or the recovery code gives it
  kAtEnrolment,  // the organization's keys are created when she sets her password
};

struct AddedUser {
  std::string account_id;
  std::string token;                         // the link is <public url>/pro/invitation/<token>
  std::optional<std::string> recovery_code;  // when the organization's keys were created or adopted now
  KeyAccess key_access = KeyAccess::kNone;
  bool adopted_demo_key = false;
  // The link went by e-mail to her address (outbox, link_path) and `token` is empty: nobody else
  // sees it (kAtEnrolment).
  bool emailed = false;
};

// The password step of a link done. `recovery_code`: the organization's keys were created now
// (a first member invited from the web): shown to her once, never stored in clear.
struct PasswordStepDone {
  std::optional<std::string> recovery_code;
};

// A new invitation link: `token` to show once, or `emailed` (token empty) for a first member's.
struct ResentInvitation {
  std::string token;
  bool emailed = false;
};

struct OrganizationKeysCreated {
  std::string recovery_code;
  bool adopted_demo_key = false;
};

enum class LinkKind { kInvite, kPasswordReset, kTotpReset };

struct LinkView {
  LinkKind kind = LinkKind::kInvite;
  std::string email;
  bool password_done = false;  // next step: the TOTP
  bool carries_key = false;    // an invitation giving the organization's key
};

struct TotpEnrolment {
  std::string secret;  // raw bytes
  std::string email;
};

struct LoginRequest {
  std::string email;
  std::string password;
  std::string code;
  std::string client_address;
};

struct LoginResult {
  enum class Outcome { kSignedIn, kRefused, kThrottled, kBusy };
  Outcome outcome = Outcome::kRefused;
  std::string session_token;            // kSignedIn
  std::chrono::seconds retry_after{0};  // kThrottled, kBusy
};

struct AccountView {
  std::string id;
  std::string email;
  Role role = Role::kMember;
  std::string territory_slug;
  AccountStatus status = AccountStatus::kInvited;
  std::vector<std::string> organization_names;
};

// An organization's member as its coordinators and operators see her in the console.
struct ManagedMember {
  std::string account_id;
  std::string email;
  AccountStatus status = AccountStatus::kInvited;
  bool invitation_expired = false;  // invited, and no open link left
};

struct MemberView {
  std::string account_id;
  std::string email;
  AccountStatus status = AccountStatus::kInvited;
  bool has_key = false;            // can read the organization's referrals
  bool grant_pending = false;      // granted, effective at the member's next sign-in
  bool can_receive_grant = false;  // has set a password (an account key to seal to)
};

struct OrganizationAccess {
  std::string organization_id;
  std::string name;
  bool has_key = false;  // in this session
  bool grant_pending = false;
};

// A key rotation as accounts prepares it (docs/adr/0010): the password checked and the slow
// work done before key_rotation::KeyRotationService opens its transaction. The recovery code is
// shown once and stored nowhere in clear; the wraps are read by accounts only.
struct PreparedKeyRotation {
  std::string account_id;
  org_keys::KeyPair fresh;
  std::string recovery_code;
  std::string own_wrapped;  // the new secret under the applying member's password
  std::string own_salt;
  std::string recovery_wrapped;  // and under the recovery code
  std::string recovery_salt;
  LoginThrottle::Keys throttle_keys;
  long long now = 0;
};

// What a rotation changed on the accounts' side.
struct MembersRekeyed {
  std::size_t grants = 0;          // colleagues who receive the new key at their next sign-in
  std::size_t access_removed = 0;  // colleagues who had access and cannot receive a grant (disabled, no account key)
  std::size_t invitations = 0;     // open invitations that carried the old key (it is removed from them)
  std::size_t sessions_killed = 0;
};

class AccountService {
 public:
  AccountService(storage::Database& db, const core::ServerKey& server_key, const PasswordPolicy& policy,
                 HashLimiter& hashes, SessionStore& sessions, Clock clock, AccountsConfig config);

  // `passerelle user add`: an invited account and its one-time link. For a member of an
  // organization without keys, the keys are created (or the demo key adopted) and the recovery
  // code returned; the invitation then carries the key.
  core::Result<AddedUser> AddUser(const NewUser& user);
  // `passerelle org keys`: creates the organization's keys (or adopts its demo key) and returns
  // the recovery code, once. kConflict when it has a recovery code already.
  core::Result<OrganizationKeysCreated> CreateOrganizationKeys(const std::string& organization_id);

  // One-time links (invitation, password reset, TOTP reset). kNotFound for an unknown, used or
  // expired link (the same answer).
  core::Result<LinkView> OpenLink(const std::string& token);
  // First step: a new password (invite, password reset) or the current one (TOTP reset).
  // `client_address` throttles guesses of the current password.
  core::Result<PasswordStepDone> CompletePasswordStep(const std::string& token, const std::string& password,
                                                      const std::string& confirmation,
                                                      const std::string& client_address);
  core::Result<TotpEnrolment> PendingTotp(const std::string& token);
  // Second step: a correct code activates the account (and closes the link).
  core::Result<core::Ok> ConfirmTotp(const std::string& token, const std::string& code);

  // Password + TOTP. The same kRefused for an unknown account, a wrong password, a wrong or
  // replayed code, a disabled or unfinished account.
  LoginResult Login(const LoginRequest& request);
  void Logout(const Principal& principal);
  // Re-wraps every key with the new password, ends every session of the account and opens a
  // new one: returns its cookie token.
  core::Result<std::string> ChangePassword(const Principal& principal, const std::string& current,
                                           const std::string& password, const std::string& confirmation);

  // Coordinators: accounts of their territory; operators: every account.
  std::vector<AccountView> ListAccounts(const Principal& principal);
  core::Result<core::Ok> Disable(const Principal& actor, const std::string& account_id);
  // The console (issue 11 §2; the route checks the actor's territory): an organization's
  // members; a disabled account enabled again (active if she had finished her enrolment, else
  // invited: she then needs a new invitation); a new invitation link for an invited account
  // (every earlier link of hers closed first: an old link stays dead). Audited
  // "account.enabled" / "account.invitation_resent". kConflict when the state does not allow it.
  std::vector<ManagedMember> MembersOfOrganization(const std::string& organization_id);
  core::Result<core::Ok> Reenable(const Principal& actor, const std::string& account_id);
  core::Result<ResentInvitation> ResendInvitation(const Principal& actor, const std::string& account_id);
  // New one-time links (returns the token): the TOTP must be enrolled again (password checked);
  // or the password and the TOTP (the keys are lost unless granted again).
  core::Result<std::string> ResetTotp(const Principal& actor, const std::string& account_id);
  core::Result<std::string> ResetPassword(const Principal& actor, const std::string& account_id);

  // Organization members and keys (members only).
  std::optional<std::string> OrganizationName(const std::string& organization_id);
  std::vector<MemberView> Members(const Principal& viewer, const std::string& organization_id);
  std::vector<OrganizationAccess> AccessOf(const Principal& principal);
  // Seals the organization's key (from the granter's session) to the grantee's account key.
  core::Result<core::Ok> Grant(const Principal& granter, const std::string& organization_id,
                               const std::string& grantee_account_id);
  // The recovery code opens the organization's key: wrapped for the member's password (checked)
  // and added to the session.
  core::Result<core::Ok> Recover(const Principal& principal, const std::string& organization_id,
                                 const std::string& recovery_code, const std::string& password);

  // The accounts' two steps of applying an approved key rotation (docs/adr/0010, docs/accounts.md
  // "Key rotation"); key_rotation::KeyRotationService checks membership, the session's key and
  // the approval first, and orders the steps. PrepareKeyRotation checks the password (throttled,
  // Argon2id within the hash bound) and makes the new pair, its wrap for that password and a new
  // recovery code: kInvalidInput wrong password, kRateLimited, kUnavailable when busy.
  core::Result<PreparedKeyRotation> PrepareKeyRotation(const Principal& principal, const std::string& organization_id,
                                                       const std::string& password);
  // In the caller's transaction: the new secret wrapped for the applying member, a pending grant
  // for every other member who had access (or their access removed), their sessions and the
  // applying member's other sessions ended, the carried keys dropped from open invitations, the
  // new recovery wrap (the old code stops working), the new key in this session, the throttle
  // counters reset.
  MembersRekeyed ApplyKeyRotation(soci::session& sql, const Principal& principal, const std::string& organization_id,
                                  const PreparedKeyRotation& prepared);

  // Removes sessions and throttle counters past their time (called now and then).
  void Prune();

  static std::string NormalizeEmail(std::string_view email);

 private:
  struct Link;
  core::Result<Link> FindOpenLink(const std::string& token, long long now);
  core::Result<std::string> NewLink(const Principal& actor, const std::string& account_id, LinkKind kind);
  long long Now() const;
  // Counts one attempt against the throttle's counters (in its own transaction, before any
  // Argon2id) and returns how long the caller must wait (0: go on).
  std::chrono::seconds CountAttempt(const LoginThrottle::Keys& keys, long long now);

  storage::Database& db_;
  const PasswordPolicy& policy_;
  HashLimiter& hashes_;
  SessionStore& sessions_;
  Clock clock_;
  AccountsConfig config_;
  std::string totp_key_;  // server sub-key "totp"
  LoginThrottle throttle_;
  std::string dummy_hash_;
};

// The stored hash of a one-time link token, and the key an invitation's carried key is
// encrypted with (derived from the token alone: the database holds neither).
std::string LinkIdOf(std::string_view token);
std::string LinkKeyOf(std::string_view token);

// How many accounts are members of the organization, whatever their state (the census's actor
// list shows whether an organization has members; issue 11 §2).
std::size_t MemberCount(storage::Database& db, const std::string& organization_id);

}  // namespace passerelle::accounts
