#include "stats/repository.h"

#include <algorithm>
#include <map>
#include <utility>

#include "core/paris_time.h"
#include "stats/period.h"

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

// Sums of raw days, and of the monthly rollup; "AND territory_slug = :territory" is appended for
// one territory (kept out of an OR, so that the indexes on the territory are used).
constexpr const char* kSumsByDay =
    "SELECT territory_slug, kind, day, SUM(count) FROM stat_counter WHERE day >= :first AND day <= :last AND ";
constexpr const char* kNoMatch =
    "SELECT territory_slug, detail, SUM(count) FROM stat_counter WHERE day >= :first AND day <= :last "
    "AND kind = 'no_match'";
constexpr const char* kMonthSumsByKind =
    "SELECT territory_slug, kind, month, SUM(count) FROM stat_counter_month WHERE month >= :first "
    "AND month <= :last AND ";
constexpr const char* kMonthNoMatch =
    "SELECT territory_slug, detail, SUM(count) FROM stat_counter_month WHERE month >= :first AND month <= :last "
    "AND kind = 'no_match'";
constexpr const char* kOneTerritory = " AND territory_slug = :territory";

constexpr const char* kMarkRolled =
    "INSERT INTO stat_month_rolled (month) VALUES (:month) ON CONFLICT (month) DO NOTHING";
constexpr const char* kRollUp =
    "INSERT INTO stat_counter_month (month, territory_slug, kind, detail, count) "
    "SELECT CAST(:month AS TEXT), territory_slug, kind, detail, SUM(count) FROM stat_counter "
    "WHERE day >= :first AND day <= :last "
    "GROUP BY territory_slug, kind, detail";
constexpr const char* kIsRolled = "SELECT COUNT(*) FROM stat_month_rolled WHERE month = :month";

using std::chrono::sys_days;

// "kind IN ('help_button_click', …)": every kind but no_match, from the stored codes (constants).
// An IN list, not `kind <> 'no_match'`, so that the index (territory_slug, kind, day) reads only
// the period's days of each kind instead of every row of the territory.
const std::string& CountedKinds() {
  static const std::string in = [] {
    std::string list;
    for (int i = 0; i <= static_cast<int>(kLastStatEvent); ++i) {
      const auto event = static_cast<StatEvent>(i);
      if (event == StatEvent::kNoMatch) continue;
      list += (list.empty() ? "'" : ", '") + std::string(CodeOf(event)) + "'";
    }
    return "kind IN (" + list + ")";
  }();
  return in;
}

std::string MonthOf(sys_days day) { return IsoDay(day).substr(0, 7); }
sys_days FirstOfMonth(sys_days day) {
  const std::chrono::year_month_day ymd(day);
  return sys_days(ymd.year() / ymd.month() / 1);
}
sys_days NextMonth(sys_days first_of_month) {
  const std::chrono::year_month_day ymd(first_of_month);
  return sys_days((ymd.year() / ymd.month() + std::chrono::months(1)) / 1);
}

}  // namespace

void StatsRepository::Add(StatEvent event, std::string_view territory_slug, std::string_view detail, long long count,
                          std::chrono::system_clock::time_point now) {
  if (count <= 0) return;
  const std::string day = core::ParisDate(now);
  const std::string kind(CodeOf(event));
  const std::string territory(territory_slug);
  const std::string detail_text(detail);
  db_.InTransaction(
      [&](soci::session& sql) {
        sql << kAdd, soci::use(day, "day"), soci::use(territory, "territory"), soci::use(kind, "kind"),
            soci::use(detail_text, "detail"), soci::use(count, "n"), soci::use(count, "n2");
      },
      storage::Database::Durability::kRelaxed);  // counters: see Increment
}

void StatsRepository::RollUp(const std::string& month) {
  sys_days first{};
  if (!ParseIsoDay(month + "-01", first)) return;
  const std::string first_day = IsoDay(first), last_day = IsoDay(NextMonth(first) - std::chrono::days(1));
  db_.InTransaction([&](soci::session& sql) {
    // The mark first: a concurrent roll-up of the same month waits on it, then does nothing.
    soci::statement mark = (sql.prepare << kMarkRolled, soci::use(month, "month"));
    mark.execute(true);
    if (mark.get_affected_rows() != 1) return;
    sql << kRollUp, soci::use(month, "month"), soci::use(first_day, "first"), soci::use(last_day, "last");
  });
}

CounterSums StatsRepository::Sums(const std::optional<std::string>& territory_slug, const std::string& first,
                                  const std::string& last, const std::string& today, Resolution resolution) {
  sys_days from{}, to{}, now{};
  if (!ParseIsoDay(first, from) || !ParseIsoDay(last, to) || !ParseIsoDay(today, now) || to < from) return {};
  // Whole months of the period that are over: read from the monthly sums.
  sys_days months_from = FirstOfMonth(from) == from ? from : NextMonth(FirstOfMonth(from));
  sys_days months_to = months_from;  // exclusive
  while (NextMonth(months_to) - std::chrono::days(1) <= to && NextMonth(months_to) <= FirstOfMonth(now)) {
    months_to = NextMonth(months_to);
  }
  std::vector<std::pair<std::string, std::string>> raw;  // ranges of days read from stat_counter
  std::string month_first, month_last;
  if (months_to > months_from) {
    month_first = MonthOf(months_from);
    month_last = MonthOf(months_to - std::chrono::days(1));
    for (sys_days m = months_from; m < months_to; m = NextMonth(m)) {
      soci::session sql(db_.pool());
      long long rolled = 0;
      const std::string month = MonthOf(m);
      sql << kIsRolled, soci::use(month, "month"), soci::into(rolled);
      if (rolled == 0) RollUp(month);
    }
    if (from < months_from) raw.emplace_back(IsoDay(from), IsoDay(months_from - std::chrono::days(1)));
    if (months_to <= to) raw.emplace_back(IsoDay(months_to), IsoDay(to));
  } else {
    raw.emplace_back(IsoDay(from), IsoDay(to));
  }

  soci::session sql(db_.pool());
  const std::string territory = territory_slug.value_or("");
  const std::string scope = territory_slug ? kOneTerritory : "";
  const std::string group_by_day = " GROUP BY territory_slug, kind, day";
  const std::string group_by_month = " GROUP BY territory_slug, kind, month";
  const std::string group_by_detail = " GROUP BY territory_slug, detail";
  std::map<std::pair<std::string, std::string>, long long> no_match;
  CounterSums sums;
  const auto read_days = [&](const std::string& query, const std::string& a, const std::string& b, bool months) {
    DayCount row;
    soci::statement st(sql);
    st.exchange(soci::use(a, "first"));
    st.exchange(soci::use(b, "last"));
    if (territory_slug) st.exchange(soci::use(territory, "territory"));
    st.exchange(soci::into(row.territory_slug));
    st.exchange(soci::into(row.kind));
    st.exchange(soci::into(row.day));
    st.exchange(soci::into(row.count));
    st.alloc();
    st.prepare(query);
    st.define_and_bind();
    st.execute();
    while (st.fetch()) {
      if (months) row.day += "-01";
      sums.by_day.push_back(row);
    }
  };
  const auto read_no_match = [&](const std::string& query, const std::string& a, const std::string& b) {
    DetailCount row;
    soci::statement st(sql);
    st.exchange(soci::use(a, "first"));
    st.exchange(soci::use(b, "last"));
    if (territory_slug) st.exchange(soci::use(territory, "territory"));
    st.exchange(soci::into(row.territory_slug));
    st.exchange(soci::into(row.detail));
    st.exchange(soci::into(row.count));
    st.alloc();
    st.prepare(query);
    st.define_and_bind();
    st.execute();
    while (st.fetch()) no_match[{row.territory_slug, row.detail}] += row.count;
  };
  if (!month_first.empty()) {
    read_no_match(kMonthNoMatch + scope + group_by_detail, month_first, month_last);
    if (resolution == Resolution::kMonths) {
      read_days(kMonthSumsByKind + CountedKinds() + scope + group_by_month, month_first, month_last, true);
    } else {
      read_days(kSumsByDay + CountedKinds() + scope + group_by_day, IsoDay(months_from),
                IsoDay(months_to - std::chrono::days(1)), false);
    }
  }
  for (const auto& [a, b] : raw) {
    read_days(kSumsByDay + CountedKinds() + scope + group_by_day, a, b, false);
    read_no_match(kNoMatch + scope + group_by_detail, a, b);
  }
  for (const auto& [key, count] : no_match) sums.no_match.push_back({key.first, key.second, count});
  return sums;
}

CounterSums SumsCache::Sums(storage::Database& db, const std::optional<std::string>& territory_slug,
                            const std::string& first, const std::string& last, const std::string& today,
                            StatsRepository::Resolution resolution) {
  sys_days from{}, to{}, now{};
  if (!ParseIsoDay(first, from) || !ParseIsoDay(last, to) || !ParseIsoDay(today, now) || to < from) return {};
  StatsRepository repository(db);
  const sys_days closed_to = std::min(to, now - std::chrono::days(1));
  std::shared_ptr<const CounterSums> closed;
  if (closed_to >= from) {
    const std::string key = (territory_slug ? "t:" + *territory_slug : std::string("*")) + "|" + first + "|" +
                            IsoDay(closed_to) + "|" + (resolution == StatsRepository::Resolution::kMonths ? "m" : "d");
    {
      const std::lock_guard lock(mutex_);
      if (const auto found = closed_.find(key); found != closed_.end()) closed = found->second;
    }
    if (!closed) {
      // Read outside the lock: two first readers of one period both read it, and agree.
      closed = std::make_shared<const CounterSums>(
          repository.Sums(territory_slug, first, IsoDay(closed_to), today, resolution));
      const std::lock_guard lock(mutex_);
      if (closed_.emplace(key, closed).second) {
        order_.push_back(key);
        while (order_.size() > capacity_) {
          closed_.erase(order_.front());
          order_.pop_front();
        }
      }
    }
  }
  CounterSums sums = closed ? *closed : CounterSums{};
  if (to >= now) {
    CounterSums fresh = repository.Sums(territory_slug, today, today, today, StatsRepository::Resolution::kDays);
    sums.by_day.insert(sums.by_day.end(), fresh.by_day.begin(), fresh.by_day.end());
    sums.no_match.insert(sums.no_match.end(), fresh.no_match.begin(), fresh.no_match.end());
  }
  return sums;
}

void StatsRepository::Increment(StatEvent event, std::string_view territory_slug, std::string_view detail,
                                std::chrono::system_clock::time_point now) {
  const std::string day = core::ParisDate(now);
  const std::string kind(CodeOf(event));
  const std::string territory(territory_slug);
  const std::string detail_text(detail);
  db_.InTransaction(
      [&](soci::session& sql) {
        sql << kIncrement, soci::use(day, "day"), soci::use(territory, "territory"), soci::use(kind, "kind"),
            soci::use(detail_text, "detail");
        // A counter may lose its last increments with the machine's power (never half-written):
        // not worth a disk sync on her path (docs/crash-safety.md).
      },
      storage::Database::Durability::kRelaxed);
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
