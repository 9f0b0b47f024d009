#include "stats/repository.h"

#include "core/paris_time.h"

namespace passerelle::stats {

namespace {

constexpr const char* kIncrement =
    "INSERT INTO stat_counter (day, territory_slug, kind, detail, count) "
    "VALUES (:day, :territory, :kind, :detail, 1) "
    "ON CONFLICT (day, territory_slug, kind, detail) DO UPDATE SET count = stat_counter.count + 1";

constexpr const char* kCount =
    "SELECT SUM(count) FROM stat_counter WHERE kind = :kind AND territory_slug = :territory "
    "AND day = :day";

constexpr const char* kAdd =
    "INSERT INTO stat_counter (day, territory_slug, kind, detail, count) "
    "VALUES (:day, :territory, :kind, :detail, :n) "
    "ON CONFLICT (day, territory_slug, kind, detail) DO UPDATE SET count = stat_counter.count + :n2";

// The primary key starts with the day: a period is a range scan.
constexpr const char* kSumsByDay =
    "SELECT territory_slug, kind, day, SUM(count) FROM stat_counter WHERE day >= :first AND day <= :last "
    "AND kind <> 'no_match' AND (:all = 1 OR territory_slug = :territory) GROUP BY territory_slug, kind, day";
constexpr const char* kNoMatch =
    "SELECT territory_slug, detail, SUM(count) FROM stat_counter WHERE day >= :first AND day <= :last "
    "AND kind = 'no_match' AND (:all = 1 OR territory_slug = :territory) GROUP BY territory_slug, detail";

}  // namespace

void StatsRepository::Add(StatEvent event, std::string_view territory_slug, std::string_view detail, long long count,
                          std::chrono::system_clock::time_point now) {
  if (count <= 0) return;
  const std::string day = core::ParisDate(now);
  const std::string kind(CodeOf(event));
  const std::string territory(territory_slug);
  const std::string detail_text(detail);
  db_.InTransaction([&](soci::session& sql) {
    sql << kAdd, soci::use(day, "day"), soci::use(territory, "territory"), soci::use(kind, "kind"),
        soci::use(detail_text, "detail"), soci::use(count, "n"), soci::use(count, "n2");
  });
}

CounterSums StatsRepository::Sums(const std::optional<std::string>& territory_slug, const std::string& first,
                                  const std::string& last) const {
  soci::session sql(db_.pool());
  CounterSums sums;
  const int all = territory_slug ? 0 : 1;
  const std::string territory = territory_slug.value_or("");
  {
    DayCount row;
    soci::statement st = (sql.prepare << kSumsByDay, soci::use(first, "first"), soci::use(last, "last"),
                          soci::use(all, "all"), soci::use(territory, "territory"), soci::into(row.territory_slug),
                          soci::into(row.kind), soci::into(row.day), soci::into(row.count));
    st.execute();
    while (st.fetch()) sums.by_day.push_back(row);
  }
  {
    DetailCount row;
    soci::statement st = (sql.prepare << kNoMatch, soci::use(first, "first"), soci::use(last, "last"),
                          soci::use(all, "all"), soci::use(territory, "territory"), soci::into(row.territory_slug),
                          soci::into(row.detail), soci::into(row.count));
    st.execute();
    while (st.fetch()) sums.no_match.push_back(row);
  }
  return sums;
}

void StatsRepository::Increment(StatEvent event, std::string_view territory_slug, std::string_view detail,
                                std::chrono::system_clock::time_point now) {
  const std::string day = core::ParisDate(now);
  const std::string kind(CodeOf(event));
  const std::string territory(territory_slug);
  const std::string detail_text(detail);
  db_.InTransaction([&](soci::session& sql) {
    sql << kIncrement, soci::use(day, "day"), soci::use(territory, "territory"), soci::use(kind, "kind"),
        soci::use(detail_text, "detail");
  });
}

long long StatsRepository::Count(StatEvent event, std::string_view territory_slug, std::string_view day) const {
  soci::session sql(db_.pool());
  long long count = 0;
  soci::indicator ind = soci::i_ok;
  const std::string kind(CodeOf(event)), territory(territory_slug), day_text(day);
  sql << kCount, soci::use(kind, "kind"), soci::use(territory, "territory"), soci::use(day_text, "day"),
      soci::into(count, ind);
  return ind == soci::i_null ? 0 : count;
}

}  // namespace passerelle::stats
