#pragma once

#include <filesystem>
#include <vector>

#include "core/config.h"
#include "core/result.h"
#include "storage/migrations.h"

namespace passerelle::storage {

// What a backup or a restore copied: the migration versions applied in that database.
struct CopySummary {
  std::vector<int> versions;
};

enum class Overwrite { kNo, kYes };

// `passerelle backup` (docs/operations.md): a consistent copy of a live SQLite database into
// `to`, a new self-contained file (0600, no -wal beside it), made with SQLite's online backup
// API in one read transaction: the server keeps serving and writing while it runs, and the copy
// is the database as of one commit. Expected failures: a PostgreSQL URL (kInvalidInput: pg_dump
// is the tool), a missing source or one that is not a Passerelle database (kNotFound /
// kInvalidInput), an existing `to` (kConflict). I/O and SQLite failures throw
// InfrastructureError. The copy holds no secret key: the server key stays in the data folder.
core::Result<CopySummary> BackupSqlite(const core::DatabaseUrl& from, const std::filesystem::path& to);

// `passerelle restore`: checks that `from` is a sound SQLite file (quick_check) holding a
// Passerelle database whose applied migrations are all among `known` (not made by a newer
// release), then copies it into the database `to` with the same API (a live server on `to` makes
// it fail busy rather than tear pages). Refuses a target that already holds tables unless
// `overwrite` is kYes (kConflict), and a PostgreSQL target (kInvalidInput: pg_restore). The
// migrations that `from` lacks are applied by the next `migrate` or `serve`.
core::Result<CopySummary> RestoreSqlite(const std::filesystem::path& from, const core::DatabaseUrl& to,
                                        const std::vector<Migration>& known, Overwrite overwrite);

}  // namespace passerelle::storage
