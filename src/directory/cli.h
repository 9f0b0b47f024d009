#pragma once

#include <functional>
#include <memory>
#include <string>

#include "storage/database.h"

namespace passerelle::directory {

// `passerelle import` (docs/data-formats.md).
struct ImportOptions {
  std::string format;     // "hsds" or "csv"
  std::string territory;  // slug
  std::string file;       // path, or "-" for standard input
  bool dry_run = false;
  bool skip_invalid = false;
};
// `passerelle export`, to standard output.
struct ExportOptions {
  std::string format;     // "hsds" or "csv"
  std::string territory;  // "" = every territory
  bool include_confidential = false;
};

// Each returns the process exit code; `open_database` gives the migrated database.
int RunImport(const ImportOptions& options, const std::function<std::unique_ptr<storage::Database>()>& open_database);
int RunExport(const ExportOptions& options, const std::function<std::unique_ptr<storage::Database>()>& open_database);

}  // namespace passerelle::directory
