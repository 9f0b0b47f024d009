#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stats/model.h"
#include "storage/database.h"

namespace passerelle::stats {

struct DayCount {
  std::string territory_slug;
  std::string kind;  // a StatEvent code
  std::string day;
  long long count = 0;
};

struct DetailCount {
  std::string territory_slug;
  std::string detail;  // "need:<need>[,<need>…]|<INSEE code>"
  long long count = 0;
};

struct CounterSums {
  std::vector<DayCount> by_day;
  std::vector<DetailCount> no_match;
};

class StatsRepository {
 public:
  explicit StatsRepository(storage::Database& db) : db_(db) {}

  // Adds one to the counter of `event` for `territory_slug` ("" for the national site) on the
  // Paris calendar day of `now`. `detail` refines some events (e.g. "need:housing|62588").
  void Increment(StatEvent event, std::string_view territory_slug, std::string_view detail,
                 std::chrono::system_clock::time_point now);

  // Adds `count` at once (the visits counted in memory, visits.h).
  void Add(StatEvent event, std::string_view territory_slug, std::string_view detail, long long count,
           std::chrono::system_clock::time_point now);

  long long Count(StatEvent event, std::string_view territory_slug, std::string_view day) const;

  // How finely the sums of a period are grouped in time.
  enum class Resolution { kDays, kMonths };

  // The sums of `first`..`last` (inclusive "YYYY-MM-DD" days), of one territory or, with
  // nothing, of every territory and the national site (""), grouped by territory, kind and day
  // (every kind but "no_match"; with kMonths, the whole months of the period are grouped by month,
  // dated on their 1st) and, for "no_match", by territory and detail. The months of the period
  // that are over before `today`'s month are read from their monthly sums (stat_counter_month),
  // summed on the first read (RollUp): three years read in a few hundred rows.
  CounterSums Sums(const std::optional<std::string>& territory_slug, const std::string& first, const std::string& last,
                   const std::string& today, Resolution resolution = Resolution::kDays);

  // Sums the month "YYYY-MM" of every territory into stat_counter_month, once (the month must be
  // over: its counters never change afterwards, since counters are written for the current day).
  void RollUp(const std::string& month);

 private:
  storage::Database& db_;
};

// The sums of a period as StatsRepository::Sums gives them, with the part before today read once:
// counters are written for the current Paris day only, so the sums of the days before it never
// change. Kept per territory, first day, last closed day and resolution (at most `capacity`
// periods, the oldest dropped first); today's counters are read on every call and appended.
// Thread-safe.
class SumsCache {
 public:
  explicit SumsCache(std::size_t capacity = 64) : capacity_(capacity) {}

  CounterSums Sums(storage::Database& db, const std::optional<std::string>& territory_slug, const std::string& first,
                   const std::string& last, const std::string& today,
                   StatsRepository::Resolution resolution = StatsRepository::Resolution::kDays);

 private:
  std::size_t capacity_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const CounterSums>> closed_;
  std::deque<std::string> order_;  // keys of closed_, oldest first
};

}  // namespace passerelle::stats
