#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.h"
#include "territory/model.h"
#include "territory/repository.h"

namespace passerelle::territory {

// What other domains may ask of the territories: their pages read them; the territory console
// (issue 11) and `passerelle territory` create, change and archive them, every write audited in
// its transaction. The demonstration data is written by TerritoryRepository::Save.
class TerritoryService {
 public:
  explicit TerritoryService(storage::Database& db) : db_(db) {}

  std::optional<Territory> Find(const std::string& slug) const;
  // The active territories (what the public is offered).
  std::vector<std::string> ListSlugs() const;
  // Archived ones too.
  std::vector<std::string> ListAllSlugs() const;

  core::Result<core::Ok> Create(const Territory& territory, const Author& author,
                                std::chrono::system_clock::time_point now);
  core::Result<core::Ok> Update(const Territory& territory, const Author& author, std::string_view action,
                                std::chrono::system_clock::time_point now);
  core::Result<core::Ok> SetArchived(const std::string& slug, bool archived, const Author& author,
                                     std::chrono::system_clock::time_point now);

 private:
  storage::Database& db_;
};

}  // namespace passerelle::territory
