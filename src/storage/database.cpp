#include "storage/database.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"

namespace passerelle::storage {

namespace {

constexpr int kSqliteBusyTimeoutMs = 5000;
constexpr std::size_t kRelaxedPoolSize = 2;  // kRelaxed transactions on SQLite: writes queue anyway

std::string SqliteConnectString(const std::string& path) {
  // SOCI's connect string quotes values with double quotes.
  return "db=\"" + path + "\" timeout=" + std::to_string(kSqliteBusyTimeoutMs / 1000);
}

// The database holds sealed referrals and account data: readable by its owner only, like
// server.key (issue 15). SQLite creates the -wal and -shm files with the mode of the database
// file, so creating that one 0600 is enough; files of an older install are narrowed too.
void RestrictSqliteFiles(const std::string& path) {
  if (path.empty() || path == ":memory:") return;
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw core::InfrastructureError("cannot open the SQLite database file " + path + ": " + std::strerror(errno));
  }
  ::close(fd);
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    const std::string file = path + suffix;
    if (::chmod(file.c_str(), 0600) != 0 && errno != ENOENT) {
      throw core::InfrastructureError("cannot make " + file + " private (chmod 600): " + std::strerror(errno));
    }
  }
}

}  // namespace

Database::Database(core::DatabaseBackend backend, std::size_t pool_size)
    : backend_(backend), pool_(std::make_unique<soci::connection_pool>(pool_size)) {}

Database::~Database() = default;

std::unique_ptr<Database> Database::Open(const core::DatabaseUrl& url, std::size_t pool_size) {
  std::unique_ptr<Database> db(new Database(url.backend, pool_size));
  if (url.backend == core::DatabaseBackend::kSqlite) RestrictSqliteFiles(url.sqlite_path);
  for (std::size_t i = 0; i < pool_size; ++i) {
    soci::session& sql = db->pool_->at(i);
    if (url.backend == core::DatabaseBackend::kSqlite) {
      sql.open(soci::sqlite3, SqliteConnectString(url.sqlite_path));
      sql << "PRAGMA journal_mode=WAL";
      sql << "PRAGMA synchronous=FULL";
      sql << "PRAGMA foreign_keys=ON";
      sql << "PRAGMA busy_timeout=" + std::to_string(kSqliteBusyTimeoutMs);
    } else {
      sql.open(soci::postgresql, url.postgresql_conninfo);
      sql << "SET synchronous_commit = on";
      sql << "SET client_min_messages = warning";
    }
  }
  if (url.backend == core::DatabaseBackend::kSqlite) {
    // kRelaxed transactions (InTransaction): their own connections, never switched back and forth.
    db->relaxed_pool_ = std::make_unique<soci::connection_pool>(kRelaxedPoolSize);
    for (std::size_t i = 0; i < kRelaxedPoolSize; ++i) {
      soci::session& sql = db->relaxed_pool_->at(i);
      sql.open(soci::sqlite3, SqliteConnectString(url.sqlite_path));
      sql << "PRAGMA synchronous=NORMAL";
      sql << "PRAGMA foreign_keys=ON";
      sql << "PRAGMA busy_timeout=" + std::to_string(kSqliteBusyTimeoutMs);
    }
  }
  return db;
}

bool Database::Ping() {
  soci::session sql(*pool_);
  int one = 0;
  sql << "SELECT 1", soci::into(one);
  return one == 1;
}

Database::Transaction::Transaction(soci::session& sql, core::DatabaseBackend backend, Access access,
                                   Durability durability)
    : sql_(sql) {
  const bool sqlite = backend == core::DatabaseBackend::kSqlite;
  if (access == Access::kRead) {
    sql_ << (sqlite ? "BEGIN DEFERRED" : "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    return;
  }
  sql_ << (sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
  // On SQLite a relaxed commit comes from the connection (InTransaction's relaxed pool).
  if (!sqlite && durability == Durability::kRelaxed) {
    try {
      sql_ << "SET LOCAL synchronous_commit = off";
    } catch (...) {
      done_ = true;
      try {
        sql_ << "ROLLBACK";
      } catch (const soci::soci_error&) {
      }
      throw;
    }
  }
}

Database::Transaction::~Transaction() {
  if (done_) return;
  try {
    sql_ << "ROLLBACK";
  } catch (const soci::soci_error&) {
    // The connection is broken; the server rolls the transaction back itself. Destructors
    // must not throw, and the original exception is already on its way up.
  }
}

void Database::Transaction::Commit() {
  sql_ << "COMMIT";
  done_ = true;
}

std::optional<std::string> DescribeDatabaseError(const std::exception& e) {
  if (const auto* soci_error = dynamic_cast<const soci::soci_error*>(&e)) {
    std::string message = soci_error->get_error_message();
    // The first line is the backend's diagnosis; what follows may quote data.
    if (const auto newline = message.find('\n'); newline != std::string::npos) {
      message.resize(newline);
    }
    return "database error: " + message;
  }
  return std::nullopt;
}

}  // namespace passerelle::storage
