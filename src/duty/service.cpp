#include "duty/service.h"

#include <algorithm>
#include <cstdio>

#include "core/crypto.h"
#include "core/paris_time.h"
#include "core/unix_time.h"
#include "duty/repository.h"
#include "storage/database.h"

namespace passerelle::duty {

namespace {

using std::chrono::days;
using std::chrono::sys_days;

constexpr const char* kEmailOfAccount = "SELECT email FROM account WHERE id = :a";
constexpr const char* kServiceOfOrganization = "SELECT name FROM service WHERE id = :s AND organization_id = :o";
constexpr const char* kInsertSlot =
    "INSERT INTO duty_slot (id, service_id, organization_id, account_id, weekday, start_minute, end_minute, "
    "created_at) VALUES (:id, :s, :o, :a, :w, :b, :e, :t)";
constexpr const char* kInsertException =
    "INSERT INTO duty_exception (id, service_id, organization_id, account_id, kind, from_day, to_day, start_minute, "
    "end_minute, created_at) VALUES (:id, :s, :o, :a, :k, :f, :u, :b, :e, :t)";
constexpr const char* kDeleteSlot = "DELETE FROM duty_slot WHERE id = :id AND organization_id = :o";
constexpr const char* kDeleteException = "DELETE FROM duty_exception WHERE id = :id AND organization_id = :o";
constexpr const char* kDeleteLive = "DELETE FROM duty_live WHERE account_id = :a AND service_id = :s";
constexpr const char* kDeleteLiveOfOrganization = "DELETE FROM duty_live WHERE account_id = :a AND organization_id = :o";
constexpr const char* kInsertLive =
    "INSERT INTO duty_live (account_id, service_id, organization_id, started_at, ends_at) VALUES (:a, :s, :o, :b, :e)";
constexpr const char* kSelectServices = "SELECT id, name FROM service WHERE organization_id = :o ORDER BY name, id";
constexpr const char* kSelectSlots =
    "SELECT d.id, d.service_id, s.name, d.weekday, d.start_minute, d.end_minute, d.account_id, a.email "
    "FROM duty_slot d JOIN service s ON s.id = d.service_id LEFT JOIN account a ON a.id = d.account_id "
    "WHERE d.organization_id = :o ORDER BY s.name, d.service_id, d.weekday, d.start_minute, d.id";
constexpr const char* kSelectExceptions =
    "SELECT d.id, d.service_id, s.name, d.kind, d.from_day, d.to_day, d.start_minute, d.end_minute "
    "FROM duty_exception d JOIN service s ON s.id = d.service_id WHERE d.organization_id = :o AND d.to_day >= :d "
    "ORDER BY d.from_day, s.name, d.id";
constexpr const char* kSelectLive =
    "SELECT l.account_id, a.email, l.service_id, l.ends_at FROM duty_live l JOIN account a ON a.id = l.account_id "
    "WHERE l.organization_id = :o AND l.ends_at > :t ORDER BY l.ends_at, a.email";
constexpr const char* kSelectTerritoryServices =
    "SELECT s.id, s.name, o.name FROM service s JOIN organization o ON o.id = s.organization_id "
    "WHERE o.territory_slug = :t AND o.status = 'active' ORDER BY o.name, s.name, s.id";

core::Error Invalid(const std::string& field, const std::string& message) {
  return core::Error{core::ErrorCode::kInvalidInput, message, "duty: invalid " + field};
}

core::Error NotFound() {
  return core::Error{core::ErrorCode::kNotFound, "Ce service n’est pas celui de l’organisation.",
                     "duty: service of another organization"};
}

bool ServiceIsOrganizations(soci::session& sql, const std::string& organization_id, const std::string& service_id) {
  std::string name;
  sql << kServiceOfOrganization, soci::into(name), soci::use(service_id, "s"), soci::use(organization_id, "o");
  return sql.got_data();
}

// A Paris day "YYYY-MM-DD" that exists.
std::optional<sys_days> ParseIsoDay(const std::string& text) {
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd};
}

struct Span {
  int start, end;
};

core::Result<Span> ParseSpan(const std::string& start, const std::string& end) {
  const auto s = ParseClock(start);
  if (!s || *s >= 24 * 60) return Invalid("start", "L’heure de début doit être de la forme 14:00.");
  const auto e = ParseClock(end);
  if (!e) return Invalid("end", "L’heure de fin doit être de la forme 17:00 (24:00 pour minuit).");
  if (*e <= *s) {
    return Invalid("end",
                   "L’heure de fin doit suivre l’heure de début ; une permanence qui passe minuit se déclare en deux "
                   "créneaux.");
  }
  return Span{*s, *e};
}

std::string NewId() { return core::RandomHex(12); }

}  // namespace

std::optional<int> ParseClock(const std::string& text) {
  unsigned h = 0, m = 0;
  char tail = 0;
  if (text.size() < 4 || text.size() > 5) return std::nullopt;
  if (std::sscanf(text.c_str(), "%2u:%2u%c", &h, &m, &tail) != 2 && std::sscanf(text.c_str(), "%2uh%2u%c", &h, &m, &tail) != 2) {
    return std::nullopt;
  }
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return static_cast<int>(h * 60 + m);
}

std::string FormatClock(int minutes) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d", minutes / 60, minutes % 60);
  return buffer;
}

std::vector<std::string> OnDutyEmails(storage::Database& db, const std::string& organization_id, Instant now) {
  const std::vector<std::string> members = Schedule(db).MembersOnDuty(organization_id, now);
  soci::session sql(db.pool());
  std::vector<std::string> emails;
  for (const std::string& id : members) {
    std::string email;
    sql << kEmailOfAccount, soci::into(email), soci::use(id, "a");
    if (sql.got_data()) emails.push_back(email);
  }
  std::sort(emails.begin(), emails.end());
  return emails;
}

OrganizationDuty DutyService::ForOrganization(const std::string& organization_id, Instant now) const {
  soci::session sql(db_.pool());
  OrganizationDuty out;
  {
    std::string id, name;
    soci::statement st =
        (sql.prepare << kSelectServices, soci::into(id), soci::into(name), soci::use(organization_id, "o"));
    st.execute();
    while (st.fetch()) out.services.push_back(ServiceRow{id, name});
  }
  {
    SlotRow row;
    std::optional<std::string> email;
    soci::statement st = (sql.prepare << kSelectSlots, soci::into(row.id), soci::into(row.service_id),
                          soci::into(row.service_name), soci::into(row.weekday), soci::into(row.start_minute),
                          soci::into(row.end_minute), soci::into(row.account_id), soci::into(email),
                          soci::use(organization_id, "o"));
    st.execute();
    while (st.fetch()) {
      row.holder_email = email.value_or("");
      out.slots.push_back(row);
    }
  }
  {
    ExceptionRow row;
    const std::string today = core::ParisDate(now);
    soci::statement st = (sql.prepare << kSelectExceptions, soci::into(row.id), soci::into(row.service_id),
                          soci::into(row.service_name), soci::into(row.kind), soci::into(row.from_day),
                          soci::into(row.to_day), soci::into(row.start_minute), soci::into(row.end_minute),
                          soci::use(organization_id, "o"), soci::use(today, "d"));
    st.execute();
    while (st.fetch()) out.exceptions.push_back(row);
  }
  {
    LiveRow row;
    long long ends = 0;
    const long long t = core::UnixSeconds(now);
    soci::statement st = (sql.prepare << kSelectLive, soci::into(row.account_id), soci::into(row.email),
                          soci::into(row.service_id), soci::into(ends), soci::use(organization_id, "o"),
                          soci::use(t, "t"));
    st.execute();
    while (st.fetch()) {
      row.ends = Instant{std::chrono::seconds(ends)};
      out.live.push_back(row);
    }
  }
  return out;
}

core::Result<std::string> DutyService::AddWeeklySlot(const std::string& organization_id,
                                                     const std::string& service_id, int weekday,
                                                     const std::string& start, const std::string& end,
                                                     std::optional<std::string> holder, Instant now) {
  if (weekday < 0 || weekday > 6) return Invalid("weekday", "Choisissez le jour de la semaine.");
  const auto span = ParseSpan(start, end);
  if (!span) return span.error();
  return db_.InTransaction([&](soci::session& sql) -> core::Result<std::string> {
    if (!ServiceIsOrganizations(sql, organization_id, service_id)) return NotFound();
    const std::string id = NewId();
    const long long t = core::UnixSeconds(now);
    int w = weekday, b = span.value().start, e = span.value().end;
    sql << kInsertSlot, soci::use(id, "id"), soci::use(service_id, "s"), soci::use(organization_id, "o"),
        soci::use(holder, "a"), soci::use(w, "w"), soci::use(b, "b"), soci::use(e, "e"), soci::use(t, "t");
    return id;
  });
}

core::Result<std::string> DutyService::AddClosedDays(const std::string& organization_id,
                                                     const std::string& service_id, const std::string& from_day,
                                                     const std::string& to_day, Instant now) {
  const auto from = ParseIsoDay(from_day);
  if (!from) return Invalid("from", "Le premier jour doit être une date (jj/mm/aaaa).");
  const auto to = ParseIsoDay(to_day);
  if (!to) return Invalid("to", "Le dernier jour doit être une date (jj/mm/aaaa).");
  if (*to < *from) return Invalid("to", "Le dernier jour ne peut pas précéder le premier.");
  if (*to - *from > days(366)) return Invalid("to", "Une fermeture dure au plus un an.");
  return db_.InTransaction([&](soci::session& sql) -> core::Result<std::string> {
    if (!ServiceIsOrganizations(sql, organization_id, service_id)) return NotFound();
    const std::string id = NewId(), kind = "closed";
    const std::optional<std::string> holder;
    const std::optional<int> none;
    const long long t = core::UnixSeconds(now);
    sql << kInsertException, soci::use(id, "id"), soci::use(service_id, "s"), soci::use(organization_id, "o"),
        soci::use(holder, "a"), soci::use(kind, "k"), soci::use(from_day, "f"), soci::use(to_day, "u"),
        soci::use(none, "b"), soci::use(none, "e"), soci::use(t, "t");
    return id;
  });
}

core::Result<std::string> DutyService::AddExtraSlot(const std::string& organization_id, const std::string& service_id,
                                                    const std::string& day, const std::string& start,
                                                    const std::string& end, std::optional<std::string> holder,
                                                    Instant now) {
  if (!ParseIsoDay(day)) return Invalid("day", "Le jour doit être une date (jj/mm/aaaa).");
  const auto span = ParseSpan(start, end);
  if (!span) return span.error();
  return db_.InTransaction([&](soci::session& sql) -> core::Result<std::string> {
    if (!ServiceIsOrganizations(sql, organization_id, service_id)) return NotFound();
    const std::string id = NewId(), kind = "extra";
    const std::optional<int> b = span.value().start, e = span.value().end;
    const long long t = core::UnixSeconds(now);
    sql << kInsertException, soci::use(id, "id"), soci::use(service_id, "s"), soci::use(organization_id, "o"),
        soci::use(holder, "a"), soci::use(kind, "k"), soci::use(day, "f"), soci::use(day, "u"), soci::use(b, "b"),
        soci::use(e, "e"), soci::use(t, "t");
    return id;
  });
}

core::Result<core::Ok> DutyService::Remove(const std::string& organization_id, const std::string& id) {
  return db_.InTransaction([&](soci::session& sql) -> core::Result<core::Ok> {
    soci::statement slot = (sql.prepare << kDeleteSlot, soci::use(id, "id"), soci::use(organization_id, "o"));
    slot.execute(true);
    if (slot.get_affected_rows() > 0) return core::Ok{};
    soci::statement exception =
        (sql.prepare << kDeleteException, soci::use(id, "id"), soci::use(organization_id, "o"));
    exception.execute(true);
    if (exception.get_affected_rows() > 0) return core::Ok{};
    return core::Error{core::ErrorCode::kNotFound, "Ce créneau n’existe plus.", "duty: no such slot"};
  });
}

core::Result<Instant> DutyService::GoLive(const std::string& organization_id, const std::string& service_id,
                                          const std::string& account_id, std::chrono::minutes length, Instant now) {
  if (length < std::chrono::minutes(1) || length > kMaxLive) {
    return Invalid("length", "La durée va d’une minute à douze heures.");
  }
  return db_.InTransaction([&](soci::session& sql) -> core::Result<Instant> {
    if (!ServiceIsOrganizations(sql, organization_id, service_id)) return NotFound();
    const Instant ends = std::chrono::floor<std::chrono::seconds>(now + length);
    const long long b = core::UnixSeconds(now), e = core::UnixSeconds(ends);
    sql << kDeleteLive, soci::use(account_id, "a"), soci::use(service_id, "s");
    sql << kInsertLive, soci::use(account_id, "a"), soci::use(service_id, "s"), soci::use(organization_id, "o"),
        soci::use(b, "b"), soci::use(e, "e");
    return ends;
  });
}

void DutyService::EndLive(const std::string& organization_id, const std::string& account_id) {
  db_.InTransaction([&](soci::session& sql) {
    sql << kDeleteLiveOfOrganization, soci::use(account_id, "a"), soci::use(organization_id, "o");
  });
}

std::vector<CoverageRow> DutyService::TerritoryWeek(const std::string& territory_slug, sys_days any_day) const {
  const sys_days monday = any_day - (std::chrono::weekday(any_day) - std::chrono::Monday);
  const Instant week_start = core::ParisMidnight(monday);
  const Instant week_end = core::ParisMidnight(monday + days(7));
  soci::session sql(db_.pool());
  std::vector<std::pair<std::string, CoverageRow>> services;
  {
    std::string id, name, organization;
    soci::statement st = (sql.prepare << kSelectTerritoryServices, soci::into(id), soci::into(name),
                          soci::into(organization), soci::use(territory_slug, "t"));
    st.execute();
    while (st.fetch()) {
      CoverageRow row;
      row.organization_name = organization;
      row.service_name = name;
      services.emplace_back(id, row);
    }
  }
  std::vector<CoverageRow> out;
  for (auto& [id, row] : services) {
    const auto rules = LoadRules(sql, id, core::ParisDate(week_start - days(1)), core::UnixSeconds(week_start));
    if (rules) {
      // Joined first, so that touching slots read as one range.
      std::vector<DutyInterval> merged;
      for (const DutyInterval& i : DutyIntervals(*rules, week_start, week_end)) {
        if (!merged.empty() && i.start <= merged.back().end) {
          merged.back().end = std::max(merged.back().end, i.end);
        } else {
          merged.push_back(i);
        }
      }
      for (int d = 0; d < 7; ++d) {
        const Instant day_start = core::ParisMidnight(monday + days(d));
        const Instant day_end = core::ParisMidnight(monday + days(d + 1));
        for (const DutyInterval& i : merged) {
          const Instant s = std::max(i.start, day_start), e = std::min(i.end, day_end);
          if (s >= e) continue;
          row.minutes[d] += static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(e - s).count());
          const int end_minute = e == day_end ? 24 * 60 : core::ToParisTime(e).minutes;
          row.ranges[d].push_back(FormatClock(core::ToParisTime(s).minutes) + "–" + FormatClock(end_minute));
        }
      }
    }
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace passerelle::duty
