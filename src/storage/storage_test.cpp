// The same storage cases run against SQLite and against a real PostgreSQL server. The
// PostgreSQL URL comes from PASSERELLE_TEST_PG_URL (tests/pg/with-postgres.sh starts a
// throw-away server and sets it). When PASSERELLE_REQUIRE_PG=1 (as in `make test`), a missing
// server is a failure, not a skip.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/crypto.h"
#include "storage/database.h"
#include "storage/migrations.h"
#include "storage/testing.h"

namespace passerelle::storage {
namespace {

namespace fs = std::filesystem;

fs::path MigrationsDir() {
  const char* assets = std::getenv("PASSERELLE_ASSETS_DIR");
  return fs::path(assets ? assets : ".") / "migrations";
}

class StorageTest : public testing::BackendTest {
 protected:
  long long CountOf(const std::string& kind) {
    soci::session sql(db_->pool());
    long long count = 0;
    soci::indicator ind = soci::i_ok;
    sql << "SELECT SUM(count) FROM stat_counter WHERE kind = :k", soci::use(kind), soci::into(count, ind);
    return ind == soci::i_null ? 0 : count;
  }
};

TEST_P(StorageTest, PingAnswers) { EXPECT_TRUE(db_->Ping()); }

TEST_P(StorageTest, MigrationsAreRecordedAndApplyOnlyOnce) {
  const auto migrations = LoadMigrations(MigrationsDir());
  ASSERT_FALSE(migrations.empty());
  EXPECT_TRUE(ApplyMigrations(*db_, migrations).empty());
  const auto applied = AppliedMigrations(*db_);
  ASSERT_EQ(applied.size(), migrations.size());
  EXPECT_EQ(applied.front(), 1);
}

TEST_P(StorageTest, CommittedTransactionIsVisibleFromAnotherConnection) {
  db_->InTransaction([](soci::session& sql) {
    sql << "INSERT INTO stat_counter (day, territory_slug, kind, detail, count) "
           "VALUES ('2026-11-23', 't', 'committed', '', 3)";
  });
  EXPECT_EQ(CountOf("committed"), 3);
}

TEST_P(StorageTest, ThrowingTransactionLeavesNoTrace) {
  EXPECT_THROW(db_->InTransaction([](soci::session& sql) {
    sql << "INSERT INTO stat_counter (day, territory_slug, kind, detail, count) "
           "VALUES ('2026-11-23', 't', 'rolled_back', '', 1)";
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_EQ(CountOf("rolled_back"), 0);
}

TEST_P(StorageTest, RelaxedTransactionsCommitAndRollBackLikeDurableOnes) {
  db_->InTransaction(
      [](soci::session& sql) {
        sql << "INSERT INTO stat_counter (day, territory_slug, kind, detail, count) "
               "VALUES ('2026-11-23', 't', 'relaxed', '', 2)";
      },
      Database::Durability::kRelaxed);
  EXPECT_EQ(CountOf("relaxed"), 2);
  EXPECT_THROW(db_->InTransaction(
                   [](soci::session& sql) {
                     sql << "INSERT INTO stat_counter (day, territory_slug, kind, detail, count) "
                            "VALUES ('2026-11-23', 't', 'relaxed_rolled_back', '', 1)";
                     throw std::runtime_error("boom");
                   },
                   Database::Durability::kRelaxed),
               std::runtime_error);
  EXPECT_EQ(CountOf("relaxed_rolled_back"), 0);
  // The relaxation is the transaction's own: a durable transaction after it is synchronous.
  const bool sqlite = GetParam() == core::DatabaseBackend::kSqlite;
  const auto setting = [sqlite](soci::session& sql) {
    std::string value;
    if (sqlite) {
      int synchronous = -1;
      sql << "PRAGMA synchronous", soci::into(synchronous);
      value = std::to_string(synchronous);
    } else {
      sql << "SHOW synchronous_commit", soci::into(value);
    }
    return value;
  };
  EXPECT_EQ(db_->InTransaction(setting, Database::Durability::kRelaxed), sqlite ? "1" : "off");  // NORMAL
  EXPECT_EQ(db_->InTransaction(setting), sqlite ? "2" : "on");                                   // FULL
}

TEST_P(StorageTest, ConstraintViolationRollsBackTheWholeTransaction) {
  EXPECT_THROW(db_->InTransaction([](soci::session& sql) {
    sql << "INSERT INTO stat_counter (day, territory_slug, kind, detail, count) "
           "VALUES ('2026-11-23', 't', 'dup', '', 1)";
    sql << "INSERT INTO stat_counter (day, territory_slug, kind, detail, count) "
           "VALUES ('2026-11-23', 't', 'dup', '', 1)";
  }),
               soci::soci_error);
  EXPECT_EQ(CountOf("dup"), 0);
}

TEST_P(StorageTest, ForeignKeysAreEnforced) {
  soci::session sql(db_->pool());
  EXPECT_THROW(sql << "INSERT INTO territory_commune (territory_slug, insee_code, name, "
                      "postal_code) VALUES ('nowhere', '75110', 'x', '75010')",
               soci::soci_error);
}

TEST_P(StorageTest, ConcurrentUpsertsFromThePoolLoseNoIncrement) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this] {
      for (int i = 0; i < kPerThread; ++i) {
        db_->InTransaction([](soci::session& sql) {
          sql << "INSERT INTO stat_counter (day, territory_slug, kind, detail, count) "
                 "VALUES ('2026-11-23', 't', 'race', '', 1) "
                 "ON CONFLICT (day, territory_slug, kind, detail) "
                 "DO UPDATE SET count = stat_counter.count + 1";
        });
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(CountOf("race"), kThreads * kPerThread);
}

TEST_P(StorageTest, OptionalValuesRoundTripAsNull) {
  soci::session sql(db_->pool());
  sql << "CREATE TABLE opt_test (id INTEGER PRIMARY KEY, note TEXT)";
  std::optional<std::string> none;
  std::optional<std::string> some = "là";
  sql << "INSERT INTO opt_test (id, note) VALUES (1, :n)", soci::use(none);
  sql << "INSERT INTO opt_test (id, note) VALUES (2, :n)", soci::use(some);
  std::optional<std::string> read_none = "x", read_some;
  sql << "SELECT note FROM opt_test WHERE id = 1", soci::into(read_none);
  sql << "SELECT note FROM opt_test WHERE id = 2", soci::into(read_some);
  EXPECT_FALSE(read_none.has_value());
  EXPECT_EQ(read_some, "là");
}

TEST_P(StorageTest, DatabaseErrorsAreDescribedWithoutBoundValues) {
  soci::session sql(db_->pool());
  const std::string secret = "Marie Dupont 06 12 34 56 78";
  try {
    sql << "INSERT INTO no_such_table (x) VALUES (:x)", soci::use(secret);
    FAIL() << "expected a soci_error";
  } catch (const soci::soci_error& e) {
    const auto description = DescribeDatabaseError(e);
    ASSERT_TRUE(description.has_value());
    EXPECT_EQ(description->find("Marie"), std::string::npos) << *description;
  }
}

TEST(SqliteOnly, PragmasAreInEffect) {
  core::InitCrypto();
  const fs::path dir = fs::temp_directory_path() / ("passerelle-pragma-" + core::RandomHex(6));
  fs::create_directories(dir);
  {
    auto db = Database::Open(core::ParseDatabaseUrl("sqlite:" + (dir / "p.db").string()), 2);
    soci::session sql(db->pool());
    std::string journal;
    int synchronous = -1, foreign_keys = -1, busy = -1;
    sql << "PRAGMA journal_mode", soci::into(journal);
    sql << "PRAGMA synchronous", soci::into(synchronous);
    sql << "PRAGMA foreign_keys", soci::into(foreign_keys);
    sql << "PRAGMA busy_timeout", soci::into(busy);
    EXPECT_EQ(journal, "wal");
    EXPECT_EQ(synchronous, 2);  // FULL
    EXPECT_EQ(foreign_keys, 1);
    EXPECT_GT(busy, 0);
  }
  fs::remove_all(dir);
}

TEST(SqliteOnly, DatabaseWalAndShmAreReadableByTheOwnerOnly) {
  // Issue 15: they were created 0644 (under the usual umask 022) while server.key is 0600.
  core::InitCrypto();
  const fs::path dir = fs::temp_directory_path() / ("passerelle-mode-" + core::RandomHex(6));
  fs::create_directories(dir);
  const mode_t previous = ::umask(022);
  {
    auto db = Database::Open(core::ParseDatabaseUrl("sqlite:" + (dir / "p.db").string()), 2);
    soci::session sql(db->pool());
    sql << "CREATE TABLE t (x INTEGER)";
    sql << "INSERT INTO t VALUES (1)";
    for (const char* name : {"p.db", "p.db-wal", "p.db-shm"}) {
      ASSERT_TRUE(fs::exists(dir / name)) << name;
      EXPECT_EQ(fs::status(dir / name).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write)
          << name;
    }
  }
  // A database of an older install (0644, with its WAL) is narrowed when opened.
  fs::permissions(dir / "p.db",
                  fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
  {
    auto db = Database::Open(core::ParseDatabaseUrl("sqlite:" + (dir / "p.db").string()), 1);
    EXPECT_EQ(fs::status(dir / "p.db").permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
  }
  ::umask(previous);
  fs::remove_all(dir);
}

TEST(Migrations, MalformedFileNameIsRefusedWithItsPath) {
  const fs::path dir = fs::temp_directory_path() / ("passerelle-mig-" + core::RandomHex(6));
  fs::create_directories(dir);
  std::ofstream(dir / "1_bad.sql") << "SELECT 1;";
  try {
    (void)LoadMigrations(dir);
    FAIL() << "expected InfrastructureError";
  } catch (const core::InfrastructureError& e) {
    EXPECT_NE(std::string(e.what()).find("1_bad.sql"), std::string::npos);
  }
  fs::remove_all(dir);
}

TEST(Migrations, StatementsAreSplitAtLineEndSemicolonsIgnoringComments) {
  const fs::path dir = fs::temp_directory_path() / ("passerelle-mig-" + core::RandomHex(6));
  fs::create_directories(dir);
  std::ofstream(dir / "0001_two.sql") << "-- comment; not a statement\nCREATE TABLE a (x INTEGER);\n"
                                         "CREATE TABLE b (\n  y TEXT -- a column;\n);\n";
  const auto migrations = LoadMigrations(dir);
  ASSERT_EQ(migrations.size(), 1u);
  EXPECT_EQ(migrations[0].version, 1);
  EXPECT_EQ(migrations[0].name, "two");
  ASSERT_EQ(migrations[0].statements.size(), 2u);
  EXPECT_EQ(migrations[0].statements[0], "CREATE TABLE a (x INTEGER)");
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Backends, StorageTest,
                         ::testing::Values(core::DatabaseBackend::kSqlite, core::DatabaseBackend::kPostgresql),
                         testing::BackendName);

}  // namespace
}  // namespace passerelle::storage
