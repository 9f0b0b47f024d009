#pragma once

#include <soci/soci.h>

#include <chrono>
#include <optional>
#include <string>

#include "directory/import.h"
#include "storage/database.h"

namespace passerelle::directory {

// A file uploaded to the territory console's import, kept from its dry run to "Appliquer"
// (table console_import_upload, migration 0014; docs/territory-console.md "Import").
struct PendingImport {
  std::string id;
  std::string territory_slug;
  std::string account_id;
  Format format = Format::kCsv;
  std::string filename;
  std::string content;
};

// The check (dry run) or the apply of a kept file, run off the request thread
// (table console_import_job, migration 0018).
enum class ImportJobKind { kCheck, kApply };
enum class ImportJobState {
  kRunning,
  kDone,
  kRefused,      // the file (or the apply) was refused as a whole: nothing written
  kInterrupted,  // the server stopped or failed during the run: nothing written
};

struct ImportJob {
  std::string upload_id;
  ImportJobKind kind = ImportJobKind::kCheck;
  std::string territory_slug;
  std::string account_id;
  std::string filename;
  ImportJobState state = ImportJobState::kRunning;
  std::string result;  // JSON written with the final state (the caller's format)
  long long started_at = 0;
};

// The uploaded files, kept in the database (so that any instance can apply them) for
// kLifetime at most, and their jobs.
class PendingImports {
 public:
  static constexpr std::chrono::seconds kLifetime{3600};

  explicit PendingImports(storage::Database& db) : db_(db) {}

  // Keeps `file` (its id is ignored) and returns its new random id; removes the expired files.
  std::string Keep(PendingImport file, std::chrono::system_clock::time_point now);
  // The file `id` kept for `territory_slug` and `account_id`, unless it has expired.
  std::optional<PendingImport> Find(const std::string& id, const std::string& territory_slug,
                                    const std::string& account_id, std::chrono::system_clock::time_point now) const;
  // Removes the file, in the caller's transaction (the import that applied it).
  static void Forget(soci::session& sql, const std::string& id);
  // Whether the file is still kept (without reading it).
  bool Has(const std::string& id, const std::string& territory_slug, const std::string& account_id,
           std::chrono::system_clock::time_point now) const;

  // Starts `job` (state running, no result) unless the same job of the same file runs already:
  // a row in state running started at or after `running_since` (an older one is taken for
  // interrupted, see docs/territory-console.md "Progress"). False when it runs already.
  bool StartJob(const ImportJob& job, std::chrono::system_clock::time_point now,
                std::chrono::system_clock::time_point running_since);
  // Writes the final state and result, in the caller's transaction (an apply's own).
  static void FinishJob(soci::session& sql, const std::string& upload_id, ImportJobKind kind, ImportJobState state,
                        const std::string& result, std::chrono::system_clock::time_point now);
  // The job of the file `upload_id` for that territory and account, as stored.
  std::optional<ImportJob> FindJob(const std::string& upload_id, ImportJobKind kind, const std::string& territory_slug,
                                   const std::string& account_id) const;
  // Marks interrupted every job still running that started before `before` or in its second
  // (instants are whole seconds: a job killed in the second its server restarted is one of them;
  // a restarted server that alone runs jobs on this database, SQLite). Returns how many.
  std::size_t InterruptJobsStartedBefore(std::chrono::system_clock::time_point before);

 private:
  storage::Database& db_;
};

}  // namespace passerelle::directory
