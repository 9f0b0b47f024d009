#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

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

  // Whether a slug names a territory the public is offered now (territory::LiveTerritories).
  using Known = std::function<bool(std::string_view slug)>;

  // `territory_slug`: the site's territory ("" for the national site), as the help flow counts.
  // `territories`: the slugs a page of the national site may be about (their counters are made
  // here, once: counting them takes no lock); unused on a territory's site. `known`: a territory
  // added since (created in the console while the server runs) is counted when it says so, in
  // counters behind a lock, made at its first visit; null: only `territories` count.
  PageVisits(StatsRepository& repository, std::string territory_slug, Clock clock,
             std::chrono::milliseconds flush_every = std::chrono::minutes(1),
             const std::vector<std::string>& territories = {}, Known known = {});
  // Writes what is left.
  ~PageVisits();
  PageVisits(const PageVisits&) = delete;
  PageVisits& operator=(const PageVisits&) = delete;

  // On the request path: one relaxed atomic increment, no lock, no I/O. Counted under the site's
  // territory; on the national site, under `page_territory` when the page is about one of
  // `territories` (the annuaire's commune or service: docs/territory-console.md), else "".
  void Count(PageKind kind, std::string_view page_territory = {}) {
    const std::size_t index = IndexOf(page_territory);
    if (index == 0 && !page_territory.empty() && territory_slug_.empty() && known_ && CountLate(kind, page_territory)) {
      return;
    }
    counts_[index][static_cast<std::size_t>(kind)].fetch_add(1, std::memory_order_relaxed);
  }

  // Starts the thread that flushes every `flush_every`.
  void Start();
  // Writes the sums counted since the last flush to the day of the clock's now (a flush just
  // after midnight puts at most one interval of visits on the new day). A failed write is logged
  // and its sums are counted again, for the next flush.
  void Flush();

 private:
  using Counts = std::array<std::atomic<long long>, 4>;
  // The counters of `page_territory`: 0 (the site's own) unless the site is national and the
  // territory known.
  std::size_t IndexOf(std::string_view page_territory) const;
  // A visit of a territory added since the start, when `known_` says it is one; false otherwise.
  bool CountLate(PageKind kind, std::string_view page_territory);

  StatsRepository& repository_;
  std::string territory_slug_;
  std::vector<std::string> slugs_;  // slugs_[i]: the territory of counts_[i]; slugs_[0] the site's
  std::unordered_map<std::string_view, std::size_t> index_of_;  // views into slugs_, fixed once built
  Clock clock_;
  std::chrono::milliseconds flush_every_;
  std::unique_ptr<Counts[]> counts_;
  Known known_;
  std::mutex late_mutex_;
  std::map<std::string, std::array<long long, 4>, std::less<>> late_;  // guarded by late_mutex_
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace passerelle::stats
