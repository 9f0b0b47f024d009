// RunAll (with outbox retention) and the scheduler, with frozen time, on SQLite and PostgreSQL.
#include "jobs/jobs.h"

#include <gtest/gtest.h>

#include <thread>

#include "audit/audit_log.h"
#include "referral/workflow_fixture.h"

namespace passerelle::jobs {
namespace {

using referral::testing::At;
using S = referral::ReferralStatus;

class JobsTest : public referral::testing::WorkflowDbTest {};

TEST_P(JobsTest, OneRunDoesEachJobAndASecondRunNothing) {
  const auto idle = Send("t1", false);
  const auto closed = Send("t2", false);
  ASSERT_TRUE(workflow_->ChangeStatus(closed.id, "org-a", {S::kAcknowledged, {}, {}, ""}, "account:acc-1", now_).ok());
  ASSERT_TRUE(workflow_
                  ->ChangeStatus(closed.id, "org-a", {S::kClosed, referral::CloseOutcome::kOther, {}, ""},
                                 "account:acc-1", now_)
                  .ok());
  // Nothing is due the day it was sent.
  RunReport report = RunAll(*db_, now_, JobSettings{});
  EXPECT_EQ(report.reminded + report.escalated + report.expired + report.content_deleted + report.audit_removed +
                report.outbox_removed,
            0u);

  report = RunAll(*db_, At(2026, 3, 6), JobSettings{});
  EXPECT_EQ(report.reminded, 1u);
  EXPECT_EQ(report.escalated, 1u);
  EXPECT_EQ(report.expired, 0u);
  EXPECT_EQ(report.content_deleted, 0u);
  EXPECT_EQ(report.failures, 0u);
  report = RunAll(*db_, At(2026, 3, 6, 12), JobSettings{});
  EXPECT_EQ(report.reminded + report.escalated, 0u) << "exactly once";
  EXPECT_EQ(Outbox("reminder"), 1);
  EXPECT_EQ(Outbox("escalation"), 2);

  report = RunAll(*db_, At(2026, 6, 1), JobSettings{});
  EXPECT_EQ(report.expired, 1u);
  EXPECT_EQ(report.content_deleted, 1u) << "the closed one, 30 days after closing";
  EXPECT_EQ(Row(idle.id).status, "expired");
  report = RunAll(*db_, At(2026, 7, 2), JobSettings{});
  EXPECT_EQ(report.content_deleted, 1u) << "the expired one, 30 days after expiring";
  EXPECT_FALSE(Row(idle.id).sealed_report);
  report = RunAll(*db_, At(2026, 7, 3), JobSettings{});
  EXPECT_EQ(report.reminded + report.escalated + report.expired + report.content_deleted, 0u);
  // Nothing delivered the e-mails: pending rows are never removed, however old.
  EXPECT_EQ(report.outbox_removed, 0u);
  EXPECT_EQ(Outbox("reminder"), 1);
  EXPECT_EQ(Outbox("escalation"), 2);
}

TEST_P(JobsTest, FinalOutboxRowsAreRemovedAfterThirtyParisDaysByOneRun) {
  {
    soci::session sql(db_->pool());
    // 00:00 Paris on 1 and 2 March 2026 (UTC+1), as a deliverer leaves final rows.
    const long long march1 = 1'772'319'600, march2 = 1'772'406'000;
    const auto insert = [&](const std::string& id, const std::string& status, long long at) {
      sql << "INSERT INTO outbox (id, recipient, kind, created_at, status, attempts, next_attempt_at, sent_at)"
             " VALUES (:id, 'a@example.org', 'reminder', :at, :status, 1, :at2, :at3)",
          soci::use(id), soci::use(at), soci::use(status), soci::use(at), soci::use(at);
    };
    insert("sent-1", "sent", march1);
    insert("failed-1", "failed", march1);
    insert("sent-2", "sent", march2);
    insert("pending-1", "pending", march1);
  }
  // 31 March is 30 days after 1 March: kept; on 1 April, more than 30 days: removed.
  EXPECT_EQ(RunAll(*db_, At(2026, 3, 31, 21), JobSettings{}).outbox_removed, 0u);  // 23:00 in Paris
  RunReport report = RunAll(*db_, At(2026, 4, 1), JobSettings{});
  EXPECT_EQ(report.outbox_removed, 2u);
  EXPECT_EQ(report.failures, 0u);
  EXPECT_EQ(RunAll(*db_, At(2026, 4, 1), JobSettings{}).outbox_removed, 0u) << "twice is harmless";
  EXPECT_EQ(OutboxTo("a@example.org"), 2);
  JobSettings short_retention;
  short_retention.outbox_retention = std::chrono::days(7);
  report = RunAll(*db_, At(2026, 4, 1), short_retention);
  EXPECT_EQ(report.outbox_removed, 1u);
  EXPECT_EQ(OutboxTo("a@example.org"), 1) << "the pending row stays";
}

TEST_P(JobsTest, AuditEntriesOlderThanAYearAreRemovedAndTheChainStillVerifies) {
  audit::AppendCommitted(*db_, audit::Entry{"cli", "export", "", ""}, At(2025, 1, 10));
  audit::AppendCommitted(*db_, audit::Entry{"cli", "export", "", ""}, At(2025, 6, 10));
  audit::AppendCommitted(*db_, audit::Entry{"cli", "export", "", ""}, At(2026, 2, 10));
  const RunReport report = RunAll(*db_, At(2026, 3, 2), JobSettings{});
  EXPECT_EQ(report.audit_removed, 1u);
  EXPECT_EQ(Audit("export"), 2);
  EXPECT_TRUE(audit::Verify(*db_).ok);
  EXPECT_EQ(RunAll(*db_, At(2026, 3, 2), JobSettings{}).audit_removed, 0u);
}

TEST_P(JobsTest, SchedulerRunsAtStartThenOnItsIntervalAndStopsAtOnce) {
  Send("t1", false);
  // A frozen clock three days later: the first run reminds, the next ones find nothing.
  Scheduler scheduler(
      *db_, [] { return At(2026, 3, 5); }, std::chrono::milliseconds(20), JobSettings{});
  scheduler.Start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (scheduler.runs() < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  scheduler.Stop();
  EXPECT_GE(scheduler.runs(), 3u);
  EXPECT_EQ(Outbox("reminder"), 1);

  // A long interval does not delay stopping.
  Scheduler slow(
      *db_, [] { return At(2026, 3, 5); }, std::chrono::hours(1), JobSettings{});
  slow.Start();
  while (slow.runs() < 1 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const auto before = std::chrono::steady_clock::now();
  slow.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(2));
  EXPECT_EQ(slow.runs(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, JobsTest,
                         ::testing::Values(core::DatabaseBackend::kSqlite, core::DatabaseBackend::kPostgresql),
                         storage::testing::BackendName);

}  // namespace
}  // namespace passerelle::jobs

namespace passerelle::jobs {
namespace {

TEST(ParseInstantTest, AcceptsDaysAndIsoTimesWithZoneOnly) {
  using referral::testing::At;
  EXPECT_EQ(ParseInstant("2026-03-05"), At(2026, 3, 5, 12));
  EXPECT_EQ(ParseInstant("2026-03-05T10:00Z"), At(2026, 3, 5, 10));
  EXPECT_EQ(ParseInstant("2026-03-05T10:00:30Z"), At(2026, 3, 5, 10) + std::chrono::seconds(30));
  EXPECT_EQ(ParseInstant("2026-03-05T11:00+01:00"), At(2026, 3, 5, 10));
  EXPECT_EQ(ParseInstant("2026-03-05T08:30-01:30"), At(2026, 3, 5, 10));
  for (const char* bad : {"", "2026-3-5", "2026-02-30", "2026-03-05T10:00", "2026-03-05 10:00Z", "2026-03-05T25:00Z",
                          "2026-03-05T10:00+1", "demain", "2026-03-05T10:00Zx"}) {
    EXPECT_FALSE(ParseInstant(bad)) << bad;
  }
}

}  // namespace
}  // namespace passerelle::jobs
