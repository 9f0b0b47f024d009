#include "territory/service.h"

namespace passerelle::territory {

std::optional<Territory> TerritoryService::Find(const std::string& slug) const {
  return TerritoryRepository(db_).Find(slug);
}

std::vector<std::string> TerritoryService::ListSlugs() const { return TerritoryRepository(db_).ListSlugs(); }

std::vector<std::string> TerritoryService::ListAllSlugs() const { return TerritoryRepository(db_).ListAllSlugs(); }

core::Result<core::Ok> TerritoryService::Create(const Territory& territory, const Author& author,
                                                std::chrono::system_clock::time_point now) {
  return TerritoryRepository(db_).Create(territory, author, now);
}

core::Result<core::Ok> TerritoryService::Update(const Territory& territory, const Author& author,
                                                std::string_view action, std::chrono::system_clock::time_point now) {
  return TerritoryRepository(db_).Update(territory, author, action, now);
}

core::Result<core::Ok> TerritoryService::SetArchived(const std::string& slug, bool archived, const Author& author,
                                                     std::chrono::system_clock::time_point now) {
  return TerritoryRepository(db_).SetArchived(slug, archived, author, now);
}

}  // namespace passerelle::territory
