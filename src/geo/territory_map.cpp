#include "geo/territory_map.h"

#include <algorithm>

namespace passerelle::geo {

void TerritoryMap::Add(std::string_view territory_slug, std::span<const std::string> insee_codes) {
  for (const std::string& code : insee_codes) {
    std::vector<std::string>& slugs = by_insee_[code];
    if (std::find(slugs.begin(), slugs.end(), territory_slug) == slugs.end()) slugs.emplace_back(territory_slug);
  }
}

std::vector<std::string> TerritoryMap::TerritoriesOf(const Commune& commune) const {
  std::vector<std::string> out;
  for (const std::string* code : {&commune.insee_code, &commune.parent_insee_code}) {
    if (code->empty()) continue;
    const auto found = by_insee_.find(*code);
    if (found == by_insee_.end()) continue;
    out.insert(out.end(), found->second.begin(), found->second.end());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace passerelle::geo
