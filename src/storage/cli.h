#pragma once

#include <string>

namespace passerelle::storage {

// `passerelle backup --to FILE` (docs/operations.md): a consistent copy of the live SQLite
// database of `database_url` (PostgreSQL: refused, pointing at pg_dump). 0, or 1 with the reason
// on stderr.
int RunBackup(const std::string& database_url, const std::string& to);
// `passerelle restore --from FILE [--force]`: a backup into the database of `database_url`, which
// must be empty unless `force`; the known migrations are read under `assets_dir`/migrations/.
// 0, or 1 with the reason on stderr.
int RunRestore(const std::string& database_url, const std::string& assets_dir, const std::string& from, bool force);

}  // namespace passerelle::storage
