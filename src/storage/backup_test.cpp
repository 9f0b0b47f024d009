// `passerelle backup` / `restore` at the storage level (SQLite; PostgreSQL is refused and left to
// pg_dump, whose round trip tests/integration/backup.test.mjs checks).
#include "storage/backup.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include "core/crypto.h"
#include "storage/database.h"
#include "storage/migrations.h"
#include "storage/testing.h"

namespace passerelle::storage {
namespace {

namespace fs = std::filesystem;

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    core::InitCrypto();
    dir_ = fs::temp_directory_path() / ("passerelle-backup-test-" + core::RandomHex(6));
    fs::create_directories(dir_);
    migrations_ = LoadMigrations(testing::AssetsDir() / "migrations");
    db_ = Open(dir_ / "live.db");
  }
  void TearDown() override {
    db_.reset();
    fs::remove_all(dir_);
  }

  std::unique_ptr<Database> Open(const fs::path& path) {
    auto db = Database::Open(Url(path), 2);
    ApplyMigrations(*db, migrations_);
    return db;
  }
  static core::DatabaseUrl Url(const fs::path& path) { return core::ParseDatabaseUrl("sqlite:" + path.string()); }

  // Two counters written in the same transaction: a consistent copy has equal sums.
  static void WritePair(Database& db, int n) {
    db.InTransaction([&](soci::session& sql) {
      const std::string day = "2026-12-" + std::to_string(1 + n % 28);
      const std::string detail = std::to_string(n);
      sql << "INSERT INTO stat_counter (day, territory_slug, kind, detail, count) VALUES (:d, 't', 'left', :n, 1)",
          soci::use(day), soci::use(detail);
      sql << "INSERT INTO stat_counter (day, territory_slug, kind, detail, count) VALUES (:d, 't', 'right', :n, 1)",
          soci::use(day), soci::use(detail);
    });
  }
  static long long Sum(Database& db, const std::string& kind) {
    soci::session sql(db.pool());
    long long count = 0;
    soci::indicator ind = soci::i_ok;
    sql << "SELECT SUM(count) FROM stat_counter WHERE kind = :k", soci::use(kind), soci::into(count, ind);
    return ind == soci::i_null ? 0 : count;
  }

  fs::path dir_;
  std::vector<Migration> migrations_;
  std::unique_ptr<Database> db_;
};

TEST_F(BackupTest, CopiesALiveDatabaseAsOfOneCommitAndRestoresIt) {
  for (int n = 0; n < 50; ++n) WritePair(*db_, n);
  std::atomic<bool> stop = false;
  std::atomic<int> written = 50;
  std::thread writer([&] {
    while (!stop) WritePair(*db_, written++);
  });
  const fs::path copy = dir_ / "copy.db";
  std::optional<core::Result<CopySummary>> backup;
  try {
    backup = BackupSqlite(Url(dir_ / "live.db"), copy);
  } catch (const std::exception& e) {
    ADD_FAILURE() << e.what();
  }
  stop = true;
  writer.join();
  ASSERT_TRUE(backup && *backup) << (backup ? backup->error().internal_detail : "threw");
  EXPECT_EQ(backup->value().versions.size(), migrations_.size());

  struct stat info {};
  ASSERT_EQ(::stat(copy.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_FALSE(fs::exists(copy.string() + "-wal")) << "the copy is one self-contained file";
  EXPECT_FALSE(fs::exists(copy.string() + ".partial"));

  const fs::path restored_path = dir_ / "restored" / "p.db";
  auto restored = RestoreSqlite(copy, Url(restored_path), migrations_, Overwrite::kNo);
  ASSERT_TRUE(restored) << restored.error().internal_detail;
  EXPECT_EQ(restored.value().versions, backup->value().versions);
  ASSERT_EQ(::stat(restored_path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);

  auto db = Open(restored_path);
  const long long left = Sum(*db, "left");
  EXPECT_GE(left, 50);
  EXPECT_LE(left, written.load());
  EXPECT_EQ(Sum(*db, "right"), left) << "no transaction is half in the copy";
  EXPECT_TRUE(ApplyMigrations(*db, migrations_).empty()) << "the copy is at the same migration";
}

TEST_F(BackupTest, RefusesWhatItCannotCopySafely) {
  const fs::path copy = dir_ / "copy.db";
  { std::ofstream(copy) << "x"; }
  auto existing = BackupSqlite(Url(dir_ / "live.db"), copy);
  ASSERT_FALSE(existing);
  EXPECT_EQ(existing.error().code, core::ErrorCode::kConflict);
  std::ifstream in(copy);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "x") << "an existing file is left alone";

  auto missing = BackupSqlite(Url(dir_ / "none.db"), dir_ / "b.db");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
  EXPECT_FALSE(fs::exists(dir_ / "none.db")) << "no empty database is created";

  auto postgresql = BackupSqlite(core::ParseDatabaseUrl("postgresql://u@127.0.0.1:5432/p"), dir_ / "b.db");
  ASSERT_FALSE(postgresql);
  EXPECT_EQ(postgresql.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_NE(postgresql.error().public_message.find("pg_dump"), std::string::npos);

  {  // An SQLite database that is not Passerelle's.
    auto other = Database::Open(Url(dir_ / "other.db"), 1);
    soci::session sql(other->pool());
    sql << "CREATE TABLE t (x INTEGER)";
  }
  auto foreign = BackupSqlite(Url(dir_ / "other.db"), dir_ / "b.db");
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_FALSE(fs::exists(dir_ / "b.db"));
}

TEST_F(BackupTest, RestoreChecksTheFileAndDoesNotOverwriteByDefault) {
  WritePair(*db_, 1);
  const fs::path copy = dir_ / "copy.db";
  ASSERT_TRUE(BackupSqlite(Url(dir_ / "live.db"), copy));

  // A target that holds a database: refused, untouched; with Overwrite::kYes, replaced.
  const fs::path target = dir_ / "target.db";
  {
    auto other = Open(target);
    for (int n = 0; n < 5; ++n) WritePair(*other, 100 + n);
  }
  auto refused = RestoreSqlite(copy, Url(target), migrations_, Overwrite::kNo);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::ErrorCode::kConflict);
  EXPECT_EQ(Sum(*Open(target), "left"), 5);
  auto forced = RestoreSqlite(copy, Url(target), migrations_, Overwrite::kYes);
  ASSERT_TRUE(forced) << forced.error().internal_detail;
  EXPECT_EQ(Sum(*Open(target), "left"), 1);

  // Not a database, not Passerelle's, or made by a newer release: refused.
  const fs::path garbage = dir_ / "garbage.db";
  { std::ofstream(garbage) << std::string(8192, 'g'); }
  auto not_database = RestoreSqlite(garbage, Url(dir_ / "n1.db"), migrations_, Overwrite::kNo);
  ASSERT_FALSE(not_database);
  EXPECT_EQ(not_database.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_FALSE(fs::exists(dir_ / "n1.db"));

  {
    auto newer = Database::Open(Url(copy), 1);
    soci::session sql(newer->pool());
    sql << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)";
  }
  auto future = RestoreSqlite(copy, Url(dir_ / "n2.db"), migrations_, Overwrite::kNo);
  ASSERT_FALSE(future);
  EXPECT_EQ(future.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_NE(future.error().public_message.find("9999"), std::string::npos);

  auto missing = RestoreSqlite(dir_ / "none.db", Url(dir_ / "n3.db"), migrations_, Overwrite::kNo);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);

  auto postgresql =
      RestoreSqlite(copy, core::ParseDatabaseUrl("postgresql://u@127.0.0.1:5432/p"), migrations_, Overwrite::kYes);
  ASSERT_FALSE(postgresql);
  EXPECT_NE(postgresql.error().public_message.find("pg_restore"), std::string::npos);
}

}  // namespace
}  // namespace passerelle::storage
