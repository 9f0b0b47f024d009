#include "territory/live.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <utility>

#include "core/periodic.h"

namespace passerelle::territory {

const Territory* TerritorySet::Find(const std::string& slug) const {
  const auto it = std::lower_bound(all.begin(), all.end(), slug,
                                   [](const Territory& t, const std::string& s) { return t.slug < s; });
  return it != all.end() && it->slug == slug ? &*it : nullptr;
}

const Territory* TerritorySet::ActiveOfCommune(const std::string& insee_code) const {
  const auto it = territory_of_commune.find(insee_code);
  if (it == territory_of_commune.end()) return nullptr;
  for (const std::size_t position : active) {
    if (all[position].slug == it->second) return &all[position];
  }
  return nullptr;
}

std::vector<std::string> TerritorySet::ActiveSlugs() const {
  std::vector<std::string> out;
  for (const std::size_t position : active) out.push_back(all[position].slug);
  return out;
}

std::shared_ptr<const TerritorySet> MakeTerritorySet(std::vector<Territory> all) {
  auto set = std::make_shared<TerritorySet>();
  std::sort(all.begin(), all.end(), [](const Territory& a, const Territory& b) { return a.slug < b.slug; });
  set->all = std::move(all);
  for (std::size_t position = 0; position < set->all.size(); ++position) {
    const Territory& t = set->all[position];
    if (t.archived) continue;
    set->active.push_back(position);
    // A commune in two territories belongs to the first by slug (as the help flow always chose).
    for (const Commune& c : t.communes) set->territory_of_commune.emplace(c.insee_code, t.slug);
  }
  for (const auto& [insee, slug] : set->territory_of_commune) set->active_communes.insert(insee);
  return set;
}

LiveTerritories::LiveTerritories(Load load) : load_(std::move(load)), current_(MakeTerritorySet(load_())) {}

LiveTerritories::~LiveTerritories() {
  if (watcher_.joinable()) {
    watcher_.request_stop();
    watcher_.join();
  }
}

std::shared_ptr<const TerritorySet> LiveTerritories::Current() const {
  const std::lock_guard lock(mutex_);
  return current_;
}

bool LiveTerritories::Reload() {
  const std::lock_guard reload(reload_mutex_);
  std::vector<Territory> all = load_();
  std::sort(all.begin(), all.end(), [](const Territory& a, const Territory& b) { return a.slug < b.slug; });
  if (all == Current()->all) return false;
  auto next = MakeTerritorySet(std::move(all));
  const std::lock_guard lock(mutex_);
  current_ = std::move(next);
  return true;
}

void LiveTerritories::Watch(std::chrono::milliseconds interval) {
  watcher_ = core::EveryInterval(interval, [this] {
    try {
      if (Reload()) spdlog::info("event=territories_reloaded by=watch");
    } catch (const std::exception& e) {
      // The database may be briefly unreachable: keep the territories as they are.
      spdlog::warn("event=territories_watch_failed error=\"{}\"", e.what());
    }
  });
}

}  // namespace passerelle::territory
