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

// The uploaded files, kept in the database (so that any instance can apply them) for
// kLifetime at most.
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

 private:
  storage::Database& db_;
};

}  // namespace passerelle::directory
