// Export on SQLite and PostgreSQL: round trips through the import, and confidential addresses,
// professional-only and defunct organizations kept out of public exports.
#include <gtest/gtest.h>

#include "directory/export.h"
#include "directory/import_test_support.h"
#include "directory/repository.h"

namespace passerelle::directory::testing {
namespace {

TEST_P(ImportTest, HsdsExportReimportsUnchangedAndRebuildsTheSameDirectory) {
  ASSERT_TRUE(Import(Format::kCsv, Csv({kRowA, kRowB})).value().written);
  ASSERT_TRUE(Import(Format::kHsds, kHsds).value().written);
  const std::string exported = ExportDirectory(*db_, Format::kHsds, "paris-10", Confidential::kInclude);

  auto again = Import(Format::kHsds, exported);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value().unchanged, 3u);
  EXPECT_TRUE(again.value().rejected.empty());

  soci::session sql(db_->pool());
  const auto before = DirectoryRepository(sql).ListByTerritory("paris-10");
  sql << "DELETE FROM organization";
  ASSERT_EQ(Count("service"), 0);
  auto rebuilt = Import(Format::kHsds, exported);
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_EQ(rebuilt.value().created, 3u);
  EXPECT_EQ(DirectoryRepository(sql).ListByTerritory("paris-10"), before);
  EXPECT_EQ(ExportDirectory(*db_, Format::kHsds, "paris-10", Confidential::kInclude), exported);
}

TEST_P(ImportTest, CsvExportReimportsUnchanged) {
  const std::string second_place =
      "org-a,,,svc-a,,,,loc-a2,\"1 place du Test, bâtiment \"\"B\"\"\",75010,Paris,75110,48.872,2.358,false\n";
  const std::string lone_place = "org-a,,,,,,,loc-a3,2 place du Test,75010,Paris,75110,48.8721,2.3581,false\n";
  ASSERT_TRUE(Import(Format::kCsv, Csv({kRowA, second_place, lone_place, kRowB})).value().written);
  ASSERT_TRUE(Import(Format::kHsds, kHsds).value().written);
  const std::string exported = ExportDirectory(*db_, Format::kCsv, "", Confidential::kInclude);
  soci::session sql(db_->pool());
  const auto before = DirectoryRepository(sql).ListByTerritory("paris-10");
  sql << "DELETE FROM organization";
  auto rebuilt = Import(Format::kCsv, exported);
  ASSERT_TRUE(rebuilt.ok());
  ASSERT_TRUE(rebuilt.value().rejected.empty())
      << rebuilt.value().rejected.front().Where() << " " << rebuilt.value().rejected.front().reason;
  EXPECT_EQ(DirectoryRepository(sql).ListByTerritory("paris-10"), before);
}

TEST_P(ImportTest, PublicExportsHoldNoConfidentialDetailAndReimportKeepsThem) {
  ASSERT_TRUE(Import(Format::kCsv, Csv({kRowA, kRowB})).value().written);
  for (const Format format : {Format::kHsds, Format::kCsv}) {
    SCOPED_TRACE(format == Format::kHsds ? "hsds" : "csv");
    const std::string exported = ExportDirectory(*db_, format, "paris-10", Confidential::kRedact);
    EXPECT_NE(exported.find("Foyer B"), std::string::npos);       // the shelter is listed…
    EXPECT_EQ(exported.find(kSecretAddress), std::string::npos);  // …without its place
    EXPECT_EQ(exported.find(kSecretLatitude), std::string::npos);
    EXPECT_EQ(exported.find("2.3611"), std::string::npos);
    const std::string full = ExportDirectory(*db_, format, "paris-10", Confidential::kInclude);
    EXPECT_NE(full.find(kSecretAddress), std::string::npos);

    // Importing a public export back loses nothing.
    auto again = Import(format, exported);
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again.value().rejected.empty());
    EXPECT_EQ(again.value().unchanged, 2u);
    soci::session sql(db_->pool());
    EXPECT_EQ(DirectoryRepository(sql).Find("org-b")->locations.at(0).address, "3 impasse Secrète");
  }
}

TEST_P(ImportTest, PublicExportLeavesOutProfessionalOnlyAndDefunctOrganizations) {
  const std::string csv =
      "organization_id,organization_name,visibility,status\n"
      "org-p,Réseau pro,professionals,active\n"
      "org-d,Ancienne association,public,defunct\n"
      "org-o,Association ouverte,public,active\n";
  ASSERT_TRUE(Import(Format::kCsv, csv).value().written);
  const std::string exported = ExportDirectory(*db_, Format::kHsds, "", Confidential::kRedact);
  EXPECT_EQ(exported.find("org-p"), std::string::npos);
  EXPECT_EQ(exported.find("org-d"), std::string::npos);
  EXPECT_NE(exported.find("org-o"), std::string::npos);
  const std::string full = ExportDirectory(*db_, Format::kHsds, "", Confidential::kInclude);
  EXPECT_NE(full.find("org-p"), std::string::npos);
  EXPECT_NE(full.find("org-d"), std::string::npos);
  EXPECT_EQ(ExportDirectory(*db_, Format::kHsds, "montreuillois", Confidential::kInclude).find("org-o"),
            std::string::npos);
}

}  // namespace
}  // namespace passerelle::directory::testing
