#pragma once
// Test fixture shared by the directory's storage tests (storage/testing.h: SQLite and a real
// PostgreSQL).
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
#include "storage/testing.h"

namespace passerelle::directory::testing {

using storage::testing::AssetsDir;
using storage::testing::BackendName;

// The storage fixture, with the three territories the directory tests import into.
class DirectoryDbTest : public storage::testing::BackendTest {
 protected:
  DirectoryDbTest() { pool_size_ = 2; }
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    soci::session sql(db_->pool());
    for (const char* slug_text : {"paris-10", "montreuillois", "autre"}) {
      // Named: soci executes when the statement's temporary dies, after a temporary string would.
      const std::string slug(slug_text);
      sql << "INSERT INTO territory (slug, name, centre_lat, centre_lon, default_radius_km, neutral_exit_url, "
             "languages, youth_services, emergency_contacts, is_demo, created_at, updated_at) VALUES "
             "(:slug, 'Test', 48.87, 2.36, 5, 'https://example.org/', 'fr', '[]', '[]', 1, 0, 0)",
          soci::use(slug);
    }
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
    for (const char* table :
         {"organization", "phone", "location", "service", "service_category", "service_at_location"}) {
      out += std::string(table) + "=" + std::to_string(Count(table)) + " ";
    }
    soci::session sql(db_->pool());
    soci::rowset<soci::row> rows = (sql.prepare << "SELECT id, name, updated_at FROM organization ORDER BY id");
    for (const soci::row& row : rows) {
      out +=
          row.get<std::string>(0) + "|" + row.get<std::string>(1) + "|" + std::to_string(row.get<long long>(2)) + "\n";
    }
    return out;
  }

  core::Result<ImportReport> Import(Format format, const std::string& text, ImportMode mode = ImportMode::kAllOrNothing,
                                    DryRun dry_run = DryRun::kNo, const std::string& territory = "paris-10") {
    std::istringstream in(text);
    return ImportDirectory(*db_, format, territory, in, mode, dry_run);
  }
};

}  // namespace passerelle::directory::testing
