#include "notify/outbox.h"

#include <spdlog/spdlog.h>

#include "core/crypto.h"
#include "notify/message.h"
#include "notify/smtp.h"
#include "storage/database.h"

namespace passerelle::notify {

namespace {

constexpr const char* kInsert =
    "INSERT INTO outbox (id, recipient, kind, created_at, status, attempts, next_attempt_at, last_error)"
    " VALUES (:id, :recipient, :kind, :created_at, :status, 0, :next_attempt_at, :last_error)";
constexpr const char* kNotificationEmail =
    "SELECT notification_email FROM organization_settings WHERE organization_id = :id";
constexpr const char* kOrganizationEmail = "SELECT email FROM organization WHERE id = :id";
constexpr const char* kCoordinators =
    "SELECT email FROM account WHERE role = 'coordinator' AND status = 'active'"
    " AND territory_slug = :territory ORDER BY email";

std::optional<std::string> NonEmpty(std::string text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return std::nullopt;
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

}  // namespace

void Enqueue(soci::session& sql, const std::string& to, Kind kind, std::chrono::system_clock::time_point now) {
  const std::string id = core::RandomHex(16);
  const long long at = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const std::string kind_code = KindCode(kind);
  // An unusable address must not roll back the change being announced (a referral!): the row is
  // kept as failed, so that the operator sees it, and the caller's transaction goes on.
  const bool usable = IsPlainAddress(to);
  const std::string status = usable ? "pending" : "failed";
  const std::optional<std::string> last_error = usable ? std::nullopt : std::optional<std::string>("address");
  sql << kInsert, soci::use(id), soci::use(to), soci::use(kind_code), soci::use(at), soci::use(status),
      soci::use(at), soci::use(last_error);
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

}  // namespace passerelle::notify
