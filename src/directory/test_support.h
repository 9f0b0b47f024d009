#pragma once
// Test fixture shared by the directory's storage tests: the same cases run on SQLite and on a
// real PostgreSQL (PASSERELLE_TEST_PG_URL, set by tests/pg/with-postgres.sh; with
// PASSERELLE_REQUIRE_PG=1 a missing server is a failure, not a skip).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>

#include "core/crypto.h"
#include "directory/import.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace passerelle::directory::testing {

inline std::filesystem::path AssetsDir() {
  const char* assets = std::getenv("PASSERELLE_ASSETS_DIR");
  return std::filesystem::path(assets ? assets : ".");
}

class DirectoryDbTest : public ::testing::TestWithParam<core::DatabaseBackend> {
 protected:
  void SetUp() override {
    core::InitCrypto();
    if (GetParam() == core::DatabaseBackend::kSqlite) {
      dir_ = std::filesystem::temp_directory_path() / ("passerelle-directory-" + core::RandomHex(6));
      std::filesystem::create_directories(dir_);
      db_ = storage::Database::Open(core::ParseDatabaseUrl("sqlite:" + (dir_ / "d.db").string()), 2);
    } else {
      const char* url = std::getenv("PASSERELLE_TEST_PG_URL");
      if (url == nullptr || *url == '\0') {
        const char* required = std::getenv("PASSERELLE_REQUIRE_PG");
        if (required != nullptr && std::string(required) == "1") {
          FAIL() << "PASSERELLE_REQUIRE_PG=1 but PASSERELLE_TEST_PG_URL is not set";
        }
        GTEST_SKIP() << "no PostgreSQL server (run through tests/pg/with-postgres.sh)";
      }
      db_ = storage::Database::Open(core::ParseDatabaseUrl(url), 2);
      soci::session sql(db_->pool());
      sql << "DROP SCHEMA public CASCADE";
      sql << "CREATE SCHEMA public";
    }
    storage::ApplyMigrations(*db_, storage::LoadMigrations(AssetsDir() / "migrations"));
    soci::session sql(db_->pool());
    for (const char* slug : {"paris-10", "montreuillois", "autre"}) {
      sql << "INSERT INTO territory (slug, name, centre_lat, centre_lon, default_radius_km, neutral_exit_url, "
             "languages, youth_services, emergency_contacts, is_demo, created_at, updated_at) VALUES "
             "(:slug, 'Test', 48.87, 2.36, 5, 'https://example.org/', 'fr', '[]', '[]', 1, 0, 0)",
          soci::use(std::string(slug));
    }
  }
  void TearDown() override {
    db_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  long long Count(const std::string& table) {
    soci::session sql(db_->pool());
    long long count = 0;
    sql << "SELECT COUNT(*) FROM " + table, soci::into(count);
    return count;
  }

  // Rows of every directory table, so that "nothing changed" is checked everywhere.
  std::string Snapshot() {
    std::string out;
    for (const char* table : {"organization", "phone", "location", "service", "service_category",
                              "service_at_location"}) {
      out += std::string(table) + "=" + std::to_string(Count(table)) + " ";
    }
    soci::session sql(db_->pool());
    soci::rowset<soci::row> rows = (sql.prepare << "SELECT id, name, updated_at FROM organization ORDER BY id");
    for (const soci::row& row : rows) {
      out += row.get<std::string>(0) + "|" + row.get<std::string>(1) + "|" +
             std::to_string(row.get<long long>(2)) + "\n";
    }
    return out;
  }

  core::Result<ImportReport> Import(Format format, const std::string& text, ImportMode mode = ImportMode::kAllOrNothing,
                                    DryRun dry_run = DryRun::kNo, const std::string& territory = "paris-10") {
    std::istringstream in(text);
    return ImportDirectory(*db_, format, territory, in, mode, dry_run);
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::Database> db_;
};

inline std::string BackendName(const ::testing::TestParamInfo<core::DatabaseBackend>& info) {
  return info.param == core::DatabaseBackend::kSqlite ? "Sqlite" : "Postgres";
}

}  // namespace passerelle::directory::testing
