#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "stats/model.h"
#include "stats/repository.h"

// Visits of the public pages (issue 11 §4), counted without a database write on the request path:
// one atomic counter per kind in memory, whose sums a thread writes to stat_counter every minute
// and at shutdown. Nothing else is kept: no IP, no time of day, no identifier, no cookie.
namespace passerelle::stats {

enum class PageKind { kHome, kHelp, kSheets, kDirectory };

class PageVisits {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  // `territory_slug`: the site's territory ("" for the national site), as the help flow counts.
  PageVisits(StatsRepository& repository, std::string territory_slug, Clock clock,
             std::chrono::milliseconds flush_every = std::chrono::minutes(1));
  // Writes what is left.
  ~PageVisits();
  PageVisits(const PageVisits&) = delete;
  PageVisits& operator=(const PageVisits&) = delete;

  // On the request path: one relaxed atomic increment, no lock, no I/O.
  void Count(PageKind kind) { counts_[static_cast<std::size_t>(kind)].fetch_add(1, std::memory_order_relaxed); }

  // Starts the thread that flushes every `flush_every`.
  void Start();
  // Writes the sums counted since the last flush to the day of the clock's now (a flush just
  // after midnight puts at most one interval of visits on the new day). A failed write is logged
  // and its sums are counted again, for the next flush.
  void Flush();

 private:
  StatsRepository& repository_;
  std::string territory_slug_;
  Clock clock_;
  std::chrono::milliseconds flush_every_;
  std::array<std::atomic<long long>, 4> counts_{};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace passerelle::stats
