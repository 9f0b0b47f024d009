// Applying an approved organization key rotation (docs/adr/0010) on SQLite and a real
// PostgreSQL: referrals in every status re-sealed, members' access, recovery code, approval,
// sessions, audit, rollback on an item that does not open, and a referral sent meanwhile.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <map>
#include <thread>

#include "accounts/keys.h"
#include "accounts/repository.h"
#include "accounts/service.h"
#include "accounts/totp.h"
#include "audit/audit_log.h"
#include "core/paris_time.h"
#include "directory/service.h"
#include "key_rotation/service.h"
#include "org_keys/repository.h"
#include "org_keys/sealing.h"
#include "org_keys/service.h"
#include "profile/service.h"
#include "referral/repository.h"
#include "referral/service.h"
#include "referral/workflow.h"
#include "storage/testing.h"

namespace passerelle::accounts {
namespace {

using namespace std::chrono_literals;
using std::chrono::system_clock;

constexpr const char* kPassword = "trois chats sur un toit";

class KeyRotationTest : public storage::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    now_ = system_clock::time_point(std::chrono::seconds(1'800'000'000));
    server_key_ = std::make_unique<core::ServerKey>(core::ServerKey::FromBytes(std::string(32, 'k')));
    policy_ = std::make_unique<PasswordPolicy>(std::vector<std::string>{"password"});
    hashes_ = std::make_unique<HashLimiter>(2);
    const Clock clock = [this] { return now_; };
    sessions_ = std::make_unique<SessionStore>(*db_, *server_key_, clock);
    service_ = std::make_unique<AccountService>(*db_, *server_key_, *policy_, *hashes_, *sessions_, clock,
                                                AccountsConfig{dir_ / "demo-keys", 300ms});
    rotation_ = std::make_unique<key_rotation::KeyRotationService>(*db_, *service_, *sessions_);
    referrals_ = std::make_unique<referral::ReferralService>(*db_, referral::ReferralKeys::From(*server_key_));
    workflow_ = std::make_unique<referral::WorkflowService>(*db_);
    directory_ = std::make_unique<directory::DirectoryService>(*db_);
    profiles_ = std::make_unique<profile::ProfileService>(*db_, *directory_);
    soci::session sql(db_->pool());
    storage::testing::InsertTerritory(sql, "t1");
    for (const char* id : {"org-a", "org-b"}) storage::testing::InsertOrganization(sql, id, "t1");
  }

  struct Enrolled {
    std::string account_id;
    std::string email;
    std::string totp_secret;
    AddedUser added;
  };
  Enrolled Enrol(const std::string& email, Role role, const std::string& org = "", const std::string& territory = "") {
    auto added = service_->AddUser(NewUser{email, role, org, territory, kLinkLifetime});
    EXPECT_TRUE(added.ok());
    if (!added.ok()) return {};
    EXPECT_TRUE(service_->CompletePasswordStep(added.value().token, kPassword, kPassword, "10.0.0.1").ok());
    auto pending = service_->PendingTotp(added.value().token);
    EXPECT_TRUE(pending.ok());
    if (!pending.ok()) return {};
    EXPECT_TRUE(service_->ConfirmTotp(added.value().token, TotpCode(pending.value().secret, TotpStep(now_))).ok());
    return Enrolled{added.value().account_id, email, pending.value().secret, added.value()};
  }

  struct Session {
    std::string token;
    Principal principal;
  };
  Session SignIn(const Enrolled& who) {
    now_ += 30s;  // a fresh TOTP step
    const LoginResult result =
        service_->Login(LoginRequest{who.email, kPassword, TotpCode(who.totp_secret, TotpStep(now_)), "10.0.0.1"});
    EXPECT_EQ(result.outcome, LoginResult::Outcome::kSignedIn) << who.email;
    auto principal = sessions_->Resume(result.session_token);
    EXPECT_TRUE(principal.has_value());
    return Session{result.session_token, principal.value_or(Principal{})};
  }

  std::string PublicKeyOf(const std::string& org) {
    soci::session sql(db_->pool());
    const auto key = org_keys::OrganizationKeyRepository(sql).PublicKeyOf(org);
    return key ? core::Base64UrlDecode(*key).value_or("") : "";
  }

  struct Sent {
    std::string id;
    std::string code;
  };
  // A report is a JSON object (src/referral/report.h); this one only carries a text.
  static std::string Report(const std::string& text) { return nlohmann::json{{"text", text}}.dump(); }
  Sent Send(const std::string& org, const std::string& text, bool handover = false) {
    const auto sent =
        referrals_->Send(referral::SendRequest{"flow-" + core::RandomHex(8), "t1", org, "svc-" + org, Report(text),
                                               handover, referral::SummaryJson({"logement", "75010"})},
                         now_);
    EXPECT_TRUE(sent.ok());
    return sent.ok() ? Sent{sent.value().id, sent.value().followup_code} : Sent{};
  }

  // Every value sealed to an organization's side in the referrals of `org`, by a stable name.
  std::map<std::string, std::string> OrganizationSide(const std::string& org) {
    soci::session sql(db_->pool());
    referral::ReferralRepository repository(sql);
    std::map<std::string, std::string> out;
    for (const referral::ReferralRow& row : repository.ListByOrganization(org)) {
      if (row.sealed_report) out[row.id + "/report"] = *row.sealed_report;
      if (row.sealed_summary) out[row.id + "/summary"] = *row.sealed_summary;
      for (const referral::MessageRow& m : repository.Messages(row.id)) {
        if (m.sender == "person") out[row.id + "/" + m.id + "/body"] = m.sealed_body;
        if (m.sender == "professional" && m.sealed_copy) out[row.id + "/" + m.id + "/copy"] = *m.sealed_copy;
      }
    }
    return out;
  }

  // Everything the rotation may write, to show that a refused rotation wrote nothing.
  std::string Snapshot() {
    soci::session sql(db_->pool());
    std::string dump;
    const char* queries[] = {
        "SELECT organization_id || public_key || created_on FROM organization_key ORDER BY organization_id",
        "SELECT id || COALESCE(sealed_report, '') || COALESCE(sealed_summary, '') FROM referral ORDER BY id",
        "SELECT id || sealed_body || COALESCE(sealed_copy, '') FROM referral_message ORDER BY id",
        ("SELECT account_id || organization_id || COALESCE(wrapped_key, '') || COALESCE(granted_key, '') FROM "
         "membership ORDER BY account_id, organization_id"),
        "SELECT organization_id || wrapped_key || key_salt FROM organization_recovery ORDER BY organization_id",
        "SELECT id || COALESCE(key_box, '') FROM account_session ORDER BY id",
        "SELECT id || status || COALESCE(CAST(applied_at AS TEXT), '-') FROM organization_change_request ORDER BY id",
        "SELECT COALESCE(carried_key, '-') FROM account_invitation ORDER BY token_hash",
        "SELECT action FROM audit_log ORDER BY seq"};
    for (const char* query : queries) {
      std::string value;
      soci::statement st = (sql.prepare << query, soci::into(value));
      st.execute();
      while (st.fetch()) dump += value + "\n";
      dump += "--\n";
    }
    return dump;
  }

  struct AuditRow {
    std::string actor, action, object, detail;
  };
  std::vector<AuditRow> Audits(const std::string& action) {
    soci::session sql(db_->pool());
    std::vector<AuditRow> out;
    AuditRow row;
    soci::statement st = (sql.prepare << "SELECT actor, action, object, detail FROM audit_log WHERE action = :a "
                                         "ORDER BY seq",
                          soci::into(row.actor), soci::into(row.action), soci::into(row.object), soci::into(row.detail),
                          soci::use(action));
    st.execute();
    while (st.fetch()) out.push_back(row);
    return out;
  }

  profile::Actor MemberActor(const Enrolled& who, const std::string& org) const {
    return profile::Actor{who.account_id, profile::Role::kMember, {org}, ""};
  }
  std::string ApprovedRotation(const Enrolled& requester, const Enrolled& coordinator) {
    const auto requested = profiles_->RequestKeyRotation(MemberActor(requester, "org-a"), "org-a", now_);
    EXPECT_TRUE(requested.ok());
    if (!requested.ok()) return "";
    const auto decided =
        profiles_->Decide(profile::Actor{coordinator.account_id, profile::Role::kCoordinator, {}, "t1"},
                          requested.value().id, profile::Decision::kApprove, now_);
    EXPECT_TRUE(decided.ok());
    return requested.value().id;
  }

  std::optional<long long> AppliedAt(const std::string& change_id) {
    const auto change = profiles_->FindChange(change_id);
    return change ? change->applied_at : std::nullopt;
  }

  system_clock::time_point now_;
  std::unique_ptr<core::ServerKey> server_key_;
  std::unique_ptr<PasswordPolicy> policy_;
  std::unique_ptr<HashLimiter> hashes_;
  std::unique_ptr<SessionStore> sessions_;
  std::unique_ptr<AccountService> service_;
  std::unique_ptr<key_rotation::KeyRotationService> rotation_;
  std::unique_ptr<referral::ReferralService> referrals_;
  std::unique_ptr<referral::WorkflowService> workflow_;
  std::unique_ptr<directory::DirectoryService> directory_;
  std::unique_ptr<profile::ProfileService> profiles_;
};

#define SKIP_IF_NEEDED() \
  if (IsSkipped() || HasFatalFailure()) return

TEST_P(KeyRotationTest, AnApprovedRotationReSealsEverythingAndMovesEveryoneToTheNewKey) {
  SKIP_IF_NEEDED();
  const Enrolled alice = Enrol("alice@example.org", Role::kMember, "org-a");  // the invitation carries the key
  const Enrolled bob = Enrol("bob@example.org", Role::kMember, "org-a");
  const Enrolled carol = Enrol("carol@example.org", Role::kMember, "org-a");  // never given access
  const Enrolled other = Enrol("berta@example.org", Role::kMember, "org-b");  // org-b's keys, for a hand-over
  const Enrolled coordinator = Enrol("coord@example.org", Role::kCoordinator, "", "t1");
  ASSERT_TRUE(alice.added.recovery_code.has_value());
  const std::string old_code = *alice.added.recovery_code;

  Session alice_first = SignIn(alice);
  ASSERT_TRUE(service_->Grant(alice_first.principal, "org-a", bob.account_id).ok());
  Session bob_session = SignIn(bob);  // converts the grant
  const auto old_keys = sessions_->OrganizationKey(bob_session.principal, "org-a");
  ASSERT_TRUE(old_keys.has_value());

  // Referrals in every status with content: new; acknowledged with messages both ways; closed;
  // refused with a note to her; handed over (the old row keeps no content: issue 10 §7).
  const Sent fresh = Send("org-a", "rapport nouveau");
  const Sent talked = Send("org-a", "rapport avec messages");
  const Sent closed = Send("org-a", "rapport clos");
  const Sent refused = Send("org-a", "rapport refusé");
  const Sent moved = Send("org-a", "rapport transmis", true);
  const std::string actor = "account:" + alice.account_id;
  using referral::ReferralStatus;
  ASSERT_TRUE(
      workflow_->ChangeStatus(talked.id, "org-a", {ReferralStatus::kAcknowledged, {}, {}, ""}, actor, now_).ok());
  ASSERT_TRUE(workflow_->WriteMessage(talked.id, "org-a", "Je vous appelle jeudi.", actor, now_).ok());
  ASSERT_TRUE(referrals_->Reply(talked.code, "Plutôt vendredi.", now_).ok());
  ASSERT_TRUE(
      workflow_->ChangeStatus(closed.id, "org-a", {ReferralStatus::kAcknowledged, {}, {}, ""}, actor, now_).ok());
  ASSERT_TRUE(workflow_
                  ->ChangeStatus(closed.id, "org-a",
                                 {ReferralStatus::kClosed, referral::CloseOutcome::kAccompanied, {}, ""}, actor, now_)
                  .ok());
  ASSERT_TRUE(
      workflow_
          ->ChangeStatus(refused.id, "org-a",
                         {ReferralStatus::kRefused, {}, referral::RefusalReason::kNoCapacity, "Appelez le 3919."},
                         actor, now_)
          .ok());
  const auto handed = workflow_->HandOver(moved.id, referral::OrganizationAccess{"org-a", old_keys},
                                          referral::HandOverTarget{"org-b", "svc-org-b", "t1"}, actor, now_);
  ASSERT_TRUE(handed.ok());
  const auto before = OrganizationSide("org-a");
  ASSERT_GE(before.size(), 10u);  // 4 reports, 4 summaries, her message, the professional's copy
  const auto org_b_before = OrganizationSide("org-b");

  const std::string change_id = ApprovedRotation(bob, coordinator);
  Session alice_session = SignIn(alice);  // alice_first stays open in "another browser"
  const auto rotated = rotation_->Rotate(alice_session.principal, "org-a", kPassword);
  ASSERT_TRUE(rotated.ok()) << rotated.error().internal_detail;
  const key_rotation::KeyRotated& done = rotated.value();
  EXPECT_EQ(done.request_id, change_id);
  EXPECT_EQ(done.referrals, 4u);
  EXPECT_EQ(done.items, before.size());
  EXPECT_EQ(done.grants, 1u);  // bob; carol had no access
  EXPECT_EQ(done.access_removed, 0u);
  EXPECT_EQ(done.sessions_killed, 2u);  // bob's, and alice's other session

  // The new key is in place, and in the applying member's session.
  const std::string new_public = PublicKeyOf("org-a");
  EXPECT_NE(new_public, old_keys->public_key);
  const auto new_keys = sessions_->OrganizationKey(alice_session.principal, "org-a");
  ASSERT_TRUE(new_keys.has_value());
  EXPECT_EQ(new_keys->public_key, new_public);

  // Every item sealed to the organization opens with the new key and no longer with the old one.
  const auto after = OrganizationSide("org-a");
  ASSERT_EQ(after.size(), before.size());
  for (const auto& [name, sealed] : after) {
    EXPECT_NE(sealed, before.at(name)) << name;
    EXPECT_TRUE(org_keys::Open(sealed, *new_keys).has_value()) << name;
    EXPECT_FALSE(org_keys::Open(sealed, *old_keys).has_value()) << name;
    EXPECT_EQ(org_keys::Open(sealed, *new_keys), org_keys::Open(before.at(name), *old_keys)) << name;
  }
  EXPECT_EQ(OrganizationSide("org-b"), org_b_before);  // another organization's referrals are not touched

  // The applying member reads everything; she still reads the professional's message and the note.
  for (const Sent& r : {fresh, talked, closed, refused}) {
    const auto opened = workflow_->Open(r.id, referral::OrganizationAccess{"org-a", new_keys}, actor, now_);
    ASSERT_TRUE(opened.ok());
    EXPECT_EQ(opened.value().report_state, referral::ReportState::kShown) << r.id;
    for (const auto& m : opened.value().messages) EXPECT_TRUE(m.text.has_value()) << r.id;
  }
  // The handed-over one kept nothing to re-seal (issue 10 §7).
  const auto handed_view = workflow_->Open(moved.id, referral::OrganizationAccess{"org-a", new_keys}, actor, now_);
  ASSERT_TRUE(handed_view.ok());
  EXPECT_EQ(handed_view.value().report_state, referral::ReportState::kDeleted);
  const auto thread = workflow_->Open(talked.id, referral::OrganizationAccess{"org-a", new_keys}, actor, now_);
  ASSERT_EQ(thread.value().messages.size(), 2u);
  EXPECT_EQ(thread.value().messages[0].text, "Je vous appelle jeudi.");
  EXPECT_EQ(thread.value().messages[1].text, "Plutôt vendredi.");
  const auto her_side = referrals_->Find(talked.code);
  ASSERT_TRUE(her_side.has_value());
  EXPECT_EQ(her_side->messages.at(0).text, "Je vous appelle jeudi.");
  EXPECT_EQ(referrals_->Find(refused.code)->refusal_note, "Appelez le 3919.");

  // A referral sent now is sealed to the new key.
  const Sent later = Send("org-a", "rapport après");
  {
    soci::session sql(db_->pool());
    const auto row = referral::ReferralRepository(sql).FindById(later.id);
    ASSERT_TRUE(row.has_value());
    EXPECT_EQ(org_keys::Open(*row->sealed_report, *new_keys), Report("rapport après"));
    EXPECT_FALSE(org_keys::Open(*row->sealed_report, *old_keys).has_value());
  }

  // Sessions holding the old key are ended; bob gets the new key at his next sign-in.
  EXPECT_FALSE(sessions_->Resume(bob_session.token).has_value());
  EXPECT_FALSE(sessions_->Resume(alice_first.token).has_value());
  EXPECT_TRUE(sessions_->Resume(alice_session.token).has_value());
  const Session bob_again = SignIn(bob);
  const auto bob_keys = sessions_->OrganizationKey(bob_again.principal, "org-a");
  ASSERT_TRUE(bob_keys.has_value());
  EXPECT_EQ(bob_keys->public_key, new_public);
  {
    soci::session sql(db_->pool());
    const auto membership = AccountRepository(sql).FindMembership(bob.account_id, "org-a");
    ASSERT_TRUE(membership.has_value());
    EXPECT_TRUE(membership->wrapped_key.has_value());  // the grant became his own wrap
    EXPECT_FALSE(membership->granted_key.has_value());
  }
  const Session carol_session = SignIn(carol);
  EXPECT_FALSE(sessions_->OrganizationKey(carol_session.principal, "org-a").has_value());

  // The new recovery code works; the old one does not.
  const auto stale = service_->Recover(carol_session.principal, "org-a", old_code, kPassword);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, core::ErrorCode::kInvalidInput);
  ASSERT_TRUE(service_->Recover(carol_session.principal, "org-a", done.recovery_code, kPassword).ok());
  EXPECT_EQ(sessions_->OrganizationKey(carol_session.principal, "org-a")->public_key, new_public);

  // The request is applied; the rotation is audited without key material; the chain holds.
  EXPECT_TRUE(AppliedAt(change_id).has_value());
  const auto entries = Audits("organization.key_rotated");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].actor, "account:" + alice.account_id);
  EXPECT_EQ(entries[0].object, "organization:org-a");
  EXPECT_EQ(entries[0].detail.rfind("request:" + change_id + " referrals:4 ", 0), 0u) << entries[0].detail;
  const std::string all_details = [&] {
    std::string text;
    for (const char* action : {"organization.key_rotated", "key.granted", "session.killed"})
      for (const AuditRow& row : Audits(action)) text += row.detail + row.object;
    return text;
  }();
  for (const std::string& secret : {core::Base64UrlEncode(new_keys->secret_key), core::Base64UrlEncode(new_public),
                                    done.recovery_code, CanonicalRecoveryCode(done.recovery_code)}) {
    EXPECT_EQ(all_details.find(secret), std::string::npos);
  }
  EXPECT_TRUE(audit::Verify(*db_).ok);

  // Applied once: a second attempt needs a new approval.
  const auto again = rotation_->Rotate(bob_again.principal, "org-a", kPassword);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, core::ErrorCode::kConflict);
  (void)other;
}

TEST_P(KeyRotationTest, NobodyButAKeyHoldingMemberAppliesItAndOnlyOnceApproved) {
  SKIP_IF_NEEDED();
  const Enrolled alice = Enrol("alice@example.org", Role::kMember, "org-a");
  const Enrolled carol = Enrol("carol@example.org", Role::kMember, "org-a");
  const Enrolled coordinator = Enrol("coord@example.org", Role::kCoordinator, "", "t1");
  const Enrolled operator_account = Enrol("op@example.org", Role::kOperator);
  Send("org-a", "rapport");
  Session alice_session = SignIn(alice);

  // Asked but not approved yet, then rejected: refused, nothing changes.
  const auto pending = profiles_->RequestKeyRotation(MemberActor(alice, "org-a"), "org-a", now_);
  ASSERT_TRUE(pending.ok());
  std::string before = Snapshot();
  auto refused = rotation_->Rotate(alice_session.principal, "org-a", kPassword);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kConflict);
  EXPECT_NE(refused.error().public_message.find("approuvé"), std::string::npos);
  EXPECT_FALSE(rotation_->StateOf(alice_session.principal, "org-a").approved);
  EXPECT_EQ(Snapshot(), before);
  ASSERT_TRUE(profiles_
                  ->Decide(profile::Actor{coordinator.account_id, profile::Role::kCoordinator, {}, "t1"},
                           pending.value().id, profile::Decision::kReject, now_)
                  .ok());
  before = Snapshot();
  refused = rotation_->Rotate(alice_session.principal, "org-a", kPassword);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kConflict);
  EXPECT_EQ(Snapshot(), before);

  const std::string change_id = ApprovedRotation(alice, coordinator);
  const auto state = rotation_->StateOf(alice_session.principal, "org-a");
  EXPECT_TRUE(state.approved);
  EXPECT_TRUE(state.has_key);

  // Coordinators and operators: not members, never a key — even claiming the organization.
  for (const Enrolled* manager : {&coordinator, &operator_account}) {
    Session session = SignIn(*manager);
    const std::string signed_in = Snapshot();
    session.principal.organization_ids = {"org-a"};
    const auto denied = rotation_->Rotate(session.principal, "org-a", kPassword);
    ASSERT_FALSE(denied.ok());
    EXPECT_EQ(denied.error().code, core::ErrorCode::kNotFound);
    EXPECT_FALSE(rotation_->StateOf(session.principal, "org-a").approved);
    EXPECT_EQ(Snapshot(), signed_in);
  }
  // A member without the key in the session.
  Session carol_session = SignIn(carol);
  EXPECT_FALSE(rotation_->StateOf(carol_session.principal, "org-a").has_key);
  const auto no_key = rotation_->Rotate(carol_session.principal, "org-a", kPassword);
  ASSERT_FALSE(no_key.ok());
  EXPECT_EQ(no_key.error().code, core::ErrorCode::kForbidden);
  // A member of another organization.
  const Enrolled berta = Enrol("berta@example.org", Role::kMember, "org-b");
  Session berta_session = SignIn(berta);
  EXPECT_EQ(rotation_->Rotate(berta_session.principal, "org-a", kPassword).error().code, core::ErrorCode::kNotFound);
  // The right member with a wrong password.
  const std::string before_wrong = Snapshot();
  const auto wrong = rotation_->Rotate(alice_session.principal, "org-a", "pas le bon mot de passe");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_EQ(Snapshot(), before_wrong);
  EXPECT_FALSE(AppliedAt(change_id).has_value());
  EXPECT_TRUE(Audits("organization.key_rotated").empty());
}

TEST_P(KeyRotationTest, AnItemThatDoesNotOpenRollsEverythingBack) {
  SKIP_IF_NEEDED();
  const Enrolled alice = Enrol("alice@example.org", Role::kMember, "org-a");
  const Enrolled bob = Enrol("bob@example.org", Role::kMember, "org-a");
  const Enrolled coordinator = Enrol("coord@example.org", Role::kCoordinator, "", "t1");
  const std::string old_code = *alice.added.recovery_code;
  Session alice_first = SignIn(alice);
  ASSERT_TRUE(service_->Grant(alice_first.principal, "org-a", bob.account_id).ok());
  Session bob_session = SignIn(bob);
  const Sent first = Send("org-a", "rapport un");
  const Sent second = Send("org-a", "rapport deux");
  const Sent third = Send("org-a", "rapport trois");
  ASSERT_TRUE(referrals_->Reply(second.code, "Un message.", now_).ok());
  // One of her messages sealed to some other key (damaged, or sealed to a key nobody has).
  {
    soci::session sql(db_->pool());
    const std::string damaged = org_keys::Seal("illisible", org_keys::GenerateKeyPair().public_key);
    sql << "UPDATE referral_message SET sealed_body = :b WHERE referral_id = :r", soci::use(damaged),
        soci::use(second.id);
  }
  const std::string change_id = ApprovedRotation(alice, coordinator);
  Session alice_session = SignIn(alice);
  const std::string before = Snapshot();
  const std::string old_public = PublicKeyOf("org-a");

  const auto refused = rotation_->Rotate(alice_session.principal, "org-a", kPassword);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kConflict);
  EXPECT_NE(refused.error().public_message.find(second.id), std::string::npos);  // names the referral
  EXPECT_NE(refused.error().public_message.find("Rien n’a été changé"), std::string::npos);
  EXPECT_EQ(refused.error().public_message.find("Un message"), std::string::npos);  // never its content

  // Nothing changed: keys, sealed items (also the referral re-sealed before the bad one), wraps,
  // recovery, sessions, the request, the audit log.
  EXPECT_EQ(Snapshot(), before);
  EXPECT_EQ(PublicKeyOf("org-a"), old_public);
  EXPECT_FALSE(AppliedAt(change_id).has_value());
  EXPECT_TRUE(rotation_->StateOf(alice_session.principal, "org-a").approved);
  const auto keys = sessions_->OrganizationKey(bob_session.principal, "org-a");
  ASSERT_TRUE(keys.has_value());
  EXPECT_EQ(keys->public_key, old_public);
  for (const Sent& r : {first, third}) {
    const auto opened = workflow_->Open(r.id, referral::OrganizationAccess{"org-a", keys}, "test", now_);
    EXPECT_EQ(opened.value().report_state, referral::ReportState::kShown);
  }
  {  // the old recovery code still opens the (unchanged) key
    soci::session sql(db_->pool());
    const auto recovery = AccountRepository(sql).FindRecovery("org-a");
    ASSERT_TRUE(recovery.has_value());
    const auto salt = core::Base64UrlDecode(recovery->key_salt);
    const auto secret =
        Unwrap(DeriveKey(CanonicalRecoveryCode(old_code), *salt), recovery->wrapped_key, RecoveryContext("org-a"));
    ASSERT_TRUE(secret.has_value());
    EXPECT_EQ(KeyPairFromSecret(*secret).public_key, old_public);
  }
  EXPECT_TRUE(audit::Verify(*db_).ok);
}

TEST_P(KeyRotationTest, AReferralSentWhileTheKeyIsReplacedEndsSealedToTheNewKey) {
  SKIP_IF_NEEDED();
  const Enrolled alice = Enrol("alice@example.org", Role::kMember, "org-a");
  const std::string old_public = PublicKeyOf("org-a");
  const org_keys::KeyPair replacement = org_keys::GenerateKeyPair();
  std::atomic<bool> finished{false};
  Sent sent;
  {
    // What a rotation does first, held open while a referral is sent.
    soci::session sql(db_->pool());
    storage::Database::Transaction tx(sql, db_->backend());
    ASSERT_EQ(org_keys::LockOrganizationKey(sql, "org-a"), core::Base64UrlEncode(old_public));
    org_keys::ReplaceOrganizationKey(sql, "org-a", replacement.public_key, "2027-01-15");
    std::thread sender([&] {
      sent = Send("org-a", "rapport envoyé pendant le changement");
      finished = true;
    });
    std::this_thread::sleep_for(1500ms);
    EXPECT_FALSE(finished.load());  // it waits for the rotation's transaction
    tx.Commit();
    sender.join();
  }
  ASSERT_TRUE(finished.load());
  soci::session sql(db_->pool());
  const auto row = referral::ReferralRepository(sql).FindById(sent.id);
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(org_keys::Open(*row->sealed_report, replacement), Report("rapport envoyé pendant le changement"));
  EXPECT_TRUE(org_keys::Open(*row->sealed_summary, replacement).has_value());
  (void)alice;
}

INSTANTIATE_TEST_SUITE_P(Backends, KeyRotationTest,
                         ::testing::Values(core::DatabaseBackend::kSqlite, core::DatabaseBackend::kPostgresql),
                         storage::testing::BackendName);

}  // namespace
}  // namespace passerelle::accounts
