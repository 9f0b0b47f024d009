#include "duty/repository.h"

#include <chrono>
#include <cstdio>

#include "storage/database.h"

namespace passerelle::duty {

namespace {

constexpr const char* kSelectService = "SELECT organization_id FROM service WHERE id = :s";
constexpr const char* kSelectWeekly =
    "SELECT weekday, start_minute, end_minute, account_id FROM duty_slot WHERE service_id = :s "
    "ORDER BY weekday, start_minute, id";
constexpr const char* kSelectExceptions =
    "SELECT kind, from_day, to_day, start_minute, end_minute, account_id FROM duty_exception "
    "WHERE service_id = :s AND to_day >= :d ORDER BY from_day, id";
constexpr const char* kSelectLive =
    "SELECT account_id, started_at, ends_at FROM duty_live WHERE service_id = :s AND ends_at > :t "
    "ORDER BY started_at, account_id";
constexpr const char* kSelectServices = "SELECT id FROM service WHERE organization_id = :o ORDER BY id";
constexpr const char* kSelectActiveMembers =
    "SELECT m.account_id FROM membership m JOIN account a ON a.id = m.account_id "
    "WHERE m.organization_id = :o AND a.status = 'active' ORDER BY m.account_id";

std::chrono::sys_days ParseDay(const std::string& text) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (std::sscanf(text.c_str(), "%d-%u-%u", &y, &m, &d) != 3) return std::chrono::sys_days{};
  return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

Instant FromUnix(long long seconds) { return Instant{std::chrono::seconds(seconds)}; }

}  // namespace

std::optional<ServiceRules> LoadRules(soci::session& sql, const std::string& service_id, const std::string& from_day,
                                      long long from_unix) {
  ServiceRules rules;
  rules.service_id = service_id;
  soci::indicator found = soci::i_null;
  sql << kSelectService, soci::into(rules.organization_id, found), soci::use(service_id, "s");
  if (!sql.got_data()) return std::nullopt;
  {
    int weekday = 0, start = 0, end = 0;
    std::optional<std::string> account;
    soci::statement st = (sql.prepare << kSelectWeekly, soci::into(weekday), soci::into(start), soci::into(end),
                          soci::into(account), soci::use(service_id, "s"));
    st.execute();
    while (st.fetch()) rules.weekly.push_back(WeeklySlot{weekday, start, end, account});
  }
  {
    std::string kind, from, to;
    std::optional<int> start, end;
    std::optional<std::string> account;
    soci::statement st = (sql.prepare << kSelectExceptions, soci::into(kind), soci::into(from), soci::into(to),
                          soci::into(start), soci::into(end), soci::into(account), soci::use(service_id, "s"),
                          soci::use(from_day, "d"));
    st.execute();
    while (st.fetch()) {
      if (kind == "closed") {
        rules.closed.push_back(ClosedDays{ParseDay(from), ParseDay(to)});
      } else if (kind == "extra" && start && end) {
        rules.extra.push_back(ExtraSlot{ParseDay(from), *start, *end, account});
      }
    }
  }
  {
    std::string account;
    long long started = 0, ends = 0;
    soci::statement st = (sql.prepare << kSelectLive, soci::into(account), soci::into(started), soci::into(ends),
                          soci::use(service_id, "s"), soci::use(from_unix, "t"));
    st.execute();
    while (st.fetch()) rules.live.push_back(LiveDuty{account, FromUnix(started), FromUnix(ends)});
  }
  return rules;
}

std::vector<std::string> ServicesOf(soci::session& sql, const std::string& organization_id) {
  std::vector<std::string> ids;
  std::string id;
  soci::statement st = (sql.prepare << kSelectServices, soci::into(id), soci::use(organization_id, "o"));
  st.execute();
  while (st.fetch()) ids.push_back(id);
  return ids;
}

std::vector<std::string> ActiveMembersOf(soci::session& sql, const std::string& organization_id) {
  std::vector<std::string> ids;
  std::string id;
  soci::statement st = (sql.prepare << kSelectActiveMembers, soci::into(id), soci::use(organization_id, "o"));
  st.execute();
  while (st.fetch()) ids.push_back(id);
  return ids;
}

}  // namespace passerelle::duty
