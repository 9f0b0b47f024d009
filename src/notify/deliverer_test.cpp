// Delivery over real SMTP (an in-process sink on 127.0.0.1) on SQLite and PostgreSQL: delivered
// once, outage → backoff → delivered once, a restart does not resend, racing deliverers send each
// row once, interrupted sends are never retried, the serve loop.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "notify/deliverer.h"
#include "notify/notify_test_support.h"

namespace passerelle::notify::testing {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

TEST_P(NotifyTest, DeliversAQueuedNotificationOnceWithContentFreeWording) {
  if (IsSkipped() || HasFatalFailure()) return;
  SmtpSink sink;
  Queue(kOrgAddress, Kind::kNewReferral);
  Deliverer deliverer(*db_, Smtp(sink), kPublicUrl);
  const DeliveryCounts counts = deliverer.DeliverDue(kT0);
  EXPECT_EQ(counts.sent, 1u);
  const auto received = sink.Received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].mail_from, "passerelle@example.org");
  EXPECT_EQ(received[0].rcpt_to, std::vector<std::string>{kOrgAddress});
  const ParsedMail mail = Parse(received[0].data);
  EXPECT_EQ(mail.headers.at("To"), std::string("<") + kOrgAddress + ">");
  EXPECT_EQ(mail.headers.at("From"), "Passerelle <passerelle@example.org>");
  EXPECT_EQ(mail.headers.at("Subject"), "Nouvelle demande sur Passerelle");
  EXPECT_EQ(mail.headers.at("Auto-Submitted"), "auto-generated");
  EXPECT_EQ(mail.body, WordingFor(Kind::kNewReferral, kPublicUrl).body);
  EXPECT_NE(mail.body.find("Une nouvelle demande vous attend sur Passerelle"), std::string::npos);
  EXPECT_NE(mail.body.find("https://passerelle.example.org/pro\n"), std::string::npos);
  EXPECT_EQ(mail.body.find(kOrgAddress), std::string::npos);
  EXPECT_EQ(OnlyRow().status, "sent");

  // Nothing more to send, now or later.
  EXPECT_EQ(deliverer.DeliverDue(kT0 + seconds(3600)).sent, 0u);
  EXPECT_EQ(sink.Received().size(), 1u);
}

TEST_P(NotifyTest, SmtpOutageIsRetriedWithBackoffThenDeliveredOnceAfterARestart) {
  if (IsSkipped() || HasFatalFailure()) return;
  std::uint16_t port = 0;
  SmtpSettings smtp;
  {
    SmtpSink probe;  // finds a free port, then goes away: the server is down
    port = probe.port();
    smtp = Smtp(probe);
  }
  Queue(kOrgAddress, Kind::kNewMessage);
  {
    Deliverer deliverer(*db_, smtp, kPublicUrl);
    DeliveryCounts c = deliverer.DeliverDue(kT0);
    EXPECT_EQ(c.retry_later, 1u);
    Row r = OnlyRow();
    EXPECT_EQ(r.status, "pending");
    EXPECT_EQ(r.attempts, 1);
    EXPECT_EQ(r.last_error, "connect");
    EXPECT_EQ(r.next_attempt_at, 1'750'000'000 + 60);
    // Not due yet: no attempt.
    c = deliverer.DeliverDue(kT0 + seconds(59));
    EXPECT_EQ(c.retry_later + c.sent, 0u);
    EXPECT_EQ(OnlyRow().attempts, 1);
    // Second failure: the wait doubles.
    c = deliverer.DeliverDue(kT0 + seconds(60));
    EXPECT_EQ(c.retry_later, 1u);
    r = OnlyRow();
    EXPECT_EQ(r.attempts, 2);
    EXPECT_EQ(r.next_attempt_at, 1'750'000'000 + 60 + 120);
  }
  // The server comes back on the same port and the process restarts (a new Deliverer).
  SmtpSink sink(port);
  Deliverer restarted(*db_, smtp, kPublicUrl);
  EXPECT_EQ(restarted.DeliverDue(kT0 + seconds(179)).sent, 0u);
  EXPECT_EQ(sink.Connections(), 0);
  EXPECT_EQ(restarted.DeliverDue(kT0 + seconds(180)).sent, 1u);
  EXPECT_EQ(OnlyRow().status, "sent");
  EXPECT_EQ(OnlyRow().attempts, 3);
  // Another restart, much later: nothing is sent again.
  Deliverer again(*db_, smtp, kPublicUrl);
  EXPECT_EQ(again.DeliverDue(kT0 + seconds(86400)).sent, 0u);
  EXPECT_EQ(sink.Received().size(), 1u);
}

TEST_P(NotifyTest, AnUnusableServerStopsTheBatchWithoutSpendingOtherRowsAttempts) {
  if (IsSkipped() || HasFatalFailure()) return;
  SmtpSink sink;
  sink.SetMode(SinkMode::kTemporaryFailure);
  for (int i = 0; i < 3; ++i) Queue(kOrgAddress, Kind::kReminder, kT0 + seconds(i));
  Deliverer deliverer(*db_, Smtp(sink), kPublicUrl);
  const DeliveryCounts c = deliverer.DeliverDue(kT0 + seconds(10));
  EXPECT_EQ(c.retry_later, 1u);
  EXPECT_EQ(sink.Connections(), 1);
  const auto rows = Rows();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].attempts, 1);
  EXPECT_EQ(rows[0].last_error, "temporary");
  EXPECT_EQ(rows[1].attempts, 0);
  EXPECT_EQ(rows[2].attempts, 0);
}

TEST_P(NotifyTest, AbruptlyClosedConnectionsAreRetried) {
  if (IsSkipped() || HasFatalFailure()) return;
  SmtpSink sink;
  sink.SetMode(SinkMode::kCloseOnConnect);
  Queue(kOrgAddress, Kind::kNewReferral);
  Deliverer deliverer(*db_, Smtp(sink), kPublicUrl);
  EXPECT_EQ(deliverer.DeliverDue(kT0).retry_later, 1u);
  EXPECT_EQ(OnlyRow().status, "pending");
  sink.SetMode(SinkMode::kAccept);
  EXPECT_EQ(deliverer.DeliverDue(kT0 + seconds(60)).sent, 1u);
  EXPECT_EQ(sink.Received().size(), 1u);
}

TEST_P(NotifyTest, APermanentRefusalIsNotRetried) {
  if (IsSkipped() || HasFatalFailure()) return;
  SmtpSink sink;
  sink.SetMode(SinkMode::kRejectRecipient);
  Queue(kOrgAddress, Kind::kHandover);
  Deliverer deliverer(*db_, Smtp(sink), kPublicUrl);
  EXPECT_EQ(deliverer.DeliverDue(kT0).failed, 1u);
  EXPECT_EQ(OnlyRow().status, "failed");
  EXPECT_EQ(OnlyRow().last_error, "permanent");
  sink.SetMode(SinkMode::kAccept);
  EXPECT_EQ(deliverer.DeliverDue(kT0 + seconds(86400)).sent, 0u);
  EXPECT_EQ(sink.Connections(), 1);
}

TEST_P(NotifyTest, GivesUpAfterTheLastAttempt) {
  if (IsSkipped() || HasFatalFailure()) return;
  SmtpSink sink;
  sink.SetMode(SinkMode::kTemporaryFailure);
  Queue(kOrgAddress, Kind::kNewReferral);
  DeliveryPolicy policy;
  policy.max_attempts = 2;
  Deliverer deliverer(*db_, Smtp(sink), kPublicUrl, policy);
  EXPECT_EQ(deliverer.DeliverDue(kT0).retry_later, 1u);
  EXPECT_EQ(deliverer.DeliverDue(kT0 + seconds(60)).failed, 1u);
  EXPECT_EQ(OnlyRow().status, "failed");
  EXPECT_EQ(OnlyRow().attempts, 2);
  EXPECT_EQ(deliverer.DeliverDue(kT0 + seconds(86400)).failed, 0u);
  EXPECT_EQ(sink.Connections(), 2);
}

TEST_P(NotifyTest, AConnectionLostAfterTheMessageWasHandedOverIsNeverRetried) {
  if (IsSkipped() || HasFatalFailure()) return;
  SmtpSink sink;
  sink.SetMode(SinkMode::kDropAfterData);
  Queue(kOrgAddress, Kind::kNewReferral);
  Deliverer deliverer(*db_, Smtp(sink), kPublicUrl);
  EXPECT_EQ(deliverer.DeliverDue(kT0).unknown, 1u);
  EXPECT_EQ(OnlyRow().status, "unknown");
  EXPECT_EQ(OnlyRow().last_error, "interrupted");
  sink.SetMode(SinkMode::kAccept);
  EXPECT_EQ(deliverer.DeliverDue(kT0 + seconds(86400)).sent, 0u);
  EXPECT_EQ(sink.Connections(), 1);
}

TEST_P(NotifyTest, ARowClaimedByASenderThatDiedIsNeverResent) {
  if (IsSkipped() || HasFatalFailure()) return;
  SmtpSink sink;
  Queue(kOrgAddress, Kind::kNewReferral);
  // What a process leaves behind when it dies between its claim and "sent".
  {
    soci::session sql(db_->pool());
    sql << "UPDATE outbox SET status = 'sending', claimed_by = 'dead', claimed_at = 1750000000, attempts = 1";
  }
  Deliverer deliverer(*db_, Smtp(sink), kPublicUrl);
  DeliveryCounts c = deliverer.DeliverDue(kT0 + seconds(60));
  EXPECT_EQ(c.sent + c.unknown, 0u);
  EXPECT_EQ(OnlyRow().status, "sending");
  c = deliverer.DeliverDue(kT0 + seconds(601));
  EXPECT_EQ(c.unknown, 1u);
  EXPECT_EQ(c.sent, 0u);
  EXPECT_EQ(OnlyRow().status, "unknown");
  EXPECT_EQ(deliverer.DeliverDue(kT0 + seconds(86400)).sent, 0u);
  EXPECT_EQ(sink.Connections(), 0);
}

TEST_P(NotifyTest, TwoDeliverersRacingSendEachMessageOnce) {
  if (IsSkipped() || HasFatalFailure()) return;
  SmtpSink sink;
  constexpr int kMessages = 30;
  for (int i = 0; i < kMessages; ++i) {
    Queue("org" + std::to_string(i) + "@example.org", Kind::kNewReferral, kT0 + seconds(i));
  }
  auto other_db = SecondInstance();
  Deliverer first(*db_, Smtp(sink), kPublicUrl);
  Deliverer second(*other_db, Smtp(sink), kPublicUrl);
  std::atomic<std::size_t> sent{0};
  std::atomic<std::size_t> skipped{0};
  std::atomic<int> errors{0};
  const auto run = [&](Deliverer& d) {
    for (int round = 0; round < 3; ++round) {
      try {
        const DeliveryCounts c = d.DeliverDue(kT0 + seconds(100));
        sent += c.sent;
        skipped += c.skipped;
      } catch (const std::exception&) {
        ++errors;
      }
    }
  };
  std::thread a(run, std::ref(first));
  std::thread b(run, std::ref(second));
  a.join();
  b.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(sent.load(), static_cast<std::size_t>(kMessages));
  const auto received = sink.Received();
  EXPECT_EQ(received.size(), static_cast<std::size_t>(kMessages));
  std::set<std::string> recipients;
  std::set<std::string> message_ids;
  for (const ReceivedMail& m : received) {
    recipients.insert(m.rcpt_to.at(0));
    message_ids.insert(Parse(m.data).headers.at("Message-ID"));
  }
  EXPECT_EQ(recipients.size(), static_cast<std::size_t>(kMessages));
  EXPECT_EQ(message_ids.size(), static_cast<std::size_t>(kMessages));
  for (const Row& r : Rows()) {
    EXPECT_EQ(r.status, "sent");
    EXPECT_EQ(r.attempts, 1);
  }
  // Both instances coarsened what they sent: 00:00 in Paris on 15 June 2025 is 22:00 UTC the 14th.
  const long long midnight = Unix(Utc(2025, 6, 14, 22));
  for (const std::string& id : Ids()) {
    const Times t = TimesOf(id);
    EXPECT_EQ(t.created_at, midnight) << id;
    EXPECT_EQ(t.sent_at, midnight) << id;
    EXPECT_EQ(t.claimed_at, midnight) << id;
  }
}

TEST_P(NotifyTest, TheServeLoopDeliversAndStopsCleanly) {
  if (IsSkipped() || HasFatalFailure()) return;
  SmtpSink sink;
  Deliverer deliverer(*db_, Smtp(sink), kPublicUrl);
  const auto started = std::chrono::steady_clock::now();
  {
    DeliveryLoop loop(deliverer, std::chrono::milliseconds(50));
    Queue(kOrgAddress, Kind::kNewReferral, system_clock::now());
    for (int i = 0; i < 200 && sink.Received().empty(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    EXPECT_EQ(sink.Received().size(), 1u);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, seconds(10));
  EXPECT_EQ(OnlyRow().status, "sent");
}

TEST(RetryDelayTest, DoublesUpToTheCap) {
  DeliveryPolicy p;
  EXPECT_EQ(RetryDelay(p, 1), seconds(60));
  EXPECT_EQ(RetryDelay(p, 2), seconds(120));
  EXPECT_EQ(RetryDelay(p, 3), seconds(240));
  EXPECT_EQ(RetryDelay(p, 6), seconds(1920));
  EXPECT_EQ(RetryDelay(p, 7), seconds(3600));
  EXPECT_EQ(RetryDelay(p, 1000), seconds(3600));
}

}  // namespace
}  // namespace passerelle::notify::testing
