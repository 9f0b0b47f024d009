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

}  // namespace

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
