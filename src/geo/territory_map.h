#pragma once

#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "geo/model.h"

namespace passerelle::geo {

// Commune → territories, from each territory's list of INSEE codes (DESIGN.md §4). A territory
// that lists a commune also covers its arrondissements municipaux (Paris covers Paris 10e).
// Immutable once built; rebuild it when a territory changes.
class TerritoryMap {
 public:
  void Add(std::string_view territory_slug, std::span<const std::string> insee_codes);

  // The slugs of the territories covering the commune, sorted; empty when none does.
  std::vector<std::string> TerritoriesOf(const Commune& commune) const;

 private:
  std::unordered_map<std::string, std::vector<std::string>> by_insee_;
};

}  // namespace passerelle::geo
