#include "directory/freshness.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include "audit/audit_log.h"
#include "core/crypto.h"
#include "core/paris_time.h"
#include "core/unix_time.h"
#include "notify/outbox.h"

namespace passerelle::directory {

namespace {

constexpr const char* kJobsActor = "system:jobs";
constexpr std::string_view kTokenContext = "freshness.v1|";

constexpr const char* kSelectTracked =
    "SELECT o.id, o.territory_slug, o.assured_date, f.tracked_since, f.requested_on, COALESCE(f.stale, 0)"
    " FROM organization o LEFT JOIN organization_freshness f ON f.organization_id = o.id"
    " WHERE o.status <> 'defunct' ORDER BY o.id";
constexpr const char* kSelectPeriods = "SELECT territory_slug, period_months FROM freshness_settings";
constexpr const char* kStartTracking =
    "INSERT INTO organization_freshness (organization_id, tracked_since, stale)"
    " SELECT CAST(:id AS TEXT), CAST(:today AS TEXT), 0 WHERE NOT EXISTS (SELECT 1 FROM organization_freshness WHERE "
    "organization_id = :id2)";
constexpr const char* kMarkRequested =
    "UPDATE organization_freshness SET requested_on = :today WHERE organization_id = :id AND requested_on IS NULL";
constexpr const char* kMarkStale =
    "UPDATE organization_freshness SET stale = 1 WHERE organization_id = :id AND stale = 0 AND requested_on = :day";
constexpr const char* kSelectOne =
    "SELECT o.territory_slug, o.assured_date, f.requested_on, COALESCE(f.stale, 0), f.organization_id"
    " FROM organization o LEFT JOIN organization_freshness f ON f.organization_id = o.id WHERE o.id = :id";
constexpr const char* kSetAssured = "UPDATE organization SET assured_date = :today, updated_at = :now WHERE id = :id";
constexpr const char* kClearQuestion =
    "UPDATE organization_freshness SET requested_on = NULL, reminded_on = NULL, stale = 0 WHERE organization_id = :id";
constexpr const char* kInsertAnswered =
    "INSERT INTO organization_freshness (organization_id, tracked_since, stale) VALUES (:id, :today, 0)";
constexpr const char* kMarkReminded =
    "UPDATE organization_freshness SET reminded_on = :today, requested_on = COALESCE(requested_on, :today2)"
    " WHERE organization_id = :id";
constexpr const char* kInsertReminded =
    "INSERT INTO organization_freshness (organization_id, tracked_since, requested_on, reminded_on, stale)"
    " VALUES (:id, :today, :today2, :today3, 0)";
constexpr const char* kSelectList =
    "SELECT o.id, o.name, o.assured_date, f.requested_on, f.reminded_on, COALESCE(f.stale, 0)"
    " FROM organization o LEFT JOIN organization_freshness f ON f.organization_id = o.id"
    " WHERE o.territory_slug = :territory AND o.status <> 'defunct'"
    " ORDER BY COALESCE(f.stale, 0) DESC, CASE WHEN f.requested_on IS NULL THEN 1 ELSE 0 END, o.name, o.id";
constexpr const char* kSelectPeriod = "SELECT period_months FROM freshness_settings WHERE territory_slug = :territory";
constexpr const char* kDeletePeriod = "DELETE FROM freshness_settings WHERE territory_slug = :territory";
constexpr const char* kUpdatePeriod =
    "UPDATE freshness_settings SET period_months = :months, updated_at = :now WHERE territory_slug = :territory";
constexpr const char* kInsertPeriod =
    "INSERT INTO freshness_settings (territory_slug, period_months, updated_at) VALUES (:territory, :months, :now)";

std::string Day(std::chrono::sys_days day) {
  const std::chrono::year_month_day ymd{day};
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return out;
}

// `months` months before the Paris day of `now` (the 31st becomes the month's last day).
std::string MonthsBefore(TimePoint now, int months) {
  using namespace std::chrono;
  const year_month_day today{core::ParisDay(now)};
  year_month_day back = today - std::chrono::months{months};
  if (!back.ok()) back = year_month_day{year_month_day_last{back.year(), month_day_last{back.month()}}};
  return Day(sys_days{back});
}

std::string DaysBefore(TimePoint now, int days) { return Day(core::ParisDay(now) - std::chrono::days{days}); }

bool Executed(soci::statement& st) {
  st.execute(true);
  return st.get_affected_rows() == 1;
}

int PeriodIn(soci::session& sql, const std::string& territory_slug) {
  int months = 0;
  sql << kSelectPeriod, soci::use(territory_slug), soci::into(months);
  return sql.got_data() ? months : kDefaultPeriodMonths;
}

// Queues the question (with a new link) to the organisation's notification address.
void Ask(soci::session& sql, const std::string& key, const std::string& organization_id, TimePoint now) {
  const std::string token =
      FreshnessToken(key, organization_id, Day(core::ParisDay(now) + std::chrono::days{kLinkValidDays}));
  if (const auto address = notify::OrganizationAddress(sql, organization_id)) {
    notify::Enqueue(sql, *address, notify::Kind::kFreshness, now, FreshnessLinkPath(token));
  } else {
    spdlog::warn("event=freshness_notification_skipped reason=no_address organization={}", organization_id);
  }
}

}  // namespace

std::string FreshnessToken(std::string_view key, const std::string& organization_id, const std::string& valid_until) {
  const std::string payload = organization_id + "|" + valid_until;
  return core::Base64UrlEncode(payload) + "." +
         core::Base64UrlEncode(core::HmacSha256(key, std::string(kTokenContext) + payload));
}

std::optional<std::string> OpenFreshnessToken(std::string_view key, std::string_view token, const std::string& today) {
  const auto dot = token.find('.');
  if (dot == std::string_view::npos || token.size() > 512) return std::nullopt;
  const auto payload = core::Base64UrlDecode(token.substr(0, dot));
  const auto mac = core::Base64UrlDecode(token.substr(dot + 1));
  if (!payload || !mac) return std::nullopt;
  if (!core::ConstantTimeEquals(*mac, core::HmacSha256(key, std::string(kTokenContext) + *payload))) {
    return std::nullopt;
  }
  const auto bar = payload->rfind('|');
  if (bar == std::string::npos || bar == 0) return std::nullopt;
  const std::string valid_until = payload->substr(bar + 1);
  if (valid_until.size() != 10 || valid_until < today) return std::nullopt;
  return payload->substr(0, bar);
}

std::string FreshnessLinkPath(const std::string& token) { return "/pro/fraicheur/" + token; }

FreshnessRun Freshness::Run(TimePoint now) {
  const std::string today = core::ParisDate(now);
  const std::string stale_before = DaysBefore(now, kStaleAfterDays);
  struct Row {
    std::string id, territory;
    std::optional<std::string> assured, tracked_since, requested_on;
    int stale = 0;
  };
  std::vector<Row> rows;
  std::map<std::string, int> periods;
  {
    soci::session sql(db_.pool());
    Row row;
    soci::statement st =
        (sql.prepare << kSelectTracked, soci::into(row.id), soci::into(row.territory), soci::into(row.assured),
         soci::into(row.tracked_since), soci::into(row.requested_on), soci::into(row.stale));
    st.execute();
    while (st.fetch()) rows.push_back(row);
    std::string slug;
    int months = 0;
    soci::statement ps = (sql.prepare << kSelectPeriods, soci::into(slug), soci::into(months));
    ps.execute();
    while (ps.fetch()) periods[slug] = months;
  }
  FreshnessRun run;
  for (const Row& row : rows) {
    const auto found = periods.find(row.territory);
    const std::string due_before = MonthsBefore(now, found == periods.end() ? kDefaultPeriodMonths : found->second);
    try {
      db_.InTransaction([&](soci::session& sql) {
        const std::string& id = row.id;
        if (!row.tracked_since) {
          soci::statement st = (sql.prepare << kStartTracking, soci::use(id), soci::use(today), soci::use(id));
          st.execute(true);
          return;
        }
        if (!row.requested_on) {
          const std::string base = std::max(row.assured.value_or(""), *row.tracked_since);
          if (base > due_before) return;
          soci::statement st = (sql.prepare << kMarkRequested, soci::use(today), soci::use(id));
          if (!Executed(st)) return;  // another run asked it
          Ask(sql, key_, id, now);
          audit::Append(sql, audit::Entry{kJobsActor, "organization.freshness_requested", "organization:" + id, ""},
                        now);
          run.requested.push_back(id);
          spdlog::info("event=job_item job=freshness_request organization={}", id);
          return;
        }
        if (row.stale == 0 && *row.requested_on < stale_before) {
          soci::statement st = (sql.prepare << kMarkStale, soci::use(id), soci::use(*row.requested_on));
          if (!Executed(st)) return;
          audit::Append(sql,
                        audit::Entry{kJobsActor, "organization.freshness_stale", "organization:" + id,
                                     "requested=" + *row.requested_on},
                        now);
          run.staled.push_back(id);
          spdlog::info("event=job_item job=freshness_stale organization={}", id);
        }
      });
    } catch (const std::exception& e) {
      run.failed.push_back(row.id);
      spdlog::error("event=job_item_failed job=freshness organization={} error=\"{}\"", row.id,
                    storage::DescribeDatabaseError(e).value_or(e.what()));
    }
  }
  return run;
}

bool Freshness::Confirm(std::string_view token, TimePoint now, std::string* organization_id) {
  const std::string today = core::ParisDate(now);
  const auto id = OpenFreshnessToken(key_, token, today);
  if (!id) return false;
  const bool found = db_.InTransaction([&](soci::session& sql) {
    std::string territory;
    std::optional<std::string> assured, requested_on, tracked;
    int stale = 0;
    sql << kSelectOne, soci::use(*id), soci::into(territory), soci::into(assured), soci::into(requested_on),
        soci::into(stale), soci::into(tracked);
    if (!sql.got_data()) return false;
    if (assured.value_or("") == today && !requested_on && stale == 0) return true;  // clicked twice today
    const long long now_s = core::UnixSeconds(now);
    sql << kSetAssured, soci::use(today), soci::use(now_s), soci::use(*id);
    if (tracked) {
      sql << kClearQuestion, soci::use(*id);
    } else {
      sql << kInsertAnswered, soci::use(*id), soci::use(today);
    }
    audit::Append(sql, audit::Entry{"anonymous", "organization.freshness_confirmed", "organization:" + *id, "link"},
                  now);
    return true;
  });
  if (found && organization_id) *organization_id = *id;
  return found;
}

bool Freshness::Remind(const std::string& actor, const std::string& territory_slug, const std::string& organization_id,
                       TimePoint now) {
  const std::string today = core::ParisDate(now);
  return db_.InTransaction([&](soci::session& sql) {
    std::string territory;
    std::optional<std::string> assured, requested_on, tracked;
    int stale = 0;
    sql << kSelectOne, soci::use(organization_id), soci::into(territory), soci::into(assured), soci::into(requested_on),
        soci::into(stale), soci::into(tracked);
    if (!sql.got_data() || territory != territory_slug) return false;
    if (tracked) {
      sql << kMarkReminded, soci::use(today), soci::use(today), soci::use(organization_id);
    } else {
      sql << kInsertReminded, soci::use(organization_id), soci::use(today), soci::use(today), soci::use(today);
    }
    Ask(sql, key_, organization_id, now);
    audit::Append(
        sql,
        audit::Entry{actor, "organization.freshness_reminded", "organization:" + organization_id, stale ? "stale" : ""},
        now);
    return true;
  });
}

std::vector<FreshnessEntry> Freshness::List(const std::string& territory_slug) {
  soci::session sql(db_.pool());
  std::vector<FreshnessEntry> entries;
  FreshnessEntry e;
  std::optional<std::string> assured, requested_on, reminded_on;
  int stale = 0;
  soci::statement st =
      (sql.prepare << kSelectList, soci::use(territory_slug), soci::into(e.organization_id), soci::into(e.name),
       soci::into(assured), soci::into(requested_on), soci::into(reminded_on), soci::into(stale));
  st.execute();
  while (st.fetch()) {
    e.assured_date = assured.value_or("");
    e.requested_on = requested_on.value_or("");
    e.reminded_on = reminded_on.value_or("");
    e.stale = stale != 0;
    entries.push_back(e);
  }
  return entries;
}

int Freshness::PeriodMonths(const std::string& territory_slug) {
  soci::session sql(db_.pool());
  return PeriodIn(sql, territory_slug);
}

void Freshness::SetPeriodMonths(const std::string& actor, const std::string& territory_slug, std::optional<int> months,
                                TimePoint now) {
  db_.InTransaction([&](soci::session& sql) {
    const int before = PeriodIn(sql, territory_slug);
    const long long now_s = core::UnixSeconds(now);
    if (!months) {
      sql << kDeletePeriod, soci::use(territory_slug);
    } else {
      soci::statement st =
          (sql.prepare << kUpdatePeriod, soci::use(*months), soci::use(now_s), soci::use(territory_slug));
      if (!Executed(st)) sql << kInsertPeriod, soci::use(territory_slug), soci::use(*months), soci::use(now_s);
    }
    audit::Append(sql,
                  audit::Entry{actor, "territory.freshness", "territory:" + territory_slug,
                               "months=" + std::to_string(before) + " -> " +
                                   std::to_string(months.value_or(kDefaultPeriodMonths))},
                  now);
  });
}

std::optional<std::string> Freshness::NameOf(const std::string& organization_id) {
  soci::session sql(db_.pool());
  std::string name;
  sql << "SELECT name FROM organization WHERE id = :id", soci::use(organization_id), soci::into(name);
  if (!sql.got_data()) return std::nullopt;
  return name;
}

bool IsStale(soci::session& sql, const std::string& organization_id) {
  int stale = 0;
  sql << "SELECT stale FROM organization_freshness WHERE organization_id = :id", soci::use(organization_id),
      soci::into(stale);
  return sql.got_data() && stale != 0;
}

std::set<std::string> StaleOrganizations(soci::session& sql, const std::string& territory_slug) {
  std::set<std::string> out;
  std::string id;
  soci::statement st =
      (sql.prepare << "SELECT f.organization_id FROM organization_freshness f JOIN organization o"
                      " ON o.id = f.organization_id WHERE o.territory_slug = :territory AND f.stale = 1",
       soci::use(territory_slug), soci::into(id));
  st.execute();
  while (st.fetch()) out.insert(id);
  return out;
}

}  // namespace passerelle::directory
