// The outbox on SQLite and PostgreSQL: queueing inside the caller's transaction, Paris days only
// in final rows (docs/notifications.md "What is kept"), retention, who gets notified.
#include <gtest/gtest.h>

#include "notify/deliverer.h"
#include "notify/notify_test_support.h"

namespace passerelle::notify::testing {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

TEST_P(NotifyTest, NothingIsQueuedWhenTheCallersTransactionRollsBack) {
  if (IsSkipped() || HasFatalFailure()) return;
  SmtpSink sink;
  EXPECT_THROW(db_->InTransaction([&](soci::session& sql) {
    Enqueue(sql, kOrgAddress, Kind::kNewReferral, kT0);
    throw std::runtime_error("the referral could not be saved");
  }),
               std::runtime_error);
  Deliverer deliverer(*db_, Smtp(sink), kPublicUrl);
  EXPECT_EQ(deliverer.DeliverDue(kT0).sent, 0u);
  EXPECT_TRUE(Rows().empty());
  EXPECT_EQ(sink.Connections(), 0);
}

TEST_P(NotifyTest, AnUnusableAddressDoesNotBreakTheCallerAndIsNeverSent) {
  if (IsSkipped() || HasFatalFailure()) return;
  SmtpSink sink;
  Queue("a@b.org\r\nBcc: x@evil.example", Kind::kNewReferral);
  Queue("", Kind::kNewReferral);
  Deliverer deliverer(*db_, Smtp(sink), kPublicUrl);
  EXPECT_EQ(deliverer.DeliverDue(kT0).sent, 0u);
  for (const Row& r : Rows()) {
    EXPECT_EQ(r.status, "failed");
    EXPECT_EQ(r.last_error, "address");
  }
  EXPECT_EQ(Rows().size(), 2u);
  EXPECT_EQ(sink.Connections(), 0);
}

// --- final rows keep Paris days only (docs/notifications.md "What is kept") ---

TEST_P(NotifyTest, ASentRowKeepsItsParisDayOnlyEvenOnTheDayTheClocksGoForward) {
  if (IsSkipped() || HasFatalFailure()) return;
  SmtpSink sink;
  // Sunday 29 March 2026 (UTC+1 until 03:00, then UTC+2), 14:37:12 in Paris = 12:37:12 UTC.
  const system_clock::time_point pressed = Utc(2026, 3, 29, 12, 37, 12);
  Queue(kOrgAddress, Kind::kNewReferral, pressed);
  const std::string id = OnlyId();
  Times t = TimesOf(id);
  EXPECT_EQ(t.status, "pending");
  EXPECT_EQ(t.created_at, Unix(pressed)) << "pending rows keep exact times (backoff, claims)";
  EXPECT_EQ(t.next_attempt_at, Unix(pressed));

  Deliverer deliverer(*db_, Smtp(sink), kPublicUrl);
  ASSERT_EQ(deliverer.DeliverDue(pressed + seconds(3)).sent, 1u);
  t = TimesOf(id);
  EXPECT_EQ(t.status, "sent");
  const long long midnight = Unix(Utc(2026, 3, 28, 23));  // 00:00 Paris, still UTC+1
  EXPECT_EQ(t.created_at, midnight);
  EXPECT_EQ(t.next_attempt_at, midnight);
  EXPECT_EQ(t.claimed_at, midnight);
  EXPECT_EQ(t.sent_at, midnight);
}

TEST_P(NotifyTest, EachTimeKeepsItsOwnParisDay) {
  if (IsSkipped() || HasFatalFailure()) return;
  SmtpSink sink;
  // Queued at 23:59:58 in Paris on Tuesday 14 July 2026 (UTC+2), sent five seconds later, on the 15th.
  const system_clock::time_point queued = Utc(2026, 7, 14, 21, 59, 58);
  Queue(kOrgAddress, Kind::kNewMessage, queued);
  Deliverer deliverer(*db_, Smtp(sink), kPublicUrl);
  ASSERT_EQ(deliverer.DeliverDue(queued + seconds(5)).sent, 1u);
  const Times t = TimesOf(OnlyId());
  EXPECT_EQ(t.created_at, Unix(Utc(2026, 7, 13, 22)));
  EXPECT_EQ(t.next_attempt_at, Unix(Utc(2026, 7, 13, 22)));
  EXPECT_EQ(t.claimed_at, Unix(Utc(2026, 7, 14, 22)));
  EXPECT_EQ(t.sent_at, Unix(Utc(2026, 7, 14, 22)));
}

TEST_P(NotifyTest, ARowFailedAfterItsLastAttemptKeepsItsParisDayOnlyEvenOnTheDayTheClocksGoBack) {
  if (IsSkipped() || HasFatalFailure()) return;
  SmtpSink sink;
  sink.SetMode(SinkMode::kTemporaryFailure);
  // Sunday 25 October 2026 (UTC+2 until 03:00, then UTC+1), 14:37:12 in Paris = 13:37:12 UTC.
  const system_clock::time_point pressed = Utc(2026, 10, 25, 13, 37, 12);
  Queue(kOrgAddress, Kind::kNewReferral, pressed);
  const std::string id = OnlyId();
  DeliveryPolicy policy;
  policy.max_attempts = 2;
  Deliverer deliverer(*db_, Smtp(sink), kPublicUrl, policy);
  ASSERT_EQ(deliverer.DeliverDue(pressed).retry_later, 1u);
  Times t = TimesOf(id);
  EXPECT_EQ(t.status, "pending");
  EXPECT_EQ(t.created_at, Unix(pressed)) << "a row waiting for its retry keeps exact times";
  EXPECT_EQ(t.next_attempt_at, Unix(pressed) + 60);

  ASSERT_EQ(deliverer.DeliverDue(pressed + seconds(60)).failed, 1u);
  t = TimesOf(id);
  EXPECT_EQ(t.status, "failed");
  const long long midnight = Unix(Utc(2026, 10, 24, 22));  // 00:00 Paris, still UTC+2
  EXPECT_EQ(t.created_at, midnight);
  EXPECT_EQ(t.next_attempt_at, midnight);
  EXPECT_EQ(t.claimed_at, midnight);
  EXPECT_EQ(t.sent_at, std::nullopt);
}

TEST_P(NotifyTest, UnknownAndRefusedRowsKeepTheirParisDayOnly) {
  if (IsSkipped() || HasFatalFailure()) return;
  SmtpSink sink;
  sink.SetMode(SinkMode::kDropAfterData);
  const system_clock::time_point at = Utc(2026, 1, 20, 13, 37, 12);  // 14:37:12 in Paris
  const long long midnight = Unix(Utc(2026, 1, 19, 23));
  // Refused at Enqueue: final at once.
  Queue("not an address", Kind::kNewReferral, at);
  const std::string refused = OnlyId();
  EXPECT_EQ(TimesOf(refused).status, "failed");
  EXPECT_EQ(TimesOf(refused).created_at, midnight);
  EXPECT_EQ(TimesOf(refused).next_attempt_at, midnight);
  // Lost after DATA.
  Queue(kOrgAddress, Kind::kNewReferral, at);
  Deliverer deliverer(*db_, Smtp(sink), kPublicUrl);
  ASSERT_EQ(deliverer.DeliverDue(at + seconds(1)).unknown, 1u);
  for (const std::string& id : Ids()) {
    const Times t = TimesOf(id);
    EXPECT_TRUE(t.status == "unknown" || id == refused) << t.status;
    EXPECT_EQ(t.created_at, midnight) << id;
    EXPECT_EQ(t.next_attempt_at, midnight) << id;
  }
}

TEST_P(NotifyTest, ARowLeftByASenderThatDiedKeepsItsParisDayOnceFoundUnknown) {
  if (IsSkipped() || HasFatalFailure()) return;
  SmtpSink sink;
  const system_clock::time_point at = Utc(2026, 1, 20, 13, 37, 12);  // 14:37:12 in Paris
  Queue(kOrgAddress, Kind::kNewReferral, at);
  {
    soci::session sql(db_->pool());
    const long long claimed = Unix(at) + 1;
    sql << "UPDATE outbox SET status = 'sending', claimed_by = 'dead', claimed_at = :c, attempts = 1",
        soci::use(claimed);
  }
  Deliverer deliverer(*db_, Smtp(sink), kPublicUrl);
  ASSERT_EQ(deliverer.DeliverDue(at + seconds(60)).unknown, 0u);
  EXPECT_EQ(TimesOf(OnlyId()).claimed_at, Unix(at) + 1) << "a sending row keeps its exact claim";
  // Found by a round the next morning: the row keeps the day of its own times, not of the round.
  const DeliveryCounts c = deliverer.DeliverDue(Utc(2026, 1, 21, 8));
  EXPECT_EQ(c.unknown, 1u);
  EXPECT_EQ(c.sent, 0u);
  const Times t = TimesOf(OnlyId());
  EXPECT_EQ(t.status, "unknown");
  EXPECT_EQ(t.created_at, Unix(Utc(2026, 1, 19, 23)));
  EXPECT_EQ(t.claimed_at, Unix(Utc(2026, 1, 19, 23)));
  EXPECT_EQ(t.sent_at, std::nullopt);
  EXPECT_EQ(sink.Connections(), 0);
}

// --- retention of final rows ---

TEST_P(NotifyTest, RetentionRemovesFinalRowsAfterThirtyParisDaysAndNeverPendingOrSendingOnes) {
  if (IsSkipped() || HasFatalFailure()) return;
  // Today is Tuesday 24 November 2026 (UTC+1): rows that became final on 24 October or before go,
  // from 25 October on they stay. 00:00 Paris on 25 October is 22:00 UTC on the 24th (UTC+2 that
  // night): counting 30 × 24 h back from today's midnight would be an hour off.
  const system_clock::time_point now = Utc(2026, 11, 24, 9, 15);
  const long long oct24 = Unix(Utc(2026, 10, 23, 22));
  const long long oct25 = Unix(Utc(2026, 10, 24, 22));
  InsertRow("sent-oct24", "sent", oct24, oct24, oct24);
  InsertRow("sent-oct25", "sent", oct24, oct24, oct25);  // queued on the 24th, sent on the 25th
  InsertRow("failed-oct24", "failed", oct24, oct24, std::nullopt);
  InsertRow("refused-sep", "failed", Unix(Utc(2026, 9, 1, 22)), std::nullopt, std::nullopt);
  InsertRow("unknown-oct25", "unknown", oct24, oct25, std::nullopt);
  InsertRow("unknown-oct24", "unknown", oct24, oct24, std::nullopt);
  InsertRow("pending-old", "pending", Unix(Utc(2025, 1, 1, 12, 0, 7)), std::nullopt, std::nullopt);
  InsertRow("sending-old", "sending", Unix(Utc(2025, 1, 1, 12, 0, 7)), Unix(Utc(2025, 1, 1, 12, 0, 9)), std::nullopt);

  EXPECT_EQ(RemoveFinalRows(*db_, now, std::chrono::days(30)), 4u);
  EXPECT_EQ(Ids(), (std::vector<std::string>{"pending-old", "sending-old", "sent-oct25", "unknown-oct25"}));
  EXPECT_EQ(TimesOf("pending-old").created_at, Unix(Utc(2025, 1, 1, 12, 0, 7))) << "left exact";
  EXPECT_EQ(TimesOf("sending-old").claimed_at, Unix(Utc(2025, 1, 1, 12, 0, 9))) << "left exact";
  // Twice is harmless; a day later the rows of the 25th go.
  EXPECT_EQ(RemoveFinalRows(*db_, now, std::chrono::days(30)), 0u);
  EXPECT_EQ(Ids().size(), 4u);
  EXPECT_EQ(RemoveFinalRows(*db_, now + std::chrono::hours(24), std::chrono::days(30)), 2u);
  EXPECT_EQ(Ids(), (std::vector<std::string>{"pending-old", "sending-old"}));
  // A shorter retention is honoured.
  InsertRow("sent-nov20", "sent", Unix(Utc(2026, 11, 19, 23)), Unix(Utc(2026, 11, 19, 23)),
            Unix(Utc(2026, 11, 19, 23)));
  EXPECT_EQ(RemoveFinalRows(*db_, now, std::chrono::days(5)), 0u);
  EXPECT_EQ(RemoveFinalRows(*db_, now, std::chrono::days(3)), 1u);
}

TEST_P(NotifyTest, RetentionCoarsensFinalRowsThatStillHoldExactTimes) {
  if (IsSkipped() || HasFatalFailure()) return;
  // Rows finished before times were coarsened (or changed by hand).
  const long long exact = Unix(Utc(2026, 3, 29, 12, 37, 12));  // 14:37:12 in Paris
  InsertRow("sent", "sent", exact - 5, exact - 2, exact);
  InsertRow("failed", "failed", exact, std::nullopt, std::nullopt);
  InsertRow("pending", "pending", exact, std::nullopt, std::nullopt);
  InsertRow("sending", "sending", exact, exact, std::nullopt);
  EXPECT_EQ(RemoveFinalRows(*db_, Utc(2026, 3, 30, 8), std::chrono::days(30)), 0u);
  const long long midnight = Unix(Utc(2026, 3, 28, 23));
  const Times sent = TimesOf("sent");
  EXPECT_EQ(sent.created_at, midnight);
  EXPECT_EQ(sent.next_attempt_at, midnight);
  EXPECT_EQ(sent.claimed_at, midnight);
  EXPECT_EQ(sent.sent_at, midnight);
  EXPECT_EQ(TimesOf("failed").created_at, midnight);
  EXPECT_EQ(TimesOf("failed").claimed_at, std::nullopt);
  EXPECT_EQ(TimesOf("pending").created_at, exact);
  EXPECT_EQ(TimesOf("sending").claimed_at, exact);
  // Nothing changes the second time.
  soci::session sql(db_->pool());
  EXPECT_FALSE(CoarsenFinalTimes(sql, "sent"));
  EXPECT_FALSE(CoarsenFinalTimes(sql, "pending"));
  EXPECT_FALSE(CoarsenFinalTimes(sql, "no-such-row"));
}

TEST_P(NotifyTest, FindsTheAddressesToNotify) {
  if (IsSkipped() || HasFatalFailure()) return;
  soci::session sql(db_->pool());
  for (const char* slug : {"t1", "t2"}) storage::testing::InsertTerritory(sql, slug);
  const auto add_org = [&](const std::string& id, const std::string& email) {
    storage::testing::InsertOrganization(sql, id, "t1", email);
  };
  add_org("o-public", "contact@o.example.org");
  add_org("o-settings", "contact@p.example.org");
  add_org("o-none", "");
  sql << "INSERT INTO organization_settings (organization_id, notification_email, updated_at)"
         " VALUES ('o-settings', 'alertes@p.example.org', 0)";
  EXPECT_EQ(OrganizationAddress(sql, "o-public"), "contact@o.example.org");
  EXPECT_EQ(OrganizationAddress(sql, "o-settings"), "alertes@p.example.org");
  EXPECT_EQ(OrganizationAddress(sql, "o-none"), std::nullopt);
  EXPECT_EQ(OrganizationAddress(sql, "o-unknown"), std::nullopt);

  const auto add_account = [&](const std::string& id, const std::string& email, const std::string& role,
                               const std::optional<std::string>& territory, const std::string& status) {
    sql << "INSERT INTO account (id, email, role, territory_slug, status, created_at, updated_at)"
           " VALUES (:id, :email, :role, :territory, :status, 0, 0)",
        soci::use(id), soci::use(email), soci::use(role), soci::use(territory), soci::use(status);
  };
  add_account("a1", "coord1@t1.example.org", "coordinator", std::string("t1"), "active");
  add_account("a2", "coord2@t1.example.org", "coordinator", std::string("t1"), "active");
  add_account("a3", "gone@t1.example.org", "coordinator", std::string("t1"), "disabled");
  add_account("a4", "invited@t1.example.org", "coordinator", std::string("t1"), "invited");
  add_account("a5", "coord@t2.example.org", "coordinator", std::string("t2"), "active");
  add_account("a6", "member@t1.example.org", "member", std::nullopt, "active");
  add_account("a7", "ops@example.org", "operator", std::nullopt, "active");
  EXPECT_EQ(CoordinatorAddresses(sql, "t1"),
            (std::vector<std::string>{"coord1@t1.example.org", "coord2@t1.example.org"}));
  EXPECT_EQ(CoordinatorAddresses(sql, "t2"), (std::vector<std::string>{"coord@t2.example.org"}));
  EXPECT_TRUE(CoordinatorAddresses(sql, "t3").empty());
}

}  // namespace
}  // namespace passerelle::notify::testing
