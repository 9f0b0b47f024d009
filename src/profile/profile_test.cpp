// Organization profile use cases on SQLite and a real PostgreSQL
// (storage/testing.h).
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "directory/model.h"
#include "directory/sample_organization.h"
#include "directory/service.h"
#include "profile/service.h"
#include "storage/testing.h"

namespace passerelle::profile {
namespace {

using directory::Organization;
using std::chrono::system_clock;

const system_clock::time_point kNow = system_clock::from_time_t(1'750'000'000);

Organization MakeOrganization(const std::string& id, const std::string& territory, const std::string& email) {
  return directory::testing::SampleOrganization(id, territory, email);
}

struct AuditRow {
  std::string actor, action, object, detail;
};

class ProfileTest : public storage::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    {
      soci::session sql(db_->pool());
      for (const char* slug_text : {"paris-10", "autre"}) {
        // A named string: soci binds by reference and runs the statement when the
        // full expression ends, after a temporary would already be gone.
        const std::string slug(slug_text);
        sql << "INSERT INTO territory (slug, name, centre_lat, centre_lon, "
               "default_radius_km, neutral_exit_url, "
               "languages, youth_services, emergency_contacts, is_demo, "
               "created_at, updated_at) VALUES "
               "(:slug, 'Test', 48.87, 2.36, 5, 'https://example.org/', 'fr', "
               "'[]', '[]', 1, 0, 0)",
            soci::use(slug);
      }
    }
    directory_ = std::make_unique<directory::DirectoryService>(*db_);
    ASSERT_TRUE(directory_->Create(MakeOrganization("asso-a", "paris-10", "accueil@asso-a.example.org"), kNow));
    ASSERT_TRUE(directory_->Create(MakeOrganization("asso-b", "paris-10", "contact@asso-b.example.org"), kNow));
    ASSERT_TRUE(directory_->Create(MakeOrganization("asso-z", "autre", "z@asso-z.example.org"), kNow));
    directory_->OnChange([this](const std::vector<std::string>& ids) {
      for (const auto& id : ids) changed_.push_back(id);
    });
    service_ = std::make_unique<ProfileService>(*db_, *directory_);
  }

  std::vector<AuditRow> Audit() {
    soci::session sql(db_->pool());
    std::vector<AuditRow> out;
    AuditRow row;
    soci::statement st =
        (sql.prepare << "SELECT actor, action, object, detail "
                        "FROM audit_log ORDER BY seq",
         soci::into(row.actor), soci::into(row.action), soci::into(row.object), soci::into(row.detail));
    st.execute();
    while (st.fetch()) out.push_back(row);
    return out;
  }

  struct OutboxRow {
    std::string recipient, kind;
  };
  std::vector<OutboxRow> Outbox() {
    soci::session sql(db_->pool());
    std::vector<OutboxRow> out;
    OutboxRow row;
    soci::statement st = (sql.prepare << "SELECT recipient, kind FROM outbox ORDER BY created_at, id",
                          soci::into(row.recipient), soci::into(row.kind));
    st.execute();
    while (st.fetch()) out.push_back(row);
    return out;
  }

  Organization Stored(const std::string& id) { return *directory_->Get(id); }

  std::unique_ptr<directory::DirectoryService> directory_;
  std::unique_ptr<ProfileService> service_;
  std::vector<std::string> changed_;

  const Actor member_a_{"acc-ma", Role::kMember, {"asso-a"}, ""};
  const Actor member_b_{"acc-mb", Role::kMember, {"asso-b"}, ""};
  const Actor coordinator_{"acc-c10", Role::kCoordinator, {}, "paris-10"};
  const Actor other_coordinator_{"acc-cz", Role::kCoordinator, {}, "autre"};
  const Actor operator_{"acc-op", Role::kOperator, {}, ""};
};

ContactEdit ContactOf(const Organization& o) {
  ContactEdit edit{o.description, o.website, o.email, {}};
  for (const auto& p : o.phones)
    edit.phones.push_back({p.number, std::string(directory::CodeOf(p.type)), p.description});
  return edit;
}

ServiceEdit ServiceEditOf(const directory::Service& s) {
  ServiceEdit edit;
  edit.description = s.description;
  edit.opening_hours = s.opening_hours;
  for (const auto& l : s.languages) edit.languages += l + " ";
  for (auto f : s.fees) edit.fees.emplace_back(directory::CodeOf(f));
  for (auto a : s.accessibility) edit.accessibility.emplace_back(directory::CodeOf(a));
  edit.application_process = s.application_process;
  return edit;
}

TEST_P(ProfileTest, ContactEditAppliesIsAuditedWithFieldNamesAndReachesTheIndex) {
  ContactEdit edit = ContactOf(Stored("asso-a"));
  edit.website = "https://asso-a.example.org/";
  edit.phones.push_back({"06 99 00 10 02", "text", "SMS"});
  const auto outcome = service_->EditContact(member_a_, "asso-a", edit, kNow);
  ASSERT_TRUE(outcome) << outcome.error().internal_detail;
  EXPECT_TRUE(outcome.value().problems.empty());
  EXPECT_EQ(outcome.value().changed_fields, (std::vector<std::string>{"website", "phones"}));

  const Organization stored = Stored("asso-a");
  EXPECT_EQ(stored.website, "https://asso-a.example.org/");
  ASSERT_EQ(stored.phones.size(), 2u);
  EXPECT_EQ(stored.phones[1].type, directory::PhoneType::kText);
  EXPECT_EQ(changed_, (std::vector<std::string>{"asso-a"}));  // the annuaire index's callback

  const auto audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].actor, "account:acc-ma");
  EXPECT_EQ(audit[0].action, "organization.changed");
  EXPECT_EQ(audit[0].object, "organization:asso-a");
  EXPECT_EQ(audit[0].detail, "website,phones");  // names, never values
  EXPECT_TRUE(audit::Verify(*db_).ok);
}

TEST_P(ProfileTest, SubmittingTheSameDataWritesNothing) {
  const auto outcome = service_->EditContact(member_a_, "asso-a", ContactOf(Stored("asso-a")), kNow);
  ASSERT_TRUE(outcome);
  EXPECT_TRUE(outcome.value().changed_fields.empty());
  EXPECT_TRUE(Audit().empty());
  EXPECT_TRUE(changed_.empty());
}

TEST_P(ProfileTest, InvalidContactIsRefusedFieldByFieldAndNothingIsWritten) {
  const Organization before = Stored("asso-a");
  ContactEdit edit = ContactOf(before);
  edit.description = "Nouvelle présentation";
  edit.website = "ftp://asso-a.example.org";
  edit.email = "pas-une-adresse";
  edit.phones.push_back({"12", "voice", ""});
  edit.phones.push_back({"0199001003", "pigeon", ""});
  const auto outcome = service_->EditContact(member_a_, "asso-a", edit, kNow);
  ASSERT_TRUE(outcome);
  std::vector<std::string> fields;
  for (const auto& p : outcome.value().problems) fields.push_back(p.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"website", "email", "phone-1-number", "phone-2-type"}));
  EXPECT_NE(outcome.value().problems[2].message.find("Téléphone 2"), std::string::npos);
  EXPECT_TRUE(outcome.value().changed_fields.empty());
  EXPECT_EQ(Stored("asso-a"),
            before);  // the valid description was not written either
  EXPECT_TRUE(Audit().empty());
  EXPECT_TRUE(changed_.empty());
}

TEST_P(ProfileTest, InvalidHoursAreRefusedWithTheParsersPosition) {
  const Organization before = Stored("asso-a");
  ServiceEdit edit = ServiceEditOf(before.services[0]);
  edit.opening_hours = "Mo-Fr 09:00-25:00";
  edit.description = "Autre description";
  const auto outcome = service_->EditService(member_a_, "asso-a", "asso-a-s1", edit, kNow);
  ASSERT_TRUE(outcome);
  ASSERT_EQ(outcome.value().problems.size(), 1u);
  EXPECT_EQ(outcome.value().problems[0].field, "opening_hours");
  const std::string& message = outcome.value().problems[0].message;
  EXPECT_EQ(message.rfind("Horaires : position ", 0), 0u) << message;
  EXPECT_NE(message.find("25:00"), std::string::npos) << message;
  EXPECT_EQ(Stored("asso-a"), before);
  EXPECT_TRUE(Audit().empty());
}

TEST_P(ProfileTest, ServiceEditAppliesAndThePublicViewShowsIt) {
  ServiceEdit edit = ServiceEditOf(Stored("asso-a").services[0]);
  edit.opening_hours = "Mo-Fr 08:15-11:45; PH off";
  edit.languages = "fr, AR;en";
  edit.fees = {"legal_aid", "free"};
  edit.accessibility = {"wheelchair"};
  const auto outcome = service_->EditService(member_a_, "asso-a", "asso-a-s1", edit, kNow);
  ASSERT_TRUE(outcome);
  ASSERT_TRUE(outcome.value().problems.empty()) << outcome.value().problems[0].message;
  EXPECT_EQ(outcome.value().changed_fields,
            (std::vector<std::string>{"services[asso-a-s1].opening_hours", "services[asso-a-s1].languages",
                                      "services[asso-a-s1].fees", "services[asso-a-s1].accessibility"}));
  const auto view = directory_->GetPublicService("asso-a-s1");
  ASSERT_TRUE(view);
  const Organization stored = Stored("asso-a");
  const directory::Service& s = stored.services[0];
  EXPECT_EQ(s.opening_hours, "Mo-Fr 08:15-11:45; PH off");
  EXPECT_EQ(s.languages, (std::vector<std::string>{"fr", "ar", "en"}));
  EXPECT_EQ(s.fees, (std::vector<directory::Fee>{directory::Fee::kFree, directory::Fee::kLegalAid}));
  EXPECT_EQ(s.accessibility, (std::vector<directory::Accessibility>{directory::Accessibility::kWheelchair}));
  ASSERT_EQ(Audit().size(), 1u);
  EXPECT_EQ(Audit()[0].detail,
            "services[asso-a-s1].opening_hours,services["
            "asso-a-s1].languages,services[asso-a-s1].fees,"
            "services[asso-a-s1].accessibility");
}

TEST_P(ProfileTest, BadLanguageCodeIsRefused) {
  ServiceEdit edit = ServiceEditOf(Stored("asso-a").services[0]);
  edit.languages = "fr, arabe";
  const auto outcome = service_->EditService(member_a_, "asso-a", "asso-a-s1", edit, kNow);
  ASSERT_TRUE(outcome);
  ASSERT_EQ(outcome.value().problems.size(), 1u);
  EXPECT_EQ(outcome.value().problems[0].field, "languages");
  EXPECT_NE(outcome.value().problems[0].message.find("« arabe »"), std::string::npos);
}

TEST_P(ProfileTest, AServiceOfAnotherOrganizationIsNotFound) {
  const auto outcome =
      service_->EditService(member_a_, "asso-a", "asso-b-s1", ServiceEditOf(Stored("asso-b").services[0]), kNow);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, core::ErrorCode::kNotFound);
}

TEST_P(ProfileTest, AcceptsReferralsToggles) {
  auto off = service_->SetAcceptsReferrals(member_a_, "asso-a", false, kNow);
  ASSERT_TRUE(off);
  EXPECT_FALSE(Stored("asso-a").accepts_referrals);
  auto again = service_->SetAcceptsReferrals(member_a_, "asso-a", false, kNow);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again.value().changed_fields.empty());
  auto on = service_->SetAcceptsReferrals(coordinator_, "asso-a", true, kNow);
  ASSERT_TRUE(on);
  EXPECT_TRUE(Stored("asso-a").accepts_referrals);
  const auto audit = Audit();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].detail, "accepts_referrals");
  EXPECT_EQ(audit[1].actor, "account:acc-c10");
}

TEST_P(ProfileTest, WhoMayEdit) {
  EXPECT_TRUE(service_->Get(member_a_, "asso-a"));
  EXPECT_TRUE(service_->Get(coordinator_, "asso-a"));
  EXPECT_TRUE(service_->Get(operator_, "asso-z"));
  for (const auto& [actor, id] : std::vector<std::pair<Actor, std::string>>{
           {member_b_, "asso-a"}, {other_coordinator_, "asso-a"}, {coordinator_, "asso-z"}, {member_a_, "nope"}}) {
    const auto got = service_->Get(actor, id);
    ASSERT_FALSE(got) << actor.account_id << " " << id;
    EXPECT_EQ(got.error().code, core::ErrorCode::kNotFound);
    const auto edited = service_->SetAcceptsReferrals(actor, id, false, kNow);
    ASSERT_FALSE(edited);
    EXPECT_EQ(edited.error().code, core::ErrorCode::kNotFound);
  }
  EXPECT_TRUE(Stored("asso-a").accepts_referrals);
  EXPECT_TRUE(Audit().empty());

  std::vector<std::string> ids;
  for (const auto& o : service_->Organizations(coordinator_)) ids.push_back(o.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"asso-a", "asso-b"}));
  EXPECT_EQ(service_->Organizations(operator_).size(), 3u);
  ASSERT_EQ(service_->Organizations(member_b_).size(), 1u);
  EXPECT_EQ(service_->Organizations(member_b_)[0].id, "asso-b");
}

TEST_P(ProfileTest, ChangingThePublicEmailDoesNotMoveNotifications) {
  ASSERT_EQ(service_->NotificationAddress("asso-a"), "accueil@asso-a.example.org");
  ContactEdit edit = ContactOf(Stored("asso-a"));
  edit.email = "nouvelle@asso-a.example.org";
  ASSERT_TRUE(service_->EditContact(member_a_, "asso-a", edit, kNow));
  EXPECT_EQ(Stored("asso-a").email, "nouvelle@asso-a.example.org");
  EXPECT_EQ(service_->NotificationAddress("asso-a"), "accueil@asso-a.example.org");
  EXPECT_EQ(Audit().back().detail, "email");
}

TEST_P(ProfileTest, AnAddressChangeWaitsForApproval) {
  const auto requested = service_->RequestAddressChange(member_a_, "asso-a", " alertes@asso-a.example.org ", kNow);
  ASSERT_TRUE(requested) << requested.error().internal_detail;
  EXPECT_EQ(requested.value().status, ChangeStatus::kPending);
  EXPECT_EQ(requested.value().new_value, "alertes@asso-a.example.org");
  EXPECT_EQ(service_->NotificationAddress("asso-a"), "accueil@asso-a.example.org");
  EXPECT_TRUE(Outbox().empty());

  ASSERT_EQ(service_->PendingForApproval(coordinator_).size(), 1u);
  EXPECT_EQ(service_->PendingForApproval(coordinator_)[0].id, requested.value().id);
  EXPECT_EQ(service_->PendingForApproval(operator_).size(), 1u);
  EXPECT_TRUE(service_->PendingForApproval(other_coordinator_).empty());
  EXPECT_TRUE(service_->PendingForApproval(member_a_).empty());
  ASSERT_EQ(service_->RecentChanges(member_a_, "asso-a").size(), 1u);
  EXPECT_TRUE(service_->RecentChanges(member_b_, "asso-a").empty());

  const auto audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "organization.change_requested");
  EXPECT_EQ(audit[0].detail, "notification_email request:" + requested.value().id);
  EXPECT_EQ(audit[0].detail.find('@'), std::string::npos);
}

TEST_P(ProfileTest, RejectionLeavesTheAddress) {
  const auto requested = service_->RequestAddressChange(member_a_, "asso-a", "alertes@asso-a.example.org", kNow);
  ASSERT_TRUE(requested);
  const auto rejected = service_->Decide(coordinator_, requested.value().id, Decision::kReject, kNow);
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected.value().status, ChangeStatus::kRejected);
  EXPECT_EQ(service_->NotificationAddress("asso-a"), "accueil@asso-a.example.org");
  EXPECT_TRUE(Outbox().empty());
  EXPECT_TRUE(service_->PendingForApproval(coordinator_).empty());
  EXPECT_EQ(Audit().back().action, "organization.change_rejected");

  const auto again = service_->Decide(coordinator_, requested.value().id, Decision::kApprove, kNow);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::ErrorCode::kConflict);
  EXPECT_EQ(service_->NotificationAddress("asso-a"), "accueil@asso-a.example.org");
}

TEST_P(ProfileTest, ApprovalAppliesAndTellsTheOldAddressOnce) {
  const auto requested = service_->RequestAddressChange(member_a_, "asso-a", "alertes@asso-a.example.org", kNow);
  ASSERT_TRUE(requested);
  const auto approved = service_->Decide(coordinator_, requested.value().id, Decision::kApprove, kNow);
  ASSERT_TRUE(approved) << approved.error().internal_detail;
  EXPECT_EQ(approved.value().status, ChangeStatus::kApproved);
  EXPECT_TRUE(approved.value().applied_at.has_value());
  EXPECT_EQ(service_->NotificationAddress("asso-a"), "alertes@asso-a.example.org");
  EXPECT_EQ(Stored("asso-a").email,
            "accueil@asso-a.example.org");  // the public address is another field

  auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].recipient,
            "accueil@asso-a.example.org");  // the OLD address
  EXPECT_EQ(outbox[0].kind, "address_change");

  const auto audit = Audit();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[1].actor, "account:acc-c10");
  EXPECT_EQ(audit[1].action, "organization.change_approved");
  EXPECT_EQ(audit[1].object, "organization:asso-a");

  const auto twice = service_->Decide(operator_, requested.value().id, Decision::kApprove, kNow);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, core::ErrorCode::kConflict);
  EXPECT_EQ(Outbox().size(), 1u);
  EXPECT_TRUE(audit::Verify(*db_).ok);

  // A second change: the address approved before is now the old one.
  const auto later = kNow + std::chrono::hours(1);
  const auto next = service_->RequestAddressChange(member_a_, "asso-a", "direction@asso-a.example.org", later);
  ASSERT_TRUE(next);
  ASSERT_TRUE(service_->Decide(operator_, next.value().id, Decision::kApprove, later));
  outbox = Outbox();
  ASSERT_EQ(outbox.size(), 2u);
  EXPECT_EQ(outbox[1].recipient, "alertes@asso-a.example.org");
}

TEST_P(ProfileTest, OnlyTheTerritorysCoordinatorOrAnOperatorDecides) {
  const auto requested = service_->RequestAddressChange(member_a_, "asso-a", "alertes@asso-a.example.org", kNow);
  ASSERT_TRUE(requested);
  for (const Actor& actor : {other_coordinator_, member_a_, member_b_}) {
    const auto decided = service_->Decide(actor, requested.value().id, Decision::kApprove, kNow);
    ASSERT_FALSE(decided) << actor.account_id;
    EXPECT_EQ(decided.error().code, core::ErrorCode::kNotFound);
  }
  const auto unknown = service_->Decide(operator_, "chg-unknown", Decision::kApprove, kNow);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(service_->NotificationAddress("asso-a"), "accueil@asso-a.example.org");
  EXPECT_EQ(service_->PendingForApproval(coordinator_).size(), 1u);
  EXPECT_TRUE(Outbox().empty());
  EXPECT_EQ(Audit().size(), 1u);  // the request only
}

TEST_P(ProfileTest, RequestsAreCheckedAndOnlyMembersAsk) {
  const auto invalid = service_->RequestAddressChange(member_a_, "asso-a", "pas une adresse", kNow);
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().code, core::ErrorCode::kInvalidInput);
  const auto same = service_->RequestAddressChange(member_a_, "asso-a", "Accueil@Asso-A.example.org", kNow);
  ASSERT_FALSE(same);
  EXPECT_EQ(same.error().code, core::ErrorCode::kInvalidInput);
  for (const Actor& actor : {coordinator_, operator_, member_b_}) {
    const auto asked = service_->RequestAddressChange(actor, "asso-a", "x@asso-a.example.org", kNow);
    ASSERT_FALSE(asked);
    EXPECT_EQ(asked.error().code, core::ErrorCode::kNotFound);
    const auto key = service_->RequestKeyRotation(actor, "asso-a", kNow);
    ASSERT_FALSE(key);
    EXPECT_EQ(key.error().code, core::ErrorCode::kNotFound);
  }
  EXPECT_TRUE(service_->PendingForApproval(operator_).empty());
  EXPECT_TRUE(Audit().empty());
}

TEST_P(ProfileTest, ANewRequestReplacesThePendingOne) {
  const auto first = service_->RequestAddressChange(member_a_, "asso-a", "un@asso-a.example.org", kNow);
  const auto second = service_->RequestAddressChange(member_a_, "asso-a", "deux@asso-a.example.org", kNow);
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  const auto pending = service_->PendingForApproval(coordinator_);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].new_value, "deux@asso-a.example.org");
  const auto stale = service_->Decide(coordinator_, first.value().id, Decision::kApprove, kNow);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, core::ErrorCode::kConflict);
  EXPECT_EQ(service_->NotificationAddress("asso-a"), "accueil@asso-a.example.org");
}

TEST_P(ProfileTest, AKeyRotationIsRecordedAndApprovedWithoutTouchingTheAddress) {
  const auto requested = service_->RequestKeyRotation(member_a_, "asso-a", kNow);
  ASSERT_TRUE(requested);
  EXPECT_EQ(requested.value().kind, ChangeKind::kKeyRotation);
  const auto approved = service_->Decide(operator_, requested.value().id, Decision::kApprove, kNow);
  ASSERT_TRUE(approved);
  EXPECT_EQ(approved.value().status, ChangeStatus::kApproved);
  EXPECT_FALSE(approved.value().applied_at.has_value());  // a member applies it (src/accounts)
  EXPECT_TRUE(Outbox().empty());
  EXPECT_EQ(service_->NotificationAddress("asso-a"), "accueil@asso-a.example.org");
  EXPECT_EQ(Audit().back().detail, "key_rotation request:" + requested.value().id);
}

// The directory's hook: what it does commits with the organization, or nothing
// does.
TEST_P(ProfileTest, AFailingHookRollsTheDirectoryWriteBack) {
  Organization next = Stored("asso-a");
  next.description = "Changée";
  EXPECT_THROW(
      (void)directory_->Update(next, kNow,
                               [](soci::session& sql, const Organization&) {
                                 audit::Append(sql, audit::Entry{"test", "organization.changed", "", ""}, kNow);
                                 throw std::runtime_error("fails after the write");
                               }),
      std::runtime_error);
  EXPECT_EQ(Stored("asso-a").description, "Écoute et accompagnement.");
  EXPECT_TRUE(Audit().empty());
  EXPECT_TRUE(changed_.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, ProfileTest,
                         ::testing::Values(core::DatabaseBackend::kSqlite, core::DatabaseBackend::kPostgresql),
                         storage::testing::BackendName);

TEST(ChangedFields, NamesFieldsNeverValues) {
  Organization a = MakeOrganization("x", "paris-10", "a@x.example.org");
  Organization b = a;
  EXPECT_TRUE(ChangedFields(a, b).empty());
  b.email = "secret@x.example.org";
  b.services[0].opening_hours = "24/7";
  b.services.push_back(b.services[0]);
  b.services.back().id = "x-s2";
  EXPECT_EQ(ChangedFields(a, b),
            (std::vector<std::string>{"email", "services[x-s1].opening_hours", "services[x-s2].added"}));
  EXPECT_EQ(ChangedFields(b, a),
            (std::vector<std::string>{"email", "services[x-s1].opening_hours", "services[x-s2].removed"}));
}

TEST(CheckServiceEdit, EmptyHoursMeanNotProvided) {
  ServiceEdit edit;
  edit.opening_hours = "  ";
  EXPECT_TRUE(CheckServiceEdit(edit).empty());
  edit.opening_hours = "Lu 9h-12h";
  const auto problems = CheckServiceEdit(edit);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].message.find("position 1"), std::string::npos) << problems[0].message;
}

}  // namespace
}  // namespace passerelle::profile
