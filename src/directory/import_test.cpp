// Writing an import on SQLite and PostgreSQL: all-or-nothing, --skip-invalid, --dry-run, progress.
// The readers' tests are import_csv_test.cpp and import_hsds_test.cpp, the export's export_test.cpp.
#include <gtest/gtest.h>

#include "directory/import_test_support.h"
#include "directory/repository.h"

namespace passerelle::directory::testing {
namespace {

TEST_P(ImportTest, AFailingRowLeavesNoTraceEvenAfterValidOnes) {
  ASSERT_TRUE(Import(Format::kCsv, Csv({kRowA})).value().written);
  const std::string before = Snapshot();
  std::string renamed = kRowA;
  renamed.replace(renamed.find("Association A"), 13, "Association A2");
  std::string bad = kRowB;
  bad.replace(bad.find("shelter"), 7, "voyance");
  auto report = Import(Format::kCsv, Csv({renamed, bad}));
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report.value().written);
  EXPECT_EQ(report.value().updated, 1u);  // what it would have done
  EXPECT_EQ(report.value().rejected.size(), 1u);
  EXPECT_EQ(Snapshot(), before);
  soci::session sql(db_->pool());
  EXPECT_EQ(DirectoryRepository(sql).Find("org-a")->name, "Association A");
}

TEST_P(ImportTest, AConflictFoundWhileWritingRollsBackWhatWasWritten) {
  // org-z is valid and written first; org-y then takes a location id owned in the database by
  // org-a: the whole import is rolled back, org-z included.
  ASSERT_TRUE(Import(Format::kCsv, Csv({kRowA})).value().written);
  const std::string before = Snapshot();
  const std::string z = "org-c,Cabinet C,,svc-c,Conseil,lawyer,,loc-c,1 rue C,75010,Paris,75110,48.87,2.35,false\n";
  const std::string y = "org-d,Cabinet D,,svc-d,Conseil,lawyer,,loc-a,1 rue D,75010,Paris,75110,48.87,2.35,false\n";
  auto report = Import(Format::kCsv, Csv({z, y}));
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report.value().written);
  ASSERT_EQ(report.value().rejected.size(), 1u);
  EXPECT_EQ(report.value().rejected[0].line, 3u);
  EXPECT_EQ(Snapshot(), before);
}

TEST_P(ImportTest, SkipInvalidWritesOnlyTheValidOrganizations) {
  std::string bad = kRowB;
  bad.replace(bad.find("24/7"), 4, "tous les jours");
  auto report = Import(Format::kCsv, Csv({kRowA, bad}), ImportMode::kSkipInvalid);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report.value().written);
  EXPECT_EQ(report.value().created, 1u);
  ASSERT_EQ(report.value().rejected.size(), 1u);
  EXPECT_EQ(report.value().rejected[0].line, 3u);
  EXPECT_NE(report.value().rejected[0].reason.find("opening_hours"), std::string::npos);
  soci::session sql(db_->pool());
  EXPECT_TRUE(DirectoryRepository(sql).Find("org-a"));
  EXPECT_FALSE(DirectoryRepository(sql).Find("org-b"));
  EXPECT_EQ(Count("location"), 1);
}

TEST_P(ImportTest, DryRunReportsButWritesNothing) {
  const std::string before = Snapshot();
  auto report = Import(Format::kCsv, Csv({kRowA, kRowB}), ImportMode::kAllOrNothing, DryRun::kYes);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report.value().written);
  EXPECT_EQ(report.value().created, 2u);
  EXPECT_EQ(Snapshot(), before);
  report = Import(Format::kCsv, Csv({kRowA, kRowB}), ImportMode::kSkipInvalid, DryRun::kYes);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report.value().written);
  EXPECT_EQ(Snapshot(), before);
}

TEST_P(ImportTest, ProgressCountsEveryEntry) {
  std::istringstream in(Csv({kRowA, kRowB}));
  std::size_t last_done = 0, last_total = 0, calls = 0;
  auto report = ImportDirectory(*db_, Format::kCsv, "paris-10", in, ImportMode::kAllOrNothing, DryRun::kNo,
                                [&](std::size_t done, std::size_t total) {
                                  EXPECT_GE(done, last_done);
                                  last_done = done;
                                  last_total = total;
                                  ++calls;
                                });
  ASSERT_TRUE(report.ok());
  EXPECT_GE(calls, 2u);
  EXPECT_EQ(last_done, 2u);
  EXPECT_EQ(last_total, 2u);
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportTest,
                         ::testing::Values(core::DatabaseBackend::kSqlite, core::DatabaseBackend::kPostgresql),
                         BackendName);

}  // namespace
}  // namespace passerelle::directory::testing
