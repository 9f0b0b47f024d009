#include "territory/service.h"

#include "territory/repository.h"

namespace passerelle::territory {

std::optional<Territory> TerritoryService::Find(const std::string& slug) const {
  return TerritoryRepository(db_).Find(slug);
}

std::vector<std::string> TerritoryService::ListSlugs() const { return TerritoryRepository(db_).ListSlugs(); }

}  // namespace passerelle::territory
