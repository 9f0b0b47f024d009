#include "storage/backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

#include "core/error.h"

namespace passerelle::storage {

namespace {

namespace fs = std::filesystem;

constexpr int kBusyTimeoutMs = 5000;
// sqlite3_backup_step(-1) answers BUSY while a writer holds the destination (a live server on a
// restore target) or, rarely, LOCKED: retried this many times, 100 ms apart.
constexpr int kBackupAttempts = 50;
constexpr auto kBackupRetryDelay = std::chrono::milliseconds(100);

constexpr const char* kListMigrations = "SELECT version FROM schema_migrations ORDER BY version";
constexpr const char* kHasMigrationsTable =
    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
constexpr const char* kCountTables = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'";

core::Error Refused(core::ErrorCode code, std::string message) {
  return core::Error{code, message, std::move(message)};
}

// One raw SQLite connection (SOCI's pool has no backup API): closed on every path.
class Connection {
 public:
  // Returns nullptr in `out` (and the reason) when the file cannot be opened with `flags`.
  static std::string Open(const fs::path& path, int flags, Connection& out) {
    sqlite3* handle = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
    out.db_ = handle;
    if (rc != SQLITE_OK) return handle != nullptr ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);
    sqlite3_busy_timeout(handle, kBusyTimeoutMs);
    return {};
  }
  Connection() = default;
  ~Connection() { sqlite3_close_v2(db_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  sqlite3* get() const { return db_; }

  // Runs a statement that returns rows of one integer (or none); throws on an SQLite error.
  std::vector<long long> Integers(const char* sql) const {
    sqlite3_stmt* statement = nullptr;
    std::vector<long long> values;
    int rc = sqlite3_prepare_v2(db_, sql, -1, &statement, nullptr);
    if (rc == SQLITE_OK) {
      while ((rc = sqlite3_step(statement)) == SQLITE_ROW) values.push_back(sqlite3_column_int64(statement, 0));
    }
    sqlite3_finalize(statement);
    if (rc != SQLITE_DONE) throw core::InfrastructureError(std::string("sqlite: ") + sqlite3_errmsg(db_));
    return values;
  }

  // `PRAGMA quick_check`: "ok", or the first problem (a file that is not a database included).
  std::string QuickCheck() const {
    sqlite3_stmt* statement = nullptr;
    std::string answer;
    int rc = sqlite3_prepare_v2(db_, "PRAGMA quick_check", -1, &statement, nullptr);
    if (rc == SQLITE_OK && sqlite3_step(statement) == SQLITE_ROW) {
      answer = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    } else {
      answer = sqlite3_errmsg(db_);
    }
    sqlite3_finalize(statement);
    return answer;
  }

  void Execute(const char* sql) const {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      const std::string text = message != nullptr ? message : "unknown error";
      sqlite3_free(message);
      throw core::InfrastructureError("sqlite: " + text);
    }
  }

 private:
  sqlite3* db_ = nullptr;
};

// The applied migrations of a Passerelle database, or why it is not one.
core::Result<std::vector<int>> PasserelleVersions(const Connection& db, const fs::path& path) {
  const std::string check = db.QuickCheck();
  if (check != "ok") {
    return Refused(core::ErrorCode::kInvalidInput, path.string() + " is not a sound SQLite database: " + check);
  }
  if (db.Integers(kHasMigrationsTable).front() == 0) {
    return Refused(core::ErrorCode::kInvalidInput,
                   path.string() + " is not a Passerelle database (no schema_migrations table)");
  }
  std::vector<int> versions;
  for (long long v : db.Integers(kListMigrations)) versions.push_back(static_cast<int>(v));
  if (versions.empty()) {
    return Refused(core::ErrorCode::kInvalidInput,
                   path.string() + " is not a Passerelle database (no migration applied)");
  }
  return versions;
}

// Creates `path` empty and 0600 (SQLite would create it with the umask, 0644 by default).
void CreatePrivateFile(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw core::InfrastructureError("cannot create " + path.string());
  ::close(fd);
}

// Copies every page of `from` into `to` in one step (one read transaction on `from`).
void CopyPages(const Connection& from, const Connection& to, const std::string& what) {
  sqlite3_backup* backup = sqlite3_backup_init(to.get(), "main", from.get(), "main");
  if (backup == nullptr) throw core::InfrastructureError(what + ": " + sqlite3_errmsg(to.get()));
  int rc = SQLITE_OK;
  for (int attempt = 0; attempt < kBackupAttempts; ++attempt) {
    rc = sqlite3_backup_step(backup, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    std::this_thread::sleep_for(kBackupRetryDelay);
  }
  sqlite3_backup_finish(backup);
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    throw core::InfrastructureError(what + ": the database stayed busy (is a server running on the target?)");
  }
  if (rc != SQLITE_DONE) throw core::InfrastructureError(what + ": " + std::string(sqlite3_errstr(rc)));
}

}  // namespace

core::Result<CopySummary> BackupSqlite(const core::DatabaseUrl& from, const fs::path& to) {
  if (from.backend != core::DatabaseBackend::kSqlite) {
    return Refused(core::ErrorCode::kInvalidInput,
                   "a PostgreSQL database is backed up with pg_dump, not `passerelle backup`: "
                   "pg_dump --format=custom --file=FILE URL (docs/operations.md)");
  }
  const fs::path source_path = from.sqlite_path;
  if (!fs::exists(source_path)) return Refused(core::ErrorCode::kNotFound, "no database at " + source_path.string());
  if (fs::exists(to)) return Refused(core::ErrorCode::kConflict, to.string() + " already exists: give a new file name");

  Connection source;
  if (auto error = Connection::Open(source_path, SQLITE_OPEN_READWRITE, source); !error.empty()) {
    return Refused(core::ErrorCode::kInvalidInput, "cannot open " + source_path.string() + ": " + error);
  }
  auto versions = PasserelleVersions(source, source_path);
  if (!versions) return versions.error();

  // Written beside the target, renamed once complete: an interrupted backup leaves no file that
  // looks like a good one.
  const fs::path partial = fs::path(to.string() + ".partial");
  fs::remove(partial);
  CreatePrivateFile(partial);
  try {
    Connection copy;
    if (auto error = Connection::Open(partial, SQLITE_OPEN_READWRITE, copy); !error.empty()) {
      throw core::InfrastructureError("cannot open " + partial.string() + ": " + error);
    }
    CopyPages(source, copy, "backup");
    // The source is in WAL mode and its header says so; the copy is one self-contained file.
    copy.Execute("PRAGMA journal_mode=DELETE");
    auto copied = PasserelleVersions(copy, partial);
    if (!copied || copied.value() != versions.value()) {
      throw core::InfrastructureError("backup: the copy does not read back as the database it was made from");
    }
  } catch (...) {
    fs::remove(partial);
    throw;
  }
  fs::rename(partial, to);
  return CopySummary{versions.value()};
}

core::Result<CopySummary> RestoreSqlite(const fs::path& from, const core::DatabaseUrl& to,
                                        const std::vector<Migration>& known, Overwrite overwrite) {
  if (to.backend != core::DatabaseBackend::kSqlite) {
    return Refused(core::ErrorCode::kInvalidInput,
                   "a PostgreSQL database is restored with pg_restore, not `passerelle restore`: "
                   "pg_restore --clean --if-exists --no-owner --dbname=URL FILE (docs/operations.md)");
  }
  if (!fs::is_regular_file(from)) return Refused(core::ErrorCode::kNotFound, "no backup file at " + from.string());

  Connection source;
  if (auto error = Connection::Open(from, SQLITE_OPEN_READONLY, source); !error.empty()) {
    return Refused(core::ErrorCode::kInvalidInput, "cannot open " + from.string() + ": " + error);
  }
  auto versions = PasserelleVersions(source, from);
  if (!versions) return versions.error();
  for (int version : versions.value()) {
    const bool is_known =
        std::any_of(known.begin(), known.end(), [&](const Migration& m) { return m.version == version; });
    if (!is_known) {
      return Refused(core::ErrorCode::kInvalidInput,
                     from.string() + " has migration " + std::to_string(version) +
                         ", unknown to this release: restore it with the release that made it");
    }
  }

  const fs::path target_path = to.sqlite_path;
  if (fs::exists(target_path)) {
    Connection existing;
    if (auto error = Connection::Open(target_path, SQLITE_OPEN_READWRITE, existing); !error.empty()) {
      return Refused(core::ErrorCode::kInvalidInput, "cannot open " + target_path.string() + ": " + error);
    }
    if (existing.Integers(kCountTables).front() > 0 && overwrite == Overwrite::kNo) {
      return Refused(core::ErrorCode::kConflict,
                     target_path.string() + " already holds a database: stop its server, keep a copy, and use --force");
    }
  } else {
    if (!target_path.parent_path().empty()) fs::create_directories(target_path.parent_path());
    CreatePrivateFile(target_path);
  }
  Connection target;
  if (auto error = Connection::Open(target_path, SQLITE_OPEN_READWRITE, target); !error.empty()) {
    throw core::InfrastructureError("cannot open " + target_path.string() + ": " + error);
  }
  CopyPages(source, target, "restore");
  auto restored = PasserelleVersions(target, target_path);
  if (!restored || restored.value() != versions.value()) {
    throw core::InfrastructureError("restore: the target does not read back as the backup");
  }
  return CopySummary{versions.value()};
}

}  // namespace passerelle::storage
