// Notifications end to end over real SMTP (an in-process sink on 127.0.0.1) on SQLite and
// PostgreSQL: delivery, content-free wording, outage → backoff → delivered once, a restart does
// not resend, racing deliverers send each row once, interrupted sends are never retried, and
// configuration errors are named.
#include <gtest/gtest.h>

#include <sodium.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "core/config.h"
#include "notify/deliverer.h"
#include "notify/message.h"
#include "notify/outbox.h"
#include "notify/smtp.h"
#include "notify/smtp_sink.h"
#include "storage/testing.h"

namespace passerelle::notify {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;
using testing::ReceivedMail;
using testing::SinkMode;
using testing::SinkUrl;
using testing::SmtpSink;

const system_clock::time_point kT0 = system_clock::time_point(seconds(1'750'000'000));  // 17:06:40 in Paris

// An instant given in UTC, and the Unix seconds of one (independent of core/paris_time: the
// expected Paris midnights below are written out by hand).
system_clock::time_point Utc(int y, unsigned m, unsigned d, int h, int min = 0, int s = 0) {
  using namespace std::chrono;
  return sys_days{year{y} / month{m} / day{d}} + hours{h} + minutes{min} + seconds{s};
}
long long Unix(system_clock::time_point t) {
  return std::chrono::duration_cast<seconds>(t.time_since_epoch()).count();
}
constexpr const char* kPublicUrl = "https://passerelle.example.org";
constexpr const char* kOrgAddress = "accueil@asso.example.org";

// --- decoding what the sink received ---

std::string DecodeQuotedPrintable(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '=' && i + 2 < text.size() && text[i + 1] == '\r' && text[i + 2] == '\n') {
      i += 2;  // soft line break
    } else if (text[i] == '=' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      out += '\n';
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string Base64Decode(const std::string& text) {
  std::string out(text.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return "<bad base64>";
  }
  out.resize(len);
  return out;
}

struct ParsedMail {
  std::map<std::string, std::string> headers;  // unfolded, RFC 2047 decoded for Subject
  std::string body;                            // decoded
};

ParsedMail Parse(const std::string& data) {
  ParsedMail m;
  const auto split = data.find("\r\n\r\n");
  std::string head = data.substr(0, split);
  std::string unfolded;
  for (std::size_t i = 0; i < head.size(); ++i) {
    if (head.compare(i, 3, "\r\n ") == 0) {
      i += 2;
      continue;
    }
    unfolded += head[i];
  }
  std::size_t start = 0;
  while (start < unfolded.size()) {
    const auto end = std::min(unfolded.find("\r\n", start), unfolded.size());
    const std::string line = unfolded.substr(start, end - start);
    const auto colon = line.find(": ");
    if (colon != std::string::npos) m.headers[line.substr(0, colon)] = line.substr(colon + 2);
    start = end + 2;
  }
  std::string subject;
  const std::string& raw = m.headers["Subject"];
  for (std::size_t pos = raw.find("=?UTF-8?B?"); pos != std::string::npos; pos = raw.find("=?UTF-8?B?", pos)) {
    const auto end = raw.find("?=", pos + 10);
    subject += Base64Decode(raw.substr(pos + 10, end - pos - 10));
    pos = end + 2;
  }
  m.headers["Subject"] = subject;
  m.body = DecodeQuotedPrintable(data.substr(split + 4));
  return m;
}

// --- fixture ---

class NotifyTest : public storage::testing::BackendTest {
 protected:
  SmtpSettings Smtp(const SmtpSink& sink) {
    SmtpSettings s = ParseSmtpSettings(SinkUrl(sink), "passerelle@example.org");
    s.connect_timeout = seconds(2);
    s.total_timeout = seconds(5);
    return s;
  }
  void Queue(const std::string& to, Kind kind, system_clock::time_point at = kT0) {
    db_->InTransaction([&](soci::session& sql) { Enqueue(sql, to, kind, at); });
  }
  struct Row {
    std::string status;
    int attempts = 0;
    long long next_attempt_at = 0;
    std::optional<std::string> last_error;
  };
  std::vector<Row> Rows() {
    std::vector<Row> rows;
    soci::session sql(db_->pool());
    Row r;
    soci::statement st = (sql.prepare << "SELECT status, attempts, next_attempt_at, last_error FROM outbox"
                                         " ORDER BY created_at, id",
                          soci::into(r.status), soci::into(r.attempts), soci::into(r.next_attempt_at),
                          soci::into(r.last_error));
    st.execute();
    while (st.fetch()) rows.push_back(r);
    return rows;
  }
  Row OnlyRow() {
    const auto rows = Rows();
    EXPECT_EQ(rows.size(), 1u);
    return rows.empty() ? Row{} : rows[0];
  }
  struct Times {
    std::string status;
    long long created_at = 0;
    long long next_attempt_at = 0;
    std::optional<long long> claimed_at;
    std::optional<long long> sent_at;
  };
  Times TimesOf(const std::string& id) {
    soci::session sql(db_->pool());
    Times t;
    sql << "SELECT status, created_at, next_attempt_at, claimed_at, sent_at FROM outbox WHERE id = :id",
        soci::use(id), soci::into(t.status), soci::into(t.created_at), soci::into(t.next_attempt_at),
        soci::into(t.claimed_at), soci::into(t.sent_at);
    EXPECT_TRUE(sql.got_data()) << id;
    return t;
  }
  std::vector<std::string> Ids() {
    std::vector<std::string> ids;
    soci::session sql(db_->pool());
    std::string id;
    soci::statement st = (sql.prepare << "SELECT id FROM outbox ORDER BY id", soci::into(id));
    st.execute();
    while (st.fetch()) ids.push_back(id);
    return ids;
  }
  std::string OnlyId() {
    const auto ids = Ids();
    EXPECT_EQ(ids.size(), 1u);
    return ids.empty() ? "" : ids[0];
  }
  // A row as a deliverer or an operator would have left it.
  void InsertRow(const std::string& id, const std::string& status, long long created_at,
                 std::optional<long long> claimed_at, std::optional<long long> sent_at) {
    soci::session sql(db_->pool());
    const std::optional<std::string> claimed_by =
        claimed_at ? std::optional<std::string>("someone") : std::optional<std::string>();
    sql << "INSERT INTO outbox (id, recipient, kind, created_at, status, attempts, next_attempt_at, claimed_by,"
           " claimed_at, sent_at) VALUES (:id, 'a@example.org', 'new_referral', :created_at, :status, 1,"
           " :next_attempt_at, :claimed_by, :claimed_at, :sent_at)",
        soci::use(id), soci::use(created_at), soci::use(status), soci::use(created_at), soci::use(claimed_by),
        soci::use(claimed_at), soci::use(sent_at);
  }
  std::unique_ptr<storage::Database> SecondInstance() {
    if (GetParam() == core::DatabaseBackend::kSqlite) {
      return storage::Database::Open(core::ParseDatabaseUrl("sqlite:" + (dir_ / "t.db").string()), 2);
    }
    return storage::Database::Open(core::ParseDatabaseUrl(std::getenv("PASSERELLE_TEST_PG_URL")), 2);
  }
};

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

TEST_P(NotifyTest, EveryKindHasItsOwnContentFreeWording) {
  if (IsSkipped() || HasFatalFailure()) return;
  SmtpSink sink;
  const std::vector<Kind> kinds = {Kind::kNewReferral, Kind::kNewMessage, Kind::kHandover,
                                   Kind::kReminder,    Kind::kEscalation, Kind::kAddressChange};
  for (Kind kind : kinds) Queue(kOrgAddress, kind);
  Deliverer deliverer(*db_, Smtp(sink), kPublicUrl);
  EXPECT_EQ(deliverer.DeliverDue(kT0).sent, kinds.size());
  std::set<std::string> subjects;
  std::set<std::string> bodies;
  for (const ReceivedMail& received : sink.Received()) {
    const ParsedMail mail = Parse(received.data);
    subjects.insert(mail.headers.at("Subject"));
    bodies.insert(mail.body);
  }
  EXPECT_EQ(subjects.size(), kinds.size());
  EXPECT_EQ(bodies.size(), kinds.size());
  for (Kind kind : kinds) {
    SCOPED_TRACE(KindCode(kind));
    const Wording w = WordingFor(kind, kPublicUrl);
    EXPECT_TRUE(subjects.count(w.subject));
    EXPECT_TRUE(bodies.count(w.body));
    // The only variable part is the link; the rest is fixed text.
    EXPECT_NE(w.body.find("https://passerelle.example.org/pro\n"), std::string::npos);
    EXPECT_NE(w.body.find("aucune information sur la demande"), std::string::npos);
    EXPECT_EQ(KindFromCode(KindCode(kind)), kind);
  }
  EXPECT_EQ(KindFromCode("nonsense"), std::nullopt);
}

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
  InsertRow("sending-old", "sending", Unix(Utc(2025, 1, 1, 12, 0, 7)), Unix(Utc(2025, 1, 1, 12, 0, 9)),
            std::nullopt);

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

TEST_P(NotifyTest, AuthenticatesWithTheCredentialsOfTheUrl) {
  if (IsSkipped() || HasFatalFailure()) return;
  SmtpSink sink;
  sink.RequireAuth("passerelle", "p@ss word");
  Queue(kOrgAddress, Kind::kNewReferral);
  SmtpSettings wrong = ParseSmtpSettings(
      "smtp://passerelle:nope@127.0.0.1:" + std::to_string(sink.port()), "passerelle@example.org");
  EXPECT_EQ(Deliverer(*db_, wrong, kPublicUrl).DeliverDue(kT0).retry_later, 1u);
  EXPECT_EQ(OnlyRow().last_error, "auth");
  EXPECT_TRUE(sink.Received().empty());
  SmtpSettings right = ParseSmtpSettings(
      "smtp://passerelle:p%40ss%20word@127.0.0.1:" + std::to_string(sink.port()), "passerelle@example.org");
  EXPECT_EQ(Deliverer(*db_, right, kPublicUrl).DeliverDue(kT0 + seconds(60)).sent, 1u);
  ASSERT_EQ(sink.Received().size(), 1u);
  EXPECT_EQ(sink.Received()[0].username, "passerelle");
}

TEST_P(NotifyTest, RequiredTlsIsNeverDowngradedToPlainText) {
  if (IsSkipped() || HasFatalFailure()) return;
  SmtpSink sink;  // offers no STARTTLS
  Queue(kOrgAddress, Kind::kNewReferral);
  const SmtpSettings smtp = ParseSmtpSettings(SinkUrl(sink) + "?tls=required", "passerelle@example.org");
  EXPECT_EQ(smtp.tls, Tls::kStartTls);
  EXPECT_EQ(Deliverer(*db_, smtp, kPublicUrl).DeliverDue(kT0).retry_later, 1u);
  EXPECT_EQ(OnlyRow().last_error, "tls");
  EXPECT_TRUE(sink.Received().empty());
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

INSTANTIATE_TEST_SUITE_P(Backends, NotifyTest,
                         ::testing::Values(core::DatabaseBackend::kSqlite, core::DatabaseBackend::kPostgresql),
                         storage::testing::BackendName);

// --- no database ---

TEST(SmtpSettingsTest, AcceptsTheDocumentedForms) {
  SmtpSettings s = ParseSmtpSettings("smtp://127.0.0.1:2525", "passerelle@example.org");
  EXPECT_EQ(s.curl_url, "smtp://127.0.0.1:2525");
  EXPECT_EQ(s.tls, Tls::kNone);
  EXPECT_TRUE(s.username.empty());
  s = ParseSmtpSettings("smtp://relay.example.org?tls=required", "passerelle@example.org");
  EXPECT_EQ(s.curl_url, "smtp://relay.example.org");
  EXPECT_EQ(s.tls, Tls::kStartTls);
  s = ParseSmtpSettings("smtps://user%40x:p%3Ass@mail.example.org:465/", "passerelle@example.org");
  EXPECT_EQ(s.curl_url, "smtps://mail.example.org:465");
  EXPECT_EQ(s.tls, Tls::kImplicit);
  EXPECT_EQ(s.username, "user@x");
  EXPECT_EQ(s.password, "p:ss");
}

TEST(SmtpSettingsTest, BadSettingsAreNamedWithoutTheirSecret) {
  const auto error_of = [](const std::string& url, const std::string& from) -> std::string {
    try {
      (void)ParseSmtpSettings(url, from);
    } catch (const core::ConfigException& e) {
      return e.what();
    }
    return "";
  };
  for (const std::string url : {"http://mail.example.org", "mail.example.org:25", "smtp://", "smtp://:25",
                                "smtp://h:0", "smtp://h:99999", "smtp://h:25x", "smtp://h/path",
                                "smtp://h?tls=maybe", "smtp://u:s3cret%zz@h", "smtp://u:s3cret@h:bad"}) {
    SCOPED_TRACE(url);
    const std::string error = error_of(url, "passerelle@example.org");
    EXPECT_NE(error.find("PASSERELLE_SMTP_URL"), std::string::npos) << error;
    EXPECT_EQ(error.find("s3cret"), std::string::npos) << error;
  }
  for (const std::string from : {"", "passerelle", "a b@example.org", "<a@example.org>", "a@b\r\nBcc: c@d"}) {
    SCOPED_TRACE(from);
    EXPECT_NE(error_of("smtp://127.0.0.1:25", from).find("PASSERELLE_SMTP_FROM"), std::string::npos);
  }
  EXPECT_EQ(RedactSmtpUrl("smtps://user:s3cret@mail.example.org:465"), "smtps://user:***@mail.example.org:465");
  EXPECT_EQ(RedactSmtpUrl("smtp://127.0.0.1:25"), "smtp://127.0.0.1:25");
}

TEST(SmtpSettingsTest, PublicUrl) {
  EXPECT_EQ(ParsePublicUrl("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
  EXPECT_EQ(ParsePublicUrl("https://passerelle.example.org/"), "https://passerelle.example.org");
  EXPECT_EQ(ParsePublicUrl("https://example.org/passerelle/"), "https://example.org/passerelle");
  for (const std::string bad : {"", "ftp://x", "https://", "https://x?y=1", "https://u@x", "javascript:alert(1)"}) {
    SCOPED_TRACE(bad);
    EXPECT_THROW((void)ParsePublicUrl(bad), core::ConfigException);
  }
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

TEST(MessageTest, QuotedPrintableKeepsLinesShortAndRoundTrips) {
  const std::string text = "Un très long paragraphe " + std::string(200, 'a') + " = fin \nligne 2\t\n";
  const std::string qp = QuotedPrintable(text);
  std::size_t start = 0;
  while (start < qp.size()) {
    const auto end = std::min(qp.find("\r\n", start), qp.size());
    EXPECT_LE(end - start, 76u);
    start = end + 2;
  }
  EXPECT_EQ(qp.find('\n', 0) == std::string::npos || qp[qp.find('\n') - 1] == '\r', true);
  EXPECT_NE(qp.find("=3D"), std::string::npos);
  EXPECT_NE(qp.find("=20\r\n"), std::string::npos);  // trailing space
  EXPECT_NE(qp.find("=09\r\n"), std::string::npos);  // trailing tab
  EXPECT_EQ(DecodeQuotedPrintable(qp), text);
}

TEST(MessageTest, HeadersAreAsciiAndTheSubjectIsEncoded) {
  const std::string m = BuildMessage("passerelle@example.org", kOrgAddress, Kind::kAddressChange, kPublicUrl,
                                     kT0, "abc123");
  for (char c : m) EXPECT_LT(static_cast<unsigned char>(c), 128u);
  const ParsedMail mail = Parse(m);
  EXPECT_EQ(mail.headers.at("Subject"), "Adresse de notification modifiée sur Passerelle");
  EXPECT_EQ(mail.headers.at("Date"), "Sun, 15 Jun 2025 15:06:40 +0000");
  EXPECT_EQ(mail.headers.at("Message-ID"), "<abc123@example.org>");
  EXPECT_EQ(mail.body, WordingFor(Kind::kAddressChange, kPublicUrl).body);
}

}  // namespace
}  // namespace passerelle::notify
