#include "storage/cli.h"

#include <filesystem>
#include <iostream>

#include "core/config.h"
#include "storage/backup.h"
#include "storage/migrations.h"

namespace passerelle::storage {

int RunBackup(const std::string& database_url, const std::string& to) {
  const core::DatabaseUrl url = core::ParseDatabaseUrl(database_url);
  const auto copied = storage::BackupSqlite(url, to);
  if (!copied) {
    std::cerr << "passerelle backup: " << copied.error().public_message << "\n";
    return 1;
  }
  std::cout << "backup written to " << to << " (migration " << copied.value().versions.back()
            << "); the server key is not in it: keep data/server.key apart (docs/operations.md)\n";
  return 0;
}

int RunRestore(const std::string& database_url, const std::string& assets_dir, const std::string& from, bool force) {
  const core::DatabaseUrl url = core::ParseDatabaseUrl(database_url);
  const auto known = storage::LoadMigrations(std::filesystem::path(assets_dir) / "migrations");
  const auto restored =
      storage::RestoreSqlite(from, url, known, force ? storage::Overwrite::kYes : storage::Overwrite::kNo);
  if (!restored) {
    std::cerr << "passerelle restore: " << restored.error().public_message << "\n";
    return 1;
  }
  std::cout << "restored " << from << " (migration " << restored.value().versions.back()
            << "); `passerelle migrate` or `serve` applies the newer migrations\n";
  return 0;
}

}  // namespace passerelle::storage
