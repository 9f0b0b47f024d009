#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"
#include "directory/import.h"
#include "storage/database.h"

namespace passerelle::directory {

struct DemoFileReport {
  std::filesystem::path file;
  std::string territory_slug;
  ImportReport report;
};

// Imports every demonstration file of `dir` (content/demo/) through the ordinary import:
// `<territory slug>.hsds.json` (HSDS) or `<territory slug>.csv` (CSV), in name order, each all or
// nothing. The territories must exist already (territory::DemoTerritories). Loading twice
// changes nothing. An error names the file and lists its rejected entries.
core::Result<std::vector<DemoFileReport>> LoadDemoDirectory(storage::Database& db, const std::filesystem::path& dir);

}  // namespace passerelle::directory
