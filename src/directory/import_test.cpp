// Writing an import on SQLite and PostgreSQL: all-or-nothing, --skip-invalid, --dry-run, progress.
// The readers' tests are import_csv_test.cpp and import_hsds_test.cpp, the export's export_test.cpp.
#include <gtest/gtest.h>

#include "directory/import_test_support.h"
#include "directory/pending_import.h"
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

// The console's dry run (docs/territory-console.md): created, updated field by field, unchanged.
TEST_P(ImportTest, ReportsCreatedUpdatedAndUnchangedOrganizationsWithTheirFields) {
  ASSERT_TRUE(Import(Format::kCsv, Csv({kRowA})).value().written);
  std::string renamed = kRowA;
  renamed.replace(renamed.find("Association A"), 13, "Association A2");
  renamed.replace(renamed.find("Mo-Fr 09:00-17:00"), 17, "Mo-Fr 10:00-17:00");
  auto report = Import(Format::kCsv, Csv({renamed, kRowB}), ImportMode::kAllOrNothing, DryRun::kYes);
  ASSERT_TRUE(report.ok());
  const ImportReport& r = report.value();
  EXPECT_EQ(r.created_organization_ids, std::vector<std::string>{"org-b"});
  EXPECT_EQ(r.updated_organization_ids, std::vector<std::string>{"org-a"});
  EXPECT_TRUE(r.unchanged_organization_ids.empty());
  ASSERT_EQ(r.changes.size(), 2u);
  EXPECT_EQ(r.changes[0].id, "org-a");
  EXPECT_FALSE(r.changes[0].created);
  std::vector<std::string> fields;
  for (const FieldChange& f : r.changes[0].fields) fields.push_back(f.field + ": " + f.before + " -> " + f.after);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"name: Association A -> Association A2",
                                      "services[svc-a].opening_hours: Mo-Fr 09:00-17:00 -> Mo-Fr 10:00-17:00"}));
  EXPECT_TRUE(r.changes[1].created);
  EXPECT_EQ(r.changes[1].name, "Foyer B");
  bool address = false;
  for (const FieldChange& f : r.changes[1].fields) {
    EXPECT_TRUE(f.before.empty()) << f.field;
    if (f.field == "locations[loc-b].addresses[0].address_1") address = f.after == "3 impasse Secrète";
  }
  EXPECT_TRUE(address) << "a created organization lists every field, confidential places included";

  report = Import(Format::kCsv, Csv({kRowA}), ImportMode::kAllOrNothing, DryRun::kYes);
  EXPECT_EQ(report.value().unchanged_organization_ids, std::vector<std::string>{"org-a"});
  EXPECT_TRUE(report.value().changes.empty());
}

TEST(DiffOrganizations, NamesWhatAFileRemoves) {
  Organization before;
  before.id = "org";
  before.name = "Org";
  Service kept, dropped;
  kept.id = "svc-1";
  kept.name = "Gardé";
  dropped.id = "svc-2";
  dropped.name = "Supprimé";
  before.services = {kept, dropped};
  Organization after = before;
  after.services = {kept};
  const auto changes = DiffOrganizations(before, after);
  ASSERT_FALSE(changes.empty());
  EXPECT_EQ(changes[0].field, "services[svc-2].name");
  EXPECT_EQ(changes[0].before, "Supprimé");
  EXPECT_EQ(changes[0].after, "");
  EXPECT_TRUE(DiffOrganizations(before, before).empty());
}

TEST_P(ImportTest, BeforeCommitRunsInTheTransactionOfAWrittenImportOnly) {
  std::size_t calls = 0;
  const BeforeCommit count = [&](soci::session&, const ImportReport& report) {
    EXPECT_TRUE(report.written);
    ++calls;
  };
  std::istringstream dry(Csv({kRowA}));
  ASSERT_TRUE(ImportDirectory(*db_, Format::kCsv, "paris-10", dry, ImportMode::kAllOrNothing, DryRun::kYes, {}, count));
  EXPECT_EQ(calls, 0u);
  std::istringstream in(Csv({kRowA}));
  ASSERT_TRUE(ImportDirectory(*db_, Format::kCsv, "paris-10", in, ImportMode::kAllOrNothing, DryRun::kNo, {}, count));
  EXPECT_EQ(calls, 1u);
  // A failure of the hook rolls the import back.
  std::istringstream again(Csv({kRowB}));
  EXPECT_THROW((void)ImportDirectory(*db_, Format::kCsv, "paris-10", again, ImportMode::kAllOrNothing, DryRun::kNo, {},
                                     [](soci::session&, const ImportReport&) { throw std::runtime_error("audit"); }),
               std::runtime_error);
  soci::session sql(db_->pool());
  EXPECT_FALSE(DirectoryRepository(sql).Find("org-b"));
}

TEST_P(ImportTest, PendingImportsAreFoundByTheirOwnerOnlyAndExpire) {
  PendingImports files(*db_);
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
  const std::string id = files.Keep({"", "paris-10", "acc-1", Format::kHsds, "a.json", kHsds}, now);
  EXPECT_EQ(id.size(), 32u);
  const auto found = files.Find(id, "paris-10", "acc-1", now + std::chrono::minutes(59));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->format, Format::kHsds);
  EXPECT_EQ(found->filename, "a.json");
  EXPECT_EQ(found->content, kHsds);
  EXPECT_FALSE(files.Find(id, "paris-10", "acc-2", now));
  EXPECT_FALSE(files.Find(id, "lille", "acc-1", now));
  EXPECT_FALSE(files.Find(id, "paris-10", "acc-1", now + std::chrono::minutes(61)));
  // A later upload removes the expired ones; Forget removes one.
  const std::string later =
      files.Keep({"", "paris-10", "acc-1", Format::kCsv, "b.csv", "x"}, now + std::chrono::hours(2));
  EXPECT_EQ(Count("console_import_upload"), 1);
  {
    soci::session sql(db_->pool());
    PendingImports::Forget(sql, later);
  }
  EXPECT_EQ(Count("console_import_upload"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportTest,
                         ::testing::Values(core::DatabaseBackend::kSqlite, core::DatabaseBackend::kPostgresql),
                         BackendName);

}  // namespace
}  // namespace passerelle::directory::testing
