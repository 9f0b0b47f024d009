#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "storage/database.h"
#include "territory/model.h"

namespace passerelle::territory {

// Checks a territory before it is written: slug, name, centre in France, radius, exit URL,
// communes (5-character INSEE codes). The message names the field.
core::Result<core::Ok> Validate(const Territory& territory);

class TerritoryRepository {
 public:
  explicit TerritoryRepository(storage::Database& db) : db_(db) {}

  // Creates or replaces the territory and its communes in one transaction. Invalid data is
  // refused before anything is written.
  core::Result<core::Ok> Save(const Territory& territory, std::chrono::system_clock::time_point now);

  std::optional<Territory> Find(const std::string& slug) const;
  std::vector<std::string> ListSlugs() const;
  bool AnyDemo() const;

 private:
  storage::Database& db_;
};

}  // namespace passerelle::territory
