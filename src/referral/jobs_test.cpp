// The referral jobs with frozen time, on SQLite and PostgreSQL.
#include "referral/jobs.h"

#include <gtest/gtest.h>

#include "referral/workflow_fixture.h"

namespace passerelle::referral {
namespace {

using S = ReferralStatus;
using testing::At;

class ReferralJobsTest : public testing::WorkflowDbTest {
 protected:
  void SetUp() override {
    WorkflowDbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    jobs_ = std::make_unique<ReferralJobs>(*db_);
  }
  void Change(const std::string& id, StatusRequest request, std::chrono::system_clock::time_point when) {
    const auto changed = workflow_->ChangeStatus(id, Row(id).organization_id, request, "account:acc-1", when);
    ASSERT_TRUE(changed.ok()) << changed.error().internal_detail;
  }
  std::unique_ptr<ReferralJobs> jobs_;
};

TEST(DayTest, DayMinusCrossesMonthsYearsAndLeapDays) {
  EXPECT_EQ(DayMinus("2026-03-02", 2), "2026-02-28");
  EXPECT_EQ(DayMinus("2024-03-01", 1), "2024-02-29");
  EXPECT_EQ(DayMinus("2026-01-01", 1), "2025-12-31");
  EXPECT_EQ(DayMinus("2026-06-01", 90), "2026-03-03");
  EXPECT_EQ(DayMinus("2026-06-01", 0), "2026-06-01");
}

// Sent on 2 March (Paris), 2-day reminder: never before 48 h have passed, i.e. on 5 March.
TEST_P(ReferralJobsTest, ReminderOnceAfterTheDelayAndOnlyWhileNew) {
  const SentReferral waiting = Send("t1", false);
  const SentReferral taken = Send("t2", false);
  Change(taken.id, {S::kAcknowledged, {}, {}, ""}, now_);
  const long long before = OutboxTo("a@example.org");  // the two new-referral e-mails
  EXPECT_TRUE(jobs_->SendReminders(At(2026, 3, 3)).done.empty());
  EXPECT_TRUE(jobs_->SendReminders(At(2026, 3, 4, 22)).done.empty()) << "23:00 in Paris, still 4 March";
  const JobOutcome first = jobs_->SendReminders(At(2026, 3, 4, 23));  // 00:00 on 5 March in Paris
  ASSERT_EQ(first.done.size(), 1u);
  EXPECT_EQ(first.done[0], waiting.id);
  EXPECT_TRUE(first.failed.empty());
  EXPECT_EQ(Outbox("reminder"), 1);
  EXPECT_EQ(OutboxTo("a@example.org"), before + 1);
  EXPECT_EQ(Row(waiting.id).reminded_on, "2026-03-05");
  EXPECT_EQ(Audit("referral.reminded"), 1);
  // Idempotent: later runs send nothing more.
  EXPECT_TRUE(jobs_->SendReminders(At(2026, 3, 5)).done.empty());
  EXPECT_TRUE(jobs_->SendReminders(At(2026, 3, 20)).done.empty());
  EXPECT_EQ(Outbox("reminder"), 1);
  EXPECT_EQ(Audit("referral.reminded"), 1);
}

TEST_P(ReferralJobsTest, EscalationToTheTerritoryCoordinatorsOnce) {
  const SentReferral sent = Send("t1", false);
  const SentReferral elsewhere = Send("t2", false, "{}", "org-m");
  EXPECT_TRUE(jobs_->Escalate(At(2026, 3, 5)).done.empty()) << "72 h have not passed for sure";
  const JobOutcome first = jobs_->Escalate(At(2026, 3, 6));
  EXPECT_EQ(first.done.size(), 2u);
  EXPECT_EQ(OutboxTo("coord1@example.org"), 1);
  EXPECT_EQ(OutboxTo("coord2@example.org"), 1);
  EXPECT_EQ(OutboxTo("coord3@example.org"), 1) << "Montreuil's coordinator, for Montreuil's referral only";
  EXPECT_EQ(Outbox("escalation"), 3);
  EXPECT_EQ(Row(sent.id).escalated_on, "2026-03-06");
  EXPECT_EQ(Row(elsewhere.id).escalated_on, "2026-03-06");
  EXPECT_TRUE(jobs_->Escalate(At(2026, 3, 7)).done.empty());
  EXPECT_EQ(Outbox("escalation"), 3);
  EXPECT_EQ(Audit("referral.escalated"), 2);
  // An acknowledged referral is never escalated.
  const SentReferral taken = Send("t3", false);
  Change(taken.id, {S::kAcknowledged, {}, {}, ""}, now_);
  EXPECT_TRUE(jobs_->Escalate(At(2026, 3, 10)).done.empty());
}

TEST_P(ReferralJobsTest, DelaysComeFromTheTerritory) {
  EXPECT_EQ(jobs_->DelaysFor("paris-10").reminder_days, 2) << "default without a row";
  jobs_->SetDelays("paris-10", Delays{1, 2, 10, 5}, now_);
  EXPECT_EQ(jobs_->DelaysFor("paris-10").expiry_days, 10);
  EXPECT_EQ(jobs_->DelaysFor("montreuil").expiry_days, 90);
  const SentReferral paris = Send("t1", false);
  const SentReferral montreuil = Send("t2", false, "{}", "org-m");
  const JobOutcome reminded = jobs_->SendReminders(At(2026, 3, 4));
  ASSERT_EQ(reminded.done.size(), 1u);
  EXPECT_EQ(reminded.done[0], paris.id);
  EXPECT_EQ(jobs_->ExpireInactive(At(2026, 3, 13)).done, std::vector<std::string>{paris.id});
  EXPECT_EQ(Row(montreuil.id).status, "new");
}

TEST_P(ReferralJobsTest, ExpiryAfterNinetyDaysWithoutActivity) {
  const SentReferral idle = Send("t1", false);
  const SentReferral talking = Send("t2", false);
  const SentReferral closed = Send("t3", false);
  Change(closed.id, {S::kAcknowledged, {}, {}, ""}, now_);
  Change(closed.id, {S::kClosed, CloseOutcome::kAccompanied, {}, ""}, now_);
  // A message 50 days later keeps the conversation alive.
  ASSERT_TRUE(service_->Reply(talking.followup_code, "toujours là", At(2026, 4, 21)).ok());
  // 2 March + 90 days = 31 May: expired from 1 June.
  EXPECT_TRUE(jobs_->ExpireInactive(At(2026, 5, 31)).done.empty());
  const JobOutcome expired = jobs_->ExpireInactive(At(2026, 6, 1));
  EXPECT_EQ(expired.done, std::vector<std::string>{idle.id});
  EXPECT_EQ(Row(idle.id).status, "expired");
  EXPECT_EQ(Row(idle.id).status_changed_on, "2026-06-01");
  EXPECT_EQ(Row(talking.id).status, "new");
  EXPECT_EQ(Row(closed.id).status, "closed");
  EXPECT_TRUE(jobs_->ExpireInactive(At(2026, 6, 2)).done.empty()) << "idempotent";
  EXPECT_EQ(jobs_->ExpireInactive(At(2026, 7, 21)).done, std::vector<std::string>{talking.id});
  EXPECT_EQ(Audit("referral.status"), 2 + 2);
  // She sees it, and can no longer write.
  const auto seen = service_->Find(idle.followup_code);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->status, S::kExpired);
  EXPECT_EQ(service_->Reply(idle.followup_code, "allo", At(2026, 6, 3)).error().code, core::ErrorCode::kConflict);
}

TEST_P(ReferralJobsTest, ContentDeletedThirtyDaysAfterTheEnd) {
  const SentReferral closed = Send("t1", true);
  const SentReferral refused = Send("t2", false);
  const SentReferral open = Send("t3", true);
  const SentReferral handed = Send("t4", true);
  Change(closed.id, {S::kAcknowledged, {}, {}, ""}, now_);
  ASSERT_TRUE(workflow_->WriteMessage(closed.id, "org-a", "canari", "account:acc-1", now_).ok());
  Change(closed.id, {S::kClosed, CloseOutcome::kAccompanied, {}, ""}, now_);
  Change(refused.id, {S::kRefused, {}, RefusalReason::kNoCapacity, "Voyez le CIDFF"}, now_);
  const auto new_id = workflow_->HandOver(handed.id, AccessA(), {"org-b", "svc-b", "paris-10"}, "account:acc-1", now_);
  ASSERT_TRUE(new_id.ok());
  EXPECT_TRUE(jobs_->DeleteFinishedContent(At(2026, 4, 1)).done.empty()) << "30 days have not passed";
  const JobOutcome deleted = jobs_->DeleteFinishedContent(At(2026, 4, 2));
  EXPECT_EQ(deleted.done.size(), 2u) << "the handed-over copy went at the hand-over";
  EXPECT_FALSE(Row(handed.id).sealed_report);
  EXPECT_EQ(Row(handed.id).content_deleted_on, Row(handed.id).status_changed_on);
  for (const std::string& id : {closed.id, refused.id}) {
    const ReferralRow row = Row(id);
    EXPECT_FALSE(row.sealed_report) << id;
    EXPECT_FALSE(row.sealed_summary) << id;
    EXPECT_FALSE(row.sealed_refusal_note) << id;
    EXPECT_EQ(row.content_deleted_on, "2026-04-02");
    EXPECT_EQ(Messages(id), 0);
  }
  EXPECT_EQ(Row(closed.id).status, "closed") << "the status and days stay";
  EXPECT_TRUE(Row(open.id).sealed_report) << "open referrals keep their content";
  EXPECT_TRUE(Row(new_id.value()).sealed_report) << "the new organization's copy is open";
  EXPECT_EQ(Audit("referral.content_deleted"), 2);
  EXPECT_TRUE(jobs_->DeleteFinishedContent(At(2026, 4, 3)).done.empty()) << "idempotent";
  EXPECT_EQ(Audit("referral.content_deleted"), 2);
  // What the professional and she still see.
  const auto opened = workflow_->Open(closed.id, AccessA(), "account:acc-1", now_);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened.value().report_state, ReportState::kDeleted);
  EXPECT_EQ(opened.value().content_deleted_on, "2026-04-02");
  const auto seen = service_->Find(closed.followup_code);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->status, S::kClosed);
  EXPECT_TRUE(seen->content_deleted);
  EXPECT_TRUE(seen->messages.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, ReferralJobsTest,
                         ::testing::Values(core::DatabaseBackend::kSqlite, core::DatabaseBackend::kPostgresql),
                         storage::testing::BackendName);

}  // namespace
}  // namespace passerelle::referral
