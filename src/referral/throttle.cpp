#include "referral/throttle.h"

#include "core/crypto.h"
#include "core/unix_time.h"

namespace passerelle::referral {

namespace {

// The failures of a key in the current window (a row of an older window counts as none).
constexpr const char* kFailures =
    "SELECT failures FROM attempt_throttle WHERE throttle_key = :key AND window_start = :window_start";
constexpr const char* kCountFailure =
    "INSERT INTO attempt_throttle (throttle_key, failures, window_start) VALUES (:key, 1, :window_start) "
    "ON CONFLICT (throttle_key) DO UPDATE SET "
    "failures = CASE WHEN attempt_throttle.window_start = excluded.window_start "
    "THEN attempt_throttle.failures + 1 ELSE 1 END, window_start = excluded.window_start";
constexpr const char* kForgetOldWindows = "DELETE FROM attempt_throttle WHERE window_start < :window_start";

constexpr const char* kHexDigits = "0123456789abcdef";

std::string Hex(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const unsigned char c : bytes) {
    out.push_back(kHexDigits[c >> 4]);
    out.push_back(kHexDigits[c & 0xf]);
  }
  return out;
}

long long Failures(soci::session& sql, const std::string& key, long long window_start) {
  long long failures = 0;
  soci::indicator found = soci::i_null;
  sql << kFailures, soci::use(key, "key"), soci::use(window_start, "window_start"), soci::into(failures, found);
  return sql.got_data() && found == soci::i_ok ? failures : 0;
}

}  // namespace

FollowUpThrottle::FollowUpThrottle(storage::Database& db, std::string key, FollowUpLimits limits)
    : db_(db), key_(std::move(key)), limits_(limits) {}

long long FollowUpThrottle::WindowStart(std::chrono::system_clock::time_point now) const {
  const long long window = limits_.window.count();
  const long long seconds = core::UnixSeconds(now);
  return seconds - ((seconds % window) + window) % window;
}

std::string FollowUpThrottle::KeyOf(std::string_view kind, std::string_view value) const {
  std::string message(kind);
  message += '|';
  message += value;
  return Hex(core::HmacSha256(key_, message).substr(0, 16));
}

bool FollowUpThrottle::Allows(const std::string& client, const std::string& words,
                              std::chrono::system_clock::time_point now) const {
  const long long window_start = WindowStart(now);
  soci::session sql(db_.pool());
  if (Failures(sql, KeyOf("client", client), window_start) >= static_cast<long long>(limits_.failures_per_client)) {
    return false;
  }
  if (words.empty()) return true;
  if (Failures(sql, KeyOf("words", words), window_start) < static_cast<long long>(limits_.failures_per_code)) {
    return true;
  }
  // The words are under attack: only those who failed on them are stopped.
  return Failures(sql, KeyOf("guesser", client + "|" + words), window_start) <
         static_cast<long long>(limits_.failures_per_guesser);
}

void FollowUpThrottle::RecordFailure(const std::string& client, const std::string& words,
                                     std::chrono::system_clock::time_point now) const {
  const long long window_start = WindowStart(now);
  std::vector<std::string> keys{KeyOf("client", client)};
  if (!words.empty()) {
    keys.push_back(KeyOf("words", words));
    keys.push_back(KeyOf("guesser", client + "|" + words));
  }
  db_.InTransaction([&](soci::session& sql) {
    sql << kForgetOldWindows, soci::use(window_start, "window_start");
    for (const std::string& key : keys) {
      sql << kCountFailure, soci::use(key, "key"), soci::use(window_start, "window_start");
    }
  });
}

}  // namespace passerelle::referral
