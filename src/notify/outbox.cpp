#include "notify/outbox.h"

#include <spdlog/spdlog.h>

#include "core/crypto.h"
#include "core/paris_time.h"
#include "core/unix_time.h"
#include "notify/message.h"
#include "notify/smtp.h"
#include "storage/database.h"

namespace passerelle::notify {

namespace {

using core::UnixSeconds;

constexpr const char* kInsert =
    "INSERT INTO outbox (id, recipient, kind, created_at, status, attempts, next_attempt_at, last_error, link_path)"
    " VALUES (:id, :recipient, :kind, :created_at, :status, 0, :next_attempt_at, :last_error, :link_path)";
constexpr const char* kNotificationEmail =
    "SELECT notification_email FROM organization_settings WHERE organization_id = :id";
constexpr const char* kOrganizationEmail = "SELECT email FROM organization WHERE id = :id";
constexpr const char* kCoordinators =
    "SELECT email FROM account WHERE role = 'coordinator' AND status = 'active'"
    " AND territory_slug = :territory ORDER BY email";
constexpr const char* kSelectTimes =
    "SELECT status, created_at, next_attempt_at, claimed_at, sent_at FROM outbox WHERE id = :id";
constexpr const char* kSetTimes =
    "UPDATE outbox SET created_at = :created_at, next_attempt_at = :next_attempt_at, claimed_at = :claimed_at,"
    " sent_at = :sent_at WHERE id = :id AND status IN ('sent', 'failed', 'unknown')";
// 00:00 Paris is 22:00 or 23:00 UTC (79200 or 82800 s into a UTC day), so a final row with any
// other time was finished before times were coarsened, or changed by hand; the rows found are
// checked exactly by CoarsenFinalTimes. (A row whose every time falls exactly on 22:00:00 or
// 23:00:00 UTC is missed; only rows older than this rule, or edited by hand, can be one.)
constexpr const char* kSelectFinalNotCoarse =
    "SELECT id FROM outbox WHERE status IN ('sent', 'failed', 'unknown')"
    " AND (created_at % 86400 NOT IN (79200, 82800) OR next_attempt_at % 86400 NOT IN (79200, 82800)"
    " OR claimed_at % 86400 NOT IN (79200, 82800) OR sent_at % 86400 NOT IN (79200, 82800)) ORDER BY id";
// The day a row became final: sent, else its last claim (failed, unknown), else its creation (an
// address refused at Enqueue).
constexpr const char* kDeleteFinalBefore =
    "DELETE FROM outbox WHERE status IN ('sent', 'failed', 'unknown')"
    " AND COALESCE(sent_at, claimed_at, created_at) < :cutoff";

// 00:00 Paris of the Paris day of `unix_seconds`.
long long ParisDayStart(long long unix_seconds) {
  const std::chrono::system_clock::time_point t{std::chrono::seconds(unix_seconds)};
  return UnixSeconds(core::ParisMidnight(core::ParisDay(t)));
}

std::optional<std::string> NonEmpty(std::string text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return std::nullopt;
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

}  // namespace

void Enqueue(soci::session& sql, const std::string& to, Kind kind, std::chrono::system_clock::time_point now,
             const std::optional<std::string>& link_path) {
  const std::string id = core::RandomHex(16);
  const std::string kind_code = KindCode(kind);
  // An unusable address must not roll back the change being announced (a referral!): the row is
  // kept as failed, so that the operator sees it, and the caller's transaction goes on. Final at
  // once, it keeps the day only.
  const bool usable = IsPlainAddress(to);
  const long long at = usable ? UnixSeconds(now) : ParisDayStart(UnixSeconds(now));
  const std::string status = usable ? "pending" : "failed";
  const std::optional<std::string> last_error = usable ? std::nullopt : std::optional<std::string>("address");
  sql << kInsert, soci::use(id), soci::use(to), soci::use(kind_code), soci::use(at), soci::use(status), soci::use(at),
      soci::use(last_error), soci::use(link_path);
  if (!usable) spdlog::warn("event=notification_unusable_address outbox_id={} kind={}", id, kind_code);
}

std::optional<std::string> OrganizationAddress(soci::session& sql, const std::string& organization_id) {
  std::string address;
  sql << kNotificationEmail, soci::use(organization_id), soci::into(address);
  if (sql.got_data()) {
    if (auto found = NonEmpty(address)) return found;
  }
  address.clear();
  sql << kOrganizationEmail, soci::use(organization_id), soci::into(address);
  if (sql.got_data()) return NonEmpty(address);
  return std::nullopt;
}

std::vector<std::string> CoordinatorAddresses(soci::session& sql, const std::string& territory_slug) {
  std::vector<std::string> out;
  std::string email;
  soci::statement st = (sql.prepare << kCoordinators, soci::use(territory_slug), soci::into(email));
  st.execute();
  while (st.fetch()) {
    if (auto found = NonEmpty(email)) out.push_back(*found);
  }
  return out;
}

bool CoarsenFinalTimes(soci::session& sql, const std::string& id) {
  std::string status;
  long long created_at = 0;
  long long next_attempt_at = 0;
  std::optional<long long> claimed_at;
  std::optional<long long> sent_at;
  sql << kSelectTimes, soci::use(id), soci::into(status), soci::into(created_at), soci::into(next_attempt_at),
      soci::into(claimed_at), soci::into(sent_at);
  if (!sql.got_data() || (status != "sent" && status != "failed" && status != "unknown")) return false;
  const auto day_of = [](std::optional<long long> t) -> std::optional<long long> {
    if (!t) return std::nullopt;
    return ParisDayStart(*t);
  };
  const long long created_day = ParisDayStart(created_at);
  const long long next_attempt_day = ParisDayStart(next_attempt_at);
  const std::optional<long long> claimed_day = day_of(claimed_at);
  const std::optional<long long> sent_day = day_of(sent_at);
  if (created_day == created_at && next_attempt_day == next_attempt_at && claimed_day == claimed_at &&
      sent_day == sent_at) {
    return false;
  }
  sql << kSetTimes, soci::use(created_day), soci::use(next_attempt_day), soci::use(claimed_day), soci::use(sent_day),
      soci::use(id);
  return true;
}

std::size_t RemoveFinalRows(storage::Database& db, std::chrono::system_clock::time_point now,
                            std::chrono::days retention) {
  const std::size_t coarsened = db.InTransaction([&](soci::session& sql) {
    std::vector<std::string> ids;
    std::string id;
    soci::statement st = (sql.prepare << kSelectFinalNotCoarse, soci::into(id));
    st.execute();
    while (st.fetch()) ids.push_back(id);
    std::size_t changed = 0;
    for (const std::string& row : ids) changed += CoarsenFinalTimes(sql, row) ? 1 : 0;
    return changed;
  });
  if (coarsened > 0) spdlog::info("event=outbox_times_coarsened count={}", coarsened);

  const long long cutoff = UnixSeconds(core::ParisMidnight(core::ParisDay(now) - retention));
  return db.InTransaction([&](soci::session& sql) {
    soci::statement st = (sql.prepare << kDeleteFinalBefore, soci::use(cutoff));
    st.execute(true);
    return static_cast<std::size_t>(st.get_affected_rows());
  });
}

}  // namespace passerelle::notify
