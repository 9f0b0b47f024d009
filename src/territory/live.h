#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "territory/model.h"

// The territories a running server offers, kept current without a restart (issue 11; see
// docs/territory-console.md "Live territories"): an immutable snapshot, replaced as a whole.
// A request takes the snapshot once (Current) and reads it to the end, whatever is swapped
// meanwhile.
namespace passerelle::territory {

// Every territory at one moment, with what the public pages look up in it.
struct TerritorySet {
  std::vector<Territory> all;  // archived ones included, by slug
  // What the public is offered, by slug: positions in `all` (not copies: at national scale the
  // communes of every territory were held twice).
  std::vector<std::size_t> active;
  std::map<std::string, std::string> territory_of_commune;  // INSEE code → slug of an active territory
  std::set<std::string> active_communes;                    // its keys

  // Archived ones too (a territory's own site, its quick exit); null when unknown.
  const Territory* Find(const std::string& slug) const;
  // The active territory holding the commune; null when none.
  const Territory* ActiveOfCommune(const std::string& insee_code) const;
  std::vector<std::string> ActiveSlugs() const;
};

// `all` in any order: the snapshot with its lookups.
std::shared_ptr<const TerritorySet> MakeTerritorySet(std::vector<Territory> all);

// Holds the current TerritorySet. Thread-safe: Current may be called from any request thread
// while Reload (the console's save, the watch thread) replaces it.
class LiveTerritories {
 public:
  // Every territory as stored (TerritoryRepository::ListAll in serve; a fixed list in tests).
  using Load = std::function<std::vector<Territory>()>;

  // Loads at once: what `load` throws goes to the caller (serve does not start).
  explicit LiveTerritories(Load load);
  // Stops the watch.
  ~LiveTerritories();
  LiveTerritories(const LiveTerritories&) = delete;
  LiveTerritories& operator=(const LiveTerritories&) = delete;

  std::shared_ptr<const TerritorySet> Current() const;

  // Loads again and replaces the snapshot when something changed; true then. Throws what
  // `load` throws (the snapshot stays as it was).
  bool Reload();

  // Reloads every `interval` on a thread of its own, for the writes of other processes (another
  // instance's console, `passerelle territory`); a failure is logged and tried again.
  void Watch(std::chrono::milliseconds interval);

 private:
  Load load_;
  mutable std::mutex mutex_;  // guards current_
  std::shared_ptr<const TerritorySet> current_;
  std::mutex reload_mutex_;  // one reload at a time
  std::jthread watcher_;
};

}  // namespace passerelle::territory
