#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"
#include "territory/model.h"

namespace passerelle::territory {

// What other domains may ask of the territories (their pages, the coordinators' settings): read
// only. Writing a territory (demo data, imports) stays with TerritoryRepository, inside this
// domain and the composition root.
class TerritoryService {
 public:
  explicit TerritoryService(storage::Database& db) : db_(db) {}

  std::optional<Territory> Find(const std::string& slug) const;
  std::vector<std::string> ListSlugs() const;

 private:
  storage::Database& db_;
};

}  // namespace passerelle::territory
