// A territory's job delays as its coordinators set them: the checks of the form, the audited
// save and the return to the defaults, and the jobs following the new delays (SQLite and
// PostgreSQL).
#include "referral/delays.h"

#include <gtest/gtest.h>

#include "audit/audit_log.h"
#include "referral/jobs.h"
#include "referral/workflow_fixture.h"

namespace passerelle::referral {
namespace {

using testing::At;

std::vector<std::string> FieldsOf(const CheckedDelays& checked) {
  std::vector<std::string> fields;
  for (const DelayError& e : checked.errors) fields.push_back(e.field);
  return fields;
}

using Fields = std::vector<std::string>;

TEST(CheckDelaysTest, AcceptsWholeDaysWithinTheBounds) {
  const CheckedDelays checked = CheckDelays({"1", " 3 ", "14", "90"});
  ASSERT_TRUE(checked.errors.empty()) << checked.errors[0].message;
  EXPECT_EQ(checked.delays.reminder_days, 1);
  EXPECT_EQ(checked.delays.escalation_days, 3);
  EXPECT_EQ(checked.delays.expiry_days, 14);
  EXPECT_EQ(checked.delays.retention_days, 90);
  EXPECT_TRUE(CheckDelays({"14", "30", "365", "1"}).errors.empty()) << "every upper bound";
  EXPECT_TRUE(CheckDelays({"2", "2", "90", "30"}).errors.empty()) << "the alert on the reminder's day";
}

TEST(CheckDelaysTest, NamesTheFieldAndSaysWhy) {
  const CheckedDelays empty = CheckDelays({"", "", "", ""});
  EXPECT_EQ(FieldsOf(empty), (Fields{"reminder_days", "escalation_days", "expiry_days", "retention_days"}));
  EXPECT_EQ(empty.errors[0].message, "Indiquez le nombre de jours avant le rappel à l’organisation (entre 1 et 14).");

  for (const char* typed : {"2,5", "2.5", "-1", "+2", "deux", "2 j", "1e2", "99999999999999999999"}) {
    const CheckedDelays checked = CheckDelays({"2", "3", "90", typed});
    EXPECT_EQ(FieldsOf(checked), Fields{"retention_days"}) << typed;
    if (!checked.errors.empty()) {
      EXPECT_NE(checked.errors[0].message.find("nombre entier"), std::string::npos) << typed;
    }
  }
  const CheckedDelays low = CheckDelays({"0", "3", "13", "91"});
  EXPECT_EQ(FieldsOf(low), (Fields{"reminder_days", "expiry_days", "retention_days"}));
  EXPECT_EQ(low.errors[0].message, "Le nombre de jours avant le rappel à l’organisation doit être entre 1 et 14.");
  EXPECT_EQ(FieldsOf(CheckDelays({"15", "31", "366", "0"})),
            (Fields{"reminder_days", "escalation_days", "expiry_days", "retention_days"}));
}

TEST(CheckDelaysTest, TheAlertComesAfterTheReminderAndExpiryAfterTheAlert) {
  const CheckedDelays early_alert = CheckDelays({"5", "4", "90", "30"});
  ASSERT_EQ(FieldsOf(early_alert), Fields{"escalation_days"});
  EXPECT_NE(early_alert.errors[0].message.find("au moins 5 jours"), std::string::npos) << early_alert.errors[0].message;
  const CheckedDelays early_expiry = CheckDelays({"5", "20", "20", "30"});
  ASSERT_EQ(FieldsOf(early_expiry), Fields{"expiry_days"});
  EXPECT_NE(early_expiry.errors[0].message.find("plus de 20 jours"), std::string::npos);
}

class TerritoryDelaysTest : public testing::WorkflowDbTest {
 protected:
  std::string AuditDetail() {
    std::string detail;
    soci::session sql(db_->pool());
    sql << "SELECT detail FROM audit_log WHERE action = 'territory.delays' ORDER BY seq DESC", soci::into(detail);
    return detail;
  }
};

TEST_P(TerritoryDelaysTest, SavedAuditedAndBackToTheDefaults) {
  TerritoryDelays delays(*db_);
  EXPECT_FALSE(delays.Stored("paris-10").has_value()) << "no row: the defaults";
  delays.Save("account:acc-c1", "paris-10", Delays{1, 2, 30, 7}, now_);
  const auto stored = delays.Stored("paris-10");
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->reminder_days, 1);
  EXPECT_EQ(stored->retention_days, 7);
  EXPECT_FALSE(delays.Stored("montreuil").has_value()) << "another territory is untouched";
  EXPECT_EQ(Audit("territory.delays"), 1);
  EXPECT_EQ(AuditDetail(),
            "reminder=2 escalation=3 expiry=90 retention=30 -> reminder=1 escalation=2 expiry=30 retention=7");

  delays.Save("account:acc-c1", "paris-10", std::nullopt, now_);
  EXPECT_FALSE(delays.Stored("paris-10").has_value());
  EXPECT_EQ(Audit("territory.delays"), 2);
  EXPECT_EQ(AuditDetail(),
            "reminder=1 escalation=2 expiry=30 retention=7 -> defaults reminder=2 escalation=3 expiry=90 retention=30");
  EXPECT_TRUE(audit::Verify(*db_).ok);
}

// The jobs read the saved delays: a 1-day reminder goes a day earlier than the default one.
TEST_P(TerritoryDelaysTest, TheJobsFollowTheSavedDelays) {
  const SentReferral sent = Send("t1", false);  // Monday 2 March
  ReferralJobs jobs(*db_);
  EXPECT_TRUE(jobs.SendReminders(At(2026, 3, 4, 12)).done.empty()) << "default: not before Thursday";
  TerritoryDelays(*db_).Save("account:acc-c1", "paris-10", Delays{1, 2, 30, 7}, now_);
  const JobOutcome reminded = jobs.SendReminders(At(2026, 3, 4, 12));
  ASSERT_EQ(reminded.done.size(), 1u);
  EXPECT_EQ(reminded.done[0], sent.id);
}

INSTANTIATE_TEST_SUITE_P(Backends, TerritoryDelaysTest,
                         ::testing::Values(core::DatabaseBackend::kSqlite, core::DatabaseBackend::kPostgresql),
                         storage::testing::BackendName);

}  // namespace
}  // namespace passerelle::referral
