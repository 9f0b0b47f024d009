// Account use cases on SQLite and PostgreSQL, with an injectable clock.
#include <gtest/gtest.h>

#include <sodium.h>

#include <fstream>
#include <thread>

#include "accounts/keys.h"
#include "accounts/repository.h"
#include "accounts/secrets.h"
#include "accounts/service.h"
#include "accounts/throttle.h"
#include "accounts/totp.h"
#include "audit/audit_log.h"
#include "org_keys/repository.h"
#include "org_keys/sealing.h"
#include "storage/testing.h"

namespace passerelle::accounts {
namespace {

using namespace std::chrono_literals;
using std::chrono::system_clock;

constexpr const char* kPassword = "trois chats sur un toit";
constexpr const char* kOtherPassword = "la tisane sent la menthe";

class AccountsDbTest : public storage::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    now_ = system_clock::time_point(std::chrono::seconds(1'800'000'000));
    server_key_ = std::make_unique<core::ServerKey>(core::ServerKey::FromBytes(std::string(32, 'k')));
    policy_ = std::make_unique<PasswordPolicy>(std::vector<std::string>{"password", "winniethepooh"});
    hashes_ = std::make_unique<HashLimiter>(2);
    const Clock clock = [this] { return now_; };
    sessions_ = std::make_unique<SessionStore>(*db_, *server_key_, clock);
    service_ = std::make_unique<AccountService>(*db_, *server_key_, *policy_, *hashes_, *sessions_, clock,
                                                AccountsConfig{dir_ / "demo-keys", 300ms});
    soci::session sql(db_->pool());
    for (const char* t : {"t1", "t2"}) storage::testing::InsertTerritory(sql, t);
    for (const auto& [org, territory] :
         {std::pair{"org-a", "t1"}, std::pair{"org-b", "t1"}, std::pair{"org-c", "t2"}}) {
      storage::testing::InsertOrganization(sql, org, territory);
    }
  }

  // An active account: invitation, password, TOTP. Returns its TOTP secret.
  struct Enrolled {
    std::string account_id;
    std::string totp_secret;
    AddedUser added;
  };
  Enrolled Enrol(const std::string& email, Role role, const std::string& org = "", const std::string& territory = "",
                 const std::string& password = kPassword) {
    NewUser user{email, role, org, territory, kLinkLifetime};
    auto added = service_->AddUser(user);
    EXPECT_TRUE(added.ok()) << (added.ok() ? "" : added.error().public_message);
    if (!added.ok()) return {};
    EXPECT_TRUE(service_->CompletePasswordStep(added.value().token, password, password, "10.0.0.1").ok());
    auto pending = service_->PendingTotp(added.value().token);
    EXPECT_TRUE(pending.ok());
    if (!pending.ok()) return {};
    const std::string secret = pending.value().secret;
    EXPECT_TRUE(service_->ConfirmTotp(added.value().token, CodeNow(secret)).ok());
    Advance(30s);  // the enrolment used the current step
    return Enrolled{added.value().account_id, secret, added.value()};
  }

  std::string CodeNow(const std::string& secret) const { return TotpCode(secret, TotpStep(now_)); }
  void Advance(std::chrono::seconds d) { now_ += d; }

  LoginResult Login(const std::string& email, const std::string& password, const std::string& code,
                    const std::string& address = "10.0.0.1") {
    return service_->Login(LoginRequest{email, password, code, address});
  }
  // Signs in (a fresh step) and resumes the session.
  std::pair<std::string, Principal> SignIn(const std::string& email, const std::string& secret,
                                           const std::string& password = kPassword) {
    Advance(30s);
    const LoginResult result = Login(email, password, CodeNow(secret));
    EXPECT_EQ(result.outcome, LoginResult::Outcome::kSignedIn);
    auto principal = sessions_->Resume(result.session_token);
    EXPECT_TRUE(principal.has_value());
    return {result.session_token, principal.value_or(Principal{})};
  }

  std::string PublicKeyOf(const std::string& org) {
    soci::session sql(db_->pool());
    const auto key = org_keys::OrganizationKeyRepository(sql).PublicKeyOf(org);
    return key ? *core::Base64UrlDecode(*key) : "";
  }

  // Every text of the tables that could leak a key.
  std::string DumpOfKeyTables() {
    soci::session sql(db_->pool());
    std::string dump;
    const char* queries[] = {
        "SELECT COALESCE(wrapped_key, '') || COALESCE(key_salt, '') || COALESCE(granted_key, '') FROM membership",
        "SELECT COALESCE(carried_key, '') || COALESCE(pending_totp_secret, '') FROM account_invitation",
        "SELECT wrapped_key || key_salt FROM organization_recovery",
        "SELECT id || COALESCE(key_box, '') FROM account_session",
        "SELECT COALESCE(secret_wrapped, '') || COALESCE(totp_secret, '') || COALESCE(password_hash, '') FROM account",
        "SELECT public_key FROM organization_key"};
    for (const char* query : queries) {
      std::string value;
      soci::statement st = (sql.prepare << query, soci::into(value));
      st.execute();
      while (st.fetch()) dump += value + "\n";
    }
    return dump;
  }

  std::vector<std::string> AuditActions() {
    soci::session sql(db_->pool());
    std::vector<std::string> actions;
    std::string action;
    soci::statement st = (sql.prepare << "SELECT action FROM audit_log ORDER BY seq", soci::into(action));
    st.execute();
    while (st.fetch()) actions.push_back(action);
    return actions;
  }

  system_clock::time_point now_;
  std::unique_ptr<core::ServerKey> server_key_;
  std::unique_ptr<PasswordPolicy> policy_;
  std::unique_ptr<HashLimiter> hashes_;
  std::unique_ptr<SessionStore> sessions_;
  std::unique_ptr<AccountService> service_;
};

#define SKIP_IF_NEEDED() \
  if (IsSkipped() || HasFatalFailure()) return

TEST_P(AccountsDbTest, InvitedMemberSignsInAndHoldsTheOrganizationKey) {
  SKIP_IF_NEEDED();
  const Enrolled alice = Enrol("Alice@Example.org", Role::kMember, "org-a");
  EXPECT_EQ(alice.added.key_access, KeyAccess::kCarried);  // first member: the link carries the new key
  ASSERT_TRUE(alice.added.recovery_code.has_value());
  const auto [token, principal] = SignIn("alice@example.org", alice.totp_secret);
  EXPECT_EQ(principal.role, Role::kMember);
  EXPECT_EQ(principal.organization_ids, std::vector<std::string>{"org-a"});
  const auto key = sessions_->OrganizationKey(principal, "org-a");
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->public_key, PublicKeyOf("org-a"));
  EXPECT_EQ(org_keys::Open(org_keys::Seal("rapport", PublicKeyOf("org-a")), *key), "rapport");
  EXPECT_FALSE(sessions_->OrganizationKey(principal, "org-b"));  // not a member
  // Neither the secret key nor the cookie token is in the database.
  const std::string dump = DumpOfKeyTables();
  EXPECT_EQ(dump.find(core::Base64UrlEncode(key->secret_key)), std::string::npos);
  EXPECT_EQ(dump.find(token), std::string::npos);
  EXPECT_NE(dump.find(SessionStore::IdOf(token)), std::string::npos);
  const auto actions = AuditActions();
  EXPECT_NE(std::find(actions.begin(), actions.end(), "login.success"), actions.end());
  EXPECT_TRUE(audit::Verify(*db_).ok);
}

TEST_P(AccountsDbTest, CoordinatorsAndOperatorsNeverHoldAKey) {
  SKIP_IF_NEEDED();
  Enrol("alice@example.org", Role::kMember, "org-a");
  const Enrolled coord = Enrol("coord@example.org", Role::kCoordinator, "", "t1");
  const Enrolled op = Enrol("op@example.org", Role::kOperator);
  EXPECT_EQ(coord.added.key_access, KeyAccess::kNone);
  for (const auto& [email, secret] :
       {std::pair{"coord@example.org", coord.totp_secret}, std::pair{"op@example.org", op.totp_secret}}) {
    auto [token, principal] = SignIn(email, secret);
    for (const char* org : {"org-a", "org-b", "org-c"})
      EXPECT_FALSE(sessions_->OrganizationKey(principal, org)) << email;
    // Even a principal claiming the organization gets nothing.
    principal.organization_ids = {"org-a"};
    EXPECT_FALSE(sessions_->OrganizationKey(principal, "org-a"));
    EXPECT_TRUE(service_->AccessOf(principal).empty());
  }
  // A session created for a coordinator with keys stores none.
  const org_keys::KeyPair pair = org_keys::GenerateKeyPair();
  const std::string token = db_->InTransaction([&](soci::session& sql) {
    return sessions_->Create(sql, coord.account_id, Role::kCoordinator, {{"org-a", pair}});
  });
  soci::session sql(db_->pool());
  const auto row = AccountRepository(sql).FindSession(SessionStore::IdOf(token));
  ASSERT_TRUE(row.has_value());
  EXPECT_FALSE(row->key_box.has_value());
}

TEST_P(AccountsDbTest, TheSameRefusalForEveryWrongSignIn) {
  SKIP_IF_NEEDED();
  const Enrolled alice = Enrol("alice@example.org", Role::kMember, "org-a");
  Advance(30s);
  const std::string code = CodeNow(alice.totp_secret);
  EXPECT_EQ(Login("alice@example.org", "wrong password!", code).outcome, LoginResult::Outcome::kRefused);
  EXPECT_EQ(Login("alice@example.org", kPassword, "000000").outcome, LoginResult::Outcome::kRefused);
  EXPECT_EQ(Login("nobody@example.org", kPassword, code).outcome, LoginResult::Outcome::kRefused);
  EXPECT_EQ(Login("alice@example.org", kPassword, code).outcome, LoginResult::Outcome::kSignedIn);
  // The same code again, even at once: refused (never accepted twice).
  EXPECT_EQ(Login("alice@example.org", kPassword, code).outcome, LoginResult::Outcome::kRefused);
  // An older step, still within the window, is refused too once a later one was used.
  Advance(30s);
  EXPECT_EQ(Login("alice@example.org", kPassword, code).outcome, LoginResult::Outcome::kRefused);
  EXPECT_EQ(Login(" ALICE@example.org ", kPassword, CodeNow(alice.totp_secret)).outcome,
            LoginResult::Outcome::kSignedIn);
  const auto actions = AuditActions();
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "login.failure"), 5);
}

TEST_P(AccountsDbTest, UnfinishedExpiredAndUsedLinks) {
  SKIP_IF_NEEDED();
  auto added = service_->AddUser(NewUser{"bob@example.org", Role::kMember, "org-a", "", 3600s});
  ASSERT_TRUE(added.ok());
  const std::string token = added.value().token;
  // Invited, no password yet: cannot sign in.
  EXPECT_EQ(Login("bob@example.org", kPassword, "123456").outcome, LoginResult::Outcome::kRefused);
  // Weak passwords and a wrong confirmation are refused, the link stays usable.
  EXPECT_EQ(service_->CompletePasswordStep(token, "court", "court", "a").error().code, core::ErrorCode::kInvalidInput);
  EXPECT_EQ(service_->CompletePasswordStep(token, "Password1234", "Password1234", "a").error().code,
            core::ErrorCode::kInvalidInput);
  EXPECT_EQ(service_->CompletePasswordStep(token, kPassword, kOtherPassword, "a").error().code,
            core::ErrorCode::kInvalidInput);
  ASSERT_TRUE(service_->CompletePasswordStep(token, kPassword, kPassword, "a").ok());
  // Password set but TOTP not confirmed: still cannot sign in.
  const std::string secret = service_->PendingTotp(token).value().secret;
  EXPECT_EQ(Login("bob@example.org", kPassword, CodeNow(secret)).outcome, LoginResult::Outcome::kRefused);
  EXPECT_EQ(service_->ConfirmTotp(token, "000000").error().code, core::ErrorCode::kInvalidInput);
  // Past its lifetime the link is gone.
  Advance(3601s);
  EXPECT_EQ(service_->OpenLink(token).error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(service_->ConfirmTotp(token, CodeNow(secret)).error().code, core::ErrorCode::kNotFound);
  // A used link is gone too.
  const Enrolled carol = Enrol("carol@example.org", Role::kMember, "org-b");
  EXPECT_EQ(service_->OpenLink(carol.added.token).error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(service_->OpenLink("unknown-token").error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(service_->AddUser(NewUser{"CAROL@example.org", Role::kOperator, "", "", kLinkLifetime}).error().code,
            core::ErrorCode::kConflict);
  EXPECT_EQ(service_->AddUser(NewUser{"d@example.org", Role::kMember, "org-zzz", "", kLinkLifetime}).error().code,
            core::ErrorCode::kNotFound);
  EXPECT_EQ(service_->AddUser(NewUser{"not-an-email", Role::kOperator, "", "", kLinkLifetime}).error().code,
            core::ErrorCode::kInvalidInput);
}

TEST_P(AccountsDbTest, SessionsExpireWhenIdleAndAfterTwelveHours) {
  SKIP_IF_NEEDED();
  const Enrolled alice = Enrol("alice@example.org", Role::kMember, "org-a");
  auto [token, principal] = SignIn("alice@example.org", alice.totp_secret);
  Advance(29min);
  EXPECT_TRUE(sessions_->Resume(token));
  Advance(29min);
  EXPECT_TRUE(sessions_->Resume(token));  // activity keeps it alive
  Advance(31min);
  EXPECT_FALSE(sessions_->Resume(token));  // idle too long
  EXPECT_FALSE(sessions_->Resume(token));  // and deleted

  auto [token2, principal2] = SignIn("alice@example.org", alice.totp_secret);
  // Active every 20 minutes: alive at exactly 12 h, ended just after.
  for (int i = 1; i <= 12 * 3; ++i) {
    Advance(20min);
    ASSERT_TRUE(sessions_->Resume(token2)) << "ended after " << i * 20 << " min";
  }
  Advance(20min);
  if (!sessions_->Resume(token2)) return;
  FAIL() << "still alive after 12 h";
}

// docs/security.md F7: the edge's check of a session reads it and writes nothing.
TEST_P(AccountsDbTest, SessionsIsLiveReadsWithoutWriting) {
  SKIP_IF_NEEDED();
  const Enrolled alice = Enrol("alice@example.org", Role::kMember, "org-a");
  auto [token, principal] = SignIn("alice@example.org", alice.totp_secret);
  EXPECT_TRUE(sessions_->IsLive(token));
  EXPECT_FALSE(sessions_->IsLive(""));
  EXPECT_FALSE(sessions_->IsLive("forged-token"));
  EXPECT_FALSE(sessions_->IsLive(std::string(101, 'a')));
  Advance(29min);
  EXPECT_TRUE(sessions_->IsLive(token));
  Advance(2min);
  // IsLive did not refresh the idle timer: 31 minutes since sign-in.
  EXPECT_FALSE(sessions_->IsLive(token));
  EXPECT_FALSE(sessions_->Resume(token));
}

TEST_P(AccountsDbTest, LogoutDisablingAndPasswordChangeKillSessions) {
  SKIP_IF_NEEDED();
  const Enrolled alice = Enrol("alice@example.org", Role::kMember, "org-a");
  const Enrolled coord = Enrol("coord@example.org", Role::kCoordinator, "", "t1");
  auto [token1, p1] = SignIn("alice@example.org", alice.totp_secret);
  service_->Logout(p1);
  EXPECT_FALSE(sessions_->Resume(token1));

  auto [token2, p2] = SignIn("alice@example.org", alice.totp_secret);
  auto [token3, p3] = SignIn("alice@example.org", alice.totp_secret);
  auto changed = service_->ChangePassword(p2, "wrong current pw", kOtherPassword, kOtherPassword);
  EXPECT_EQ(changed.error().internal_detail, "wrong current password");
  EXPECT_EQ(service_->ChangePassword(p2, kPassword, "winniethepooh", "winniethepooh").error().code,
            core::ErrorCode::kInvalidInput);
  changed = service_->ChangePassword(p2, kPassword, kOtherPassword, kOtherPassword);
  ASSERT_TRUE(changed.ok()) << changed.error().public_message;
  EXPECT_FALSE(sessions_->Resume(token2));
  EXPECT_FALSE(sessions_->Resume(token3));
  const auto fresh = sessions_->Resume(changed.value());
  ASSERT_TRUE(fresh);
  EXPECT_TRUE(sessions_->OrganizationKey(*fresh, "org-a"));  // the key survived the re-wrap
  // The new password opens the key at the next sign-in; the old one no longer signs in.
  Advance(30s);
  EXPECT_EQ(Login("alice@example.org", kPassword, CodeNow(alice.totp_secret)).outcome, LoginResult::Outcome::kRefused);
  auto [token4, p4] = SignIn("alice@example.org", alice.totp_secret, kOtherPassword);
  EXPECT_EQ(sessions_->OrganizationKey(p4, "org-a")->public_key, PublicKeyOf("org-a"));

  auto [coord_token, coordinator] = SignIn("coord@example.org", coord.totp_secret);
  EXPECT_EQ(service_->Disable(coordinator, coordinator.account_id).error().code, core::ErrorCode::kConflict);
  ASSERT_TRUE(service_->Disable(coordinator, alice.account_id).ok());
  EXPECT_FALSE(sessions_->Resume(token4));
  Advance(30s);
  EXPECT_EQ(Login("alice@example.org", kOtherPassword, CodeNow(alice.totp_secret)).outcome,
            LoginResult::Outcome::kRefused);
  const auto actions = AuditActions();
  EXPECT_NE(std::find(actions.begin(), actions.end(), "account.disabled"), actions.end());
  EXPECT_GE(std::count(actions.begin(), actions.end(), "session.killed"), 3);
}

TEST_P(AccountsDbTest, AMemberGrantsAccessToANewMember) {
  SKIP_IF_NEEDED();
  const Enrolled alice = Enrol("alice@example.org", Role::kMember, "org-a");
  const Enrolled bob = Enrol("bob@example.org", Role::kMember, "org-a");
  EXPECT_EQ(bob.added.key_access, KeyAccess::kByGrant);
  EXPECT_FALSE(bob.added.recovery_code.has_value());
  auto [bob_token, bob_p] = SignIn("bob@example.org", bob.totp_secret);
  EXPECT_FALSE(sessions_->OrganizationKey(bob_p, "org-a"));
  // Bob has no key: he cannot give one.
  EXPECT_EQ(service_->Grant(bob_p, "org-a", alice.account_id).error().code, core::ErrorCode::kForbidden);
  auto [alice_token, alice_p] = SignIn("alice@example.org", alice.totp_secret);
  EXPECT_EQ(service_->Grant(alice_p, "org-b", bob.account_id).error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(service_->Grant(alice_p, "org-a", "acc-unknown").error().code, core::ErrorCode::kNotFound);
  ASSERT_TRUE(service_->Grant(alice_p, "org-a", bob.account_id).ok());
  EXPECT_EQ(service_->Grant(alice_p, "org-a", alice.account_id).error().code, core::ErrorCode::kConflict);
  // Effective at Bob's next sign-in, where it becomes a password wrap.
  auto [bob_token2, bob_p2] = SignIn("bob@example.org", bob.totp_secret);
  ASSERT_TRUE(sessions_->OrganizationKey(bob_p2, "org-a"));
  EXPECT_EQ(sessions_->OrganizationKey(bob_p2, "org-a")->public_key, PublicKeyOf("org-a"));
  soci::session sql(db_->pool());
  const auto membership = AccountRepository(sql).FindMembership(bob.account_id, "org-a");
  EXPECT_TRUE(membership->wrapped_key.has_value());
  EXPECT_FALSE(membership->granted_key.has_value());
  auto [bob_token3, bob_p3] = SignIn("bob@example.org", bob.totp_secret);
  EXPECT_TRUE(sessions_->OrganizationKey(bob_p3, "org-a"));
  const auto actions = AuditActions();
  EXPECT_NE(std::find(actions.begin(), actions.end(), "key.granted"), actions.end());
}

TEST_P(AccountsDbTest, PasswordResetLosesTheKeyAndTheRecoveryCodeGivesItBack) {
  SKIP_IF_NEEDED();
  const Enrolled alice = Enrol("alice@example.org", Role::kMember, "org-a");
  const std::string recovery = *alice.added.recovery_code;
  const Enrolled coord = Enrol("coord@example.org", Role::kCoordinator, "", "t1");
  auto [coord_token, coordinator] = SignIn("coord@example.org", coord.totp_secret);
  auto [alice_token, alice_p] = SignIn("alice@example.org", alice.totp_secret);
  auto link = service_->ResetPassword(coordinator, alice.account_id);
  ASSERT_TRUE(link.ok());
  EXPECT_FALSE(sessions_->Resume(alice_token));
  EXPECT_EQ(service_->OpenLink(link.value()).value().kind, LinkKind::kPasswordReset);
  ASSERT_TRUE(service_->CompletePasswordStep(link.value(), kOtherPassword, kOtherPassword, "a").ok());
  const std::string secret = service_->PendingTotp(link.value()).value().secret;
  ASSERT_TRUE(service_->ConfirmTotp(link.value(), CodeNow(secret)).ok());
  auto [token, principal] = SignIn("alice@example.org", secret, kOtherPassword);
  EXPECT_FALSE(sessions_->OrganizationKey(principal, "org-a"));
  const auto access = service_->AccessOf(principal);
  ASSERT_EQ(access.size(), 1u);
  EXPECT_FALSE(access[0].has_key);

  EXPECT_EQ(service_->Recover(principal, "org-a", "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE", kOtherPassword).error().code,
            core::ErrorCode::kInvalidInput);
  EXPECT_EQ(service_->Recover(principal, "org-a", recovery, kPassword).error().code, core::ErrorCode::kInvalidInput);
  EXPECT_EQ(service_->Recover(principal, "org-b", recovery, kOtherPassword).error().code, core::ErrorCode::kNotFound);
  std::string typed = recovery;
  std::transform(typed.begin(), typed.end(), typed.begin(), [](char c) { return c == '-' ? ' ' : std::tolower(c); });
  ASSERT_TRUE(service_->Recover(principal, "org-a", typed, kOtherPassword).ok());
  EXPECT_EQ(sessions_->OrganizationKey(principal, "org-a")->public_key, PublicKeyOf("org-a"));
  auto [token2, principal2] = SignIn("alice@example.org", secret, kOtherPassword);
  EXPECT_TRUE(sessions_->OrganizationKey(principal2, "org-a"));
}

TEST_P(AccountsDbTest, TotpResetNeedsThePasswordAndReplacesTheSecret) {
  SKIP_IF_NEEDED();
  const Enrolled alice = Enrol("alice@example.org", Role::kMember, "org-a");
  const Enrolled coord = Enrol("coord@example.org", Role::kCoordinator, "", "t2");
  const Enrolled op = Enrol("op@example.org", Role::kOperator);
  auto [op_token, op_p] = SignIn("op@example.org", op.totp_secret);
  auto link = service_->ResetTotp(op_p, alice.account_id);
  ASSERT_TRUE(link.ok());
  Advance(30s);
  EXPECT_EQ(Login("alice@example.org", kPassword, CodeNow(alice.totp_secret)).outcome, LoginResult::Outcome::kRefused);
  EXPECT_EQ(service_->CompletePasswordStep(link.value(), kOtherPassword, "", "a").error().code,
            core::ErrorCode::kInvalidInput);
  ASSERT_TRUE(service_->CompletePasswordStep(link.value(), kPassword, "", "a").ok());
  const std::string secret = service_->PendingTotp(link.value()).value().secret;
  EXPECT_NE(secret, alice.totp_secret);
  ASSERT_TRUE(service_->ConfirmTotp(link.value(), CodeNow(secret)).ok());
  auto [token, principal] = SignIn("alice@example.org", secret);
  EXPECT_TRUE(sessions_->OrganizationKey(principal, "org-a"));  // the password, hence the key, stayed
  Advance(30s);
  EXPECT_EQ(Login("alice@example.org", kPassword, CodeNow(alice.totp_secret)).outcome, LoginResult::Outcome::kRefused);
  const auto actions = AuditActions();
  EXPECT_NE(std::find(actions.begin(), actions.end(), "totp.reset"), actions.end());
}

TEST_P(AccountsDbTest, AccountsOfATerritory) {
  SKIP_IF_NEEDED();
  Enrol("a@example.org", Role::kMember, "org-a");
  Enrol("c@example.org", Role::kMember, "org-c");
  const Enrolled coord = Enrol("coord1@example.org", Role::kCoordinator, "", "t1");
  Enrol("coord2@example.org", Role::kCoordinator, "", "t2");
  const Enrolled op = Enrol("op@example.org", Role::kOperator);
  auto [t1, coordinator] = SignIn("coord1@example.org", coord.totp_secret);
  std::vector<std::string> emails;
  for (const AccountView& a : service_->ListAccounts(coordinator)) emails.push_back(a.email);
  EXPECT_EQ(emails, (std::vector<std::string>{"a@example.org", "coord1@example.org"}));
  auto [t2, operator_p] = SignIn("op@example.org", op.totp_secret);
  EXPECT_EQ(service_->ListAccounts(operator_p).size(), 5u);
}

TEST_P(AccountsDbTest, DemoKeyIsAdoptedByTheFirstMember) {
  SKIP_IF_NEEDED();
  // As `passerelle demo` does: the public key in the database, the secret in demo-keys/.
  const org_keys::KeyPair demo = org_keys::GenerateKeyPair();
  std::filesystem::create_directories(dir_ / "demo-keys");
  std::ofstream(dir_ / "demo-keys" / "org-b.key") << core::Base64UrlEncode(demo.secret_key) << "\n";
  db_->InTransaction([&](soci::session& sql) {
    org_keys::OrganizationKeyRepository(sql).Insert("org-b", core::Base64UrlEncode(demo.public_key), "2027-01-15");
  });
  const Enrolled alice = Enrol("alice@example.org", Role::kMember, "org-b");
  EXPECT_TRUE(alice.added.adopted_demo_key);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "demo-keys" / "org-b.key"))
      << "adopted: the plain file is deleted (issue 15)";
  EXPECT_EQ(alice.added.key_access, KeyAccess::kCarried);
  EXPECT_TRUE(alice.added.recovery_code.has_value());
  auto [token, principal] = SignIn("alice@example.org", alice.totp_secret);
  EXPECT_EQ(sessions_->OrganizationKey(principal, "org-b")->secret_key, demo.secret_key);
  // org keys: already has its recovery code.
  EXPECT_EQ(service_->CreateOrganizationKeys("org-b").error().code, core::ErrorCode::kConflict);
  EXPECT_EQ(service_->CreateOrganizationKeys("org-zzz").error().code, core::ErrorCode::kNotFound);
  // An organization without keys gets them, and its recovery code works for a later member.
  const auto created = service_->CreateOrganizationKeys("org-c");
  ASSERT_TRUE(created.ok());
  EXPECT_FALSE(created.value().adopted_demo_key);
  const Enrolled carol = Enrol("carol@example.org", Role::kMember, "org-c");
  EXPECT_EQ(carol.added.key_access, KeyAccess::kByGrant);
  auto [carol_token, carol_p] = SignIn("carol@example.org", carol.totp_secret);
  ASSERT_TRUE(service_->Recover(carol_p, "org-c", created.value().recovery_code, kPassword).ok());
  EXPECT_EQ(sessions_->OrganizationKey(carol_p, "org-c")->public_key, PublicKeyOf("org-c"));
}

TEST_P(AccountsDbTest, ThrottlingSlowsGuessersButNotTheRealUser) {
  SKIP_IF_NEEDED();
  const Enrolled alice = Enrol("alice@example.org", Role::kMember, "org-a");
  // Alice signed in from her usual address once.
  SignIn("alice@example.org", alice.totp_secret);
  // A guesser at one address: 5 free attempts, then growing delays (2 s, 4 s … 64 s after the
  // 10th), even with the right password.
  for (int i = 0; i < 10; ++i) {
    Advance(std::chrono::seconds(DelayAfter(i, kPairRule) + 1));
    EXPECT_EQ(Login("alice@example.org", "guess " + std::to_string(i) + " xxxxx", "123456", "203.0.113.9").outcome,
              LoginResult::Outcome::kRefused);
  }
  EXPECT_EQ(Login("alice@example.org", "guess xxxxxxxxx", "123456", "203.0.113.9").outcome,
            LoginResult::Outcome::kThrottled);
  Advance(30s);
  const LoginResult throttled = Login("alice@example.org", kPassword, CodeNow(alice.totp_secret), "203.0.113.9");
  EXPECT_EQ(throttled.outcome, LoginResult::Outcome::kThrottled);
  // An unknown address is throttled the same way (no enumeration).
  for (int i = 0; i < 5; ++i) Login("nobody@example.org", "guess xxxxxxxxxx", "123456", "203.0.113.9");
  EXPECT_EQ(Login("nobody@example.org", "guess xxxxxxxxxx", "123456", "203.0.113.9").outcome,
            LoginResult::Outcome::kThrottled);
  // Many addresses guessing Alice's account: the account counter fills up…
  for (int i = 0; i < 12; ++i) {
    Login("alice@example.org", "guess xxxxxxxxxx", "123456", "198.51.100." + std::to_string(i));
  }
  EXPECT_EQ(Login("alice@example.org", "guess xxxxxxxxxx", "123456", "198.51.100.200").outcome,
            LoginResult::Outcome::kThrottled);
  // …but Alice, from the address she used before, still signs in at once.
  Advance(30s);
  EXPECT_EQ(Login("alice@example.org", kPassword, CodeNow(alice.totp_secret), "10.0.0.1").outcome,
            LoginResult::Outcome::kSignedIn);
  // Delays end: after the wait, the guesser's address may try again.
  Advance(16min);
  EXPECT_EQ(Login("alice@example.org", kPassword, CodeNow(alice.totp_secret), "203.0.113.9").outcome,
            LoginResult::Outcome::kSignedIn);
}

TEST_P(AccountsDbTest, BusyWhenEveryHashSlotIsTaken) {
  SKIP_IF_NEEDED();
  auto first = hashes_->Acquire(10ms);
  auto second = hashes_->Acquire(10ms);
  ASSERT_TRUE(first && second);
  EXPECT_FALSE(hashes_->Acquire(10ms));
  const LoginResult result = Login("alice@example.org", kPassword, "123456");
  EXPECT_EQ(result.outcome, LoginResult::Outcome::kBusy);
  EXPECT_GT(result.retry_after.count(), 0);
  first.reset();
  EXPECT_TRUE(hashes_->Acquire(10ms));
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountsDbTest,
                         ::testing::Values(core::DatabaseBackend::kSqlite, core::DatabaseBackend::kPostgresql),
                         storage::testing::BackendName);

TEST(Throttle, DelaysGrowAndAreCapped) {
  EXPECT_EQ(DelayAfter(0, kPairRule), 0);
  EXPECT_EQ(DelayAfter(4, kPairRule), 0);
  EXPECT_EQ(DelayAfter(5, kPairRule), 2);
  EXPECT_EQ(DelayAfter(6, kPairRule), 4);
  EXPECT_EQ(DelayAfter(10, kPairRule), 64);
  EXPECT_EQ(DelayAfter(40, kPairRule), kPairRule.cap_seconds);
  EXPECT_EQ(DelayAfter(1000, kAccountRule), kAccountRule.cap_seconds);
}

TEST(Secrets, WrapsOpenOnlyWithTheirKeyAndContext) {
  core::InitCrypto();
  const std::string key = core::RandomBytes(32);
  const std::string wrapped = Wrap(key, "secret", "membership|a|o");
  EXPECT_EQ(Unwrap(key, wrapped, "membership|a|o"), "secret");
  EXPECT_FALSE(Unwrap(key, wrapped, "membership|b|o"));
  EXPECT_FALSE(Unwrap(core::RandomBytes(32), wrapped, "membership|a|o"));
  EXPECT_FALSE(Unwrap(key, wrapped.substr(1), "membership|a|o"));
  const std::string salt = core::RandomBytes(kSaltBytes);
  EXPECT_EQ(DeriveKey("pw", salt), DeriveKey("pw", salt));
  EXPECT_NE(DeriveKey("pw", salt), DeriveKey("pw", core::RandomBytes(kSaltBytes)));
  const std::string hash = HashPassword("trois chats");
  EXPECT_NE(hash.find("$argon2id$v=19$m=65536,t=2"), std::string::npos);
  EXPECT_TRUE(VerifyPassword(hash, "trois chats"));
  EXPECT_FALSE(VerifyPassword(hash, "trois chat"));
  EXPECT_FALSE(VerifyPassword("garbage", "trois chats"));
}

TEST(Keys, RecoveryCodesAreCanonicalised) {
  core::InitCrypto();
  const std::string code = NewRecoveryCode();
  EXPECT_EQ(code.size(), 29u);
  EXPECT_EQ(CanonicalRecoveryCode(code).size(), 25u);
  EXPECT_EQ(CanonicalRecoveryCode("abcde-fghij klmno"), "ABCDEFGHIJKLMNO");
}

}  // namespace
}  // namespace passerelle::accounts
