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

}  // namespace passerelle::storage::testing
