#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "stats/model.h"
#include "storage/database.h"

namespace passerelle::stats {

class StatsRepository {
 public:
  explicit StatsRepository(storage::Database& db) : db_(db) {}

  // Adds one to the counter of `event` for `territory_slug` ("" for the national site) on the
  // Paris calendar day of `now`. `detail` refines some events (e.g. "need:housing|62588").
  void Increment(StatEvent event, std::string_view territory_slug, std::string_view detail,
                 std::chrono::system_clock::time_point now);

  long long Count(StatEvent event, std::string_view territory_slug, std::string_view day) const;

 private:
  storage::Database& db_;
};

}  // namespace passerelle::stats
