#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "storage/database.h"

namespace passerelle::storage {

struct Migration {
  int version;
  std::string name;
  std::vector<std::string> statements;
};

// Reads `NNNN_name.sql` files of `dir` in version order. Statements end with `;` at the end of
// a line. Throws InfrastructureError naming the file on a malformed name or a duplicate version.
std::vector<Migration> LoadMigrations(const std::filesystem::path& dir);

// Applies the migrations not applied yet, each in its own transaction (PostgreSQL: under an
// advisory lock, so that instances starting together apply each migration once). Returns the
// versions applied by this call.
std::vector<int> ApplyMigrations(Database& db, const std::vector<Migration>& migrations);

// Versions already applied, in order.
std::vector<int> AppliedMigrations(Database& db);

}  // namespace passerelle::storage
