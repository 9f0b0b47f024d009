#pragma once
// Test-only fixture: the same storage cases run on SQLite (a temporary file) and on a real
// PostgreSQL (PASSERELLE_TEST_PG_URL, set by tests/pg/with-postgres.sh; its schema is emptied
// first, and ctest's RESOURCE_LOCK keeps test processes from sharing it at once). With
// PASSERELLE_REQUIRE_PG=1 (as in `make test`) a missing server is a failure, not a skip.
// Header-only, for GoogleTest executables.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "core/config.h"
#include "core/crypto.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace passerelle::storage::testing {

// The assets folder (migrations/, content/) given to tests by CTest.
inline std::filesystem::path AssetsDir() {
  const char* assets = std::getenv("PASSERELLE_ASSETS_DIR");
  return std::filesystem::path(assets ? assets : ".");
}

// Parameterised by backend; SetUp opens an empty, migrated database in `db_` and a scratch
// folder in `dir_`. Subclasses calling SetUp must return when it skipped or failed
// (`if (IsSkipped() || HasFatalFailure()) return;`).
class BackendTest : public ::testing::TestWithParam<core::DatabaseBackend> {
 protected:
  void SetUp() override {
    core::InitCrypto();
    dir_ = std::filesystem::temp_directory_path() / ("passerelle-test-" + core::RandomHex(6));
    std::filesystem::create_directories(dir_);
    if (GetParam() == core::DatabaseBackend::kSqlite) {
      db_ = Database::Open(core::ParseDatabaseUrl("sqlite:" + (dir_ / "t.db").string()), pool_size_);
    } else {
      const char* url = std::getenv("PASSERELLE_TEST_PG_URL");
      if (url == nullptr || *url == '\0') {
        const char* required = std::getenv("PASSERELLE_REQUIRE_PG");
        if (required != nullptr && std::string(required) == "1") {
          FAIL() << "PASSERELLE_REQUIRE_PG=1 but PASSERELLE_TEST_PG_URL is not set";
        }
        GTEST_SKIP() << "no PostgreSQL server (run through tests/pg/with-postgres.sh)";
      }
      db_ = Database::Open(core::ParseDatabaseUrl(url), pool_size_);
      soci::session sql(db_->pool());
      sql << "DROP SCHEMA public CASCADE";
      sql << "CREATE SCHEMA public";
    }
    ApplyMigrations(*db_, LoadMigrations(AssetsDir() / "migrations"));
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::size_t pool_size_ = 4;
  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
};

inline std::string BackendName(const ::testing::TestParamInfo<core::DatabaseBackend>& info) {
  return info.param == core::DatabaseBackend::kSqlite ? "Sqlite" : "Postgresql";
}

// Minimal rows that other tables refer to, for tests of the domains built on them. Bound values
// are named variables: SOCI binds references, which must outlive the statement.
inline void InsertTerritory(soci::session& sql, const std::string& slug, int is_demo = 0) {
  sql << "INSERT INTO territory (slug, name, centre_lat, centre_lon, default_radius_km, neutral_exit_url, languages, "
         "youth_services, emergency_contacts, is_demo, created_at, updated_at) VALUES (:slug, :name, 48.87, 2.36, 5, "
         "'https://example.org/', 'fr', '[]', '[]', :demo, 0, 0)",
      soci::use(slug, "slug"), soci::use(slug, "name"), soci::use(is_demo, "demo");
}

// An active, public organization that accepts referrals, named "Organisation <id>".
inline void InsertOrganization(soci::session& sql, const std::string& id, const std::string& territory,
                               const std::string& email = "contact@example.org", int is_demo = 0) {
  const std::string name = "Organisation " + id;
  sql << "INSERT INTO organization (id, territory_slug, name, description, website, email, accepts_referrals, "
         "verified_by, status, alert, visibility, is_demo, created_at, updated_at) VALUES (:id, :territory, :name, "
         "'', '', :email, 1, '', 'active', '', 'public', :demo, 0, 0)",
      soci::use(id, "id"), soci::use(territory, "territory"), soci::use(name, "name"), soci::use(email, "email"),
      soci::use(is_demo, "demo");
}

}  // namespace passerelle::storage::testing
