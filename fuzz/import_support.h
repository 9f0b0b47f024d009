#pragma once
// The directory importers (passerelle import, /pro/…/import) on a real, migrated SQLite
// database in a temporary folder, with one territory. Imports are dry runs, which roll back, so
// every input meets the same database.

#include <sstream>
#include <string>

#include "core/config.h"
#include "core/crypto.h"
#include "directory/import.h"
#include "fuzz_support.h"
#include "storage/database.h"
#include "storage/migrations.h"
#include "storage/testing.h"

namespace passerelle::fuzz {

inline storage::Database& ImportDatabase() {
  static const std::unique_ptr<storage::Database> db = [] {
    core::InitCrypto();
    const auto dir = std::filesystem::temp_directory_path() / ("passerelle-fuzz-" + core::RandomHex(6));
    std::filesystem::create_directories(dir);
    auto opened = storage::Database::Open(core::ParseDatabaseUrl("sqlite:" + (dir / "fuzz.db").string()), 1);
    storage::ApplyMigrations(*opened, storage::LoadMigrations(AssetsDir() / "migrations"));
    soci::session sql(opened->pool());
    storage::testing::InsertTerritory(sql, "paris-10");
    return opened;
  }();
  return *db;
}

// Both modes, as `passerelle import --dry-run [--skip-invalid]`. Properties: a dry run writes
// nothing, and every organization read is counted once.
inline void DryRunImport(directory::Format format, std::string_view text) {
  for (const auto mode : {directory::ImportMode::kSkipInvalid, directory::ImportMode::kAllOrNothing}) {
    std::istringstream in{std::string(text)};
    const auto report =
        directory::ImportDirectory(ImportDatabase(), format, "paris-10", in, mode, directory::DryRun::kYes);
    if (!report) continue;
    FUZZ_CHECK(!report.value().written);
    FUZZ_CHECK(report.value().changed_organization_ids.size() == report.value().created + report.value().updated);
  }
}

}  // namespace passerelle::fuzz
