#pragma once
// What the notify tests share (outbox_test.cpp, message_test.cpp, smtp_test.cpp,
// deliverer_test.cpp): instants, the decoding of what the SMTP sink received, and the NotifyTest
// fixture on SQLite and PostgreSQL (storage/testing.h).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "notify/message.h"
#include "notify/outbox.h"
#include "notify/smtp.h"
#include "notify/smtp_sink.h"
#include "storage/testing.h"

namespace passerelle::notify::testing {

inline const std::chrono::system_clock::time_point kT0 =
    std::chrono::system_clock::time_point(std::chrono::seconds(1'750'000'000));  // 17:06:40 in Paris

// An instant given in UTC, and the Unix seconds of one (independent of core/paris_time: the
// expected Paris midnights below are written out by hand).
inline std::chrono::system_clock::time_point Utc(int y, unsigned m, unsigned d, int h, int min = 0, int s = 0) {
  using namespace std::chrono;
  return sys_days{year{y} / month{m} / day{d}} + hours{h} + minutes{min} + seconds{s};
}
inline long long Unix(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
inline constexpr const char* kPublicUrl = "https://passerelle.example.org";
inline constexpr const char* kOrgAddress = "accueil@asso.example.org";

// --- decoding what the sink received ---

// Quoted-printable text with CRLF line ends, decoded, with LF line ends.
std::string DecodeQuotedPrintable(const std::string& text);

struct ParsedMail {
  std::map<std::string, std::string> headers;  // unfolded, RFC 2047 decoded for Subject
  std::string body;                            // decoded
};

// The headers (unfolded, Subject decoded) and the decoded body of a message as received.
ParsedMail Parse(const std::string& data);

// --- fixture ---

// One fixture type for the four files, whose TEST_Ps make one suite (instantiated in
// notify_test_support.cpp).
class NotifyTest : public storage::testing::BackendTest {
 protected:
  SmtpSettings Smtp(const SmtpSink& sink) {
    SmtpSettings s = ParseSmtpSettings(SinkUrl(sink), "passerelle@example.org");
    s.connect_timeout = std::chrono::seconds(2);
    s.total_timeout = std::chrono::seconds(5);
    return s;
  }
  void Queue(const std::string& to, Kind kind, std::chrono::system_clock::time_point at = kT0) {
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
    soci::statement st =
        (sql.prepare << "SELECT status, attempts, next_attempt_at, last_error FROM outbox"
                        " ORDER BY created_at, id",
         soci::into(r.status), soci::into(r.attempts), soci::into(r.next_attempt_at), soci::into(r.last_error));
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
    sql << "SELECT status, created_at, next_attempt_at, claimed_at, sent_at FROM outbox WHERE id = :id", soci::use(id),
        soci::into(t.status), soci::into(t.created_at), soci::into(t.next_attempt_at), soci::into(t.claimed_at),
        soci::into(t.sent_at);
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

}  // namespace passerelle::notify::testing
