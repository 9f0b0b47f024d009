#pragma once

#include <cstddef>
#include <string>

namespace passerelle {

// Raw settings as given by flags or environment; each command validates what it uses and
// throws core::ConfigException naming the setting.
struct Settings {
  std::string db = "sqlite:data/passerelle.db";
  std::string listen = "127.0.0.1:8080";
  std::string data_dir = "data";
  std::string assets_dir;  // templates/, static/, content/, migrations/
  std::string exit_url = "https://meteofrance.com/";
  std::string territory;   // territory of this instance's public pages ("" = national)
  std::size_t threads = 4;
  std::size_t post_limit_per_minute = 120;
  // --- annuaire (src/annuaire) ---
  std::string tile_url;                   // map tiles; "" = no map
  std::string tile_attribution;
  std::size_t api_limit_per_minute = 60;  // /api/v1/ requests per client and minute
  int directory_poll_ms = 5000;              // follow directory writes of other processes
  // --- end annuaire ---
};

// Each returns the process exit code.
int RunServe(const Settings& settings);
int RunMigrate(const Settings& settings);
int RunDemo(const Settings& settings, bool only_if_empty);
int RunContentCheck(const Settings& settings);
// `passerelle flow check FILE` (src/help): problems with file and line; 1 on any problem.
int RunFlowCheck(const Settings& settings, const std::string& file);
// `passerelle gazetteer import FILE` / `gazetteer load [FILE]` (src/geo/cli.h).
int RunGazetteerImport(const Settings& settings, const std::string& file);
int RunGazetteerLoad(const Settings& settings, const std::string& file);
// `passerelle gazetteer correct INSEE LAT LON`: exit 0, or 1 with the reason on stderr.
int RunGazetteerCorrect(const Settings& settings, const std::string& insee, double lat, double lon);

// --- directory import/export (src/directory) ---
struct DirectoryImportOptions {
  std::string format;     // "hsds" or "csv"
  std::string territory;  // slug
  std::string file;       // path, or "-" for standard input
  bool dry_run = false;
  bool skip_invalid = false;
};
struct DirectoryExportOptions {
  std::string format;     // "hsds" or "csv"
  std::string territory;  // "" = every territory
  bool include_confidential = false;
};
int RunImport(const Settings& settings, const DirectoryImportOptions& options);
int RunExport(const Settings& settings, const DirectoryExportOptions& options);
// --- end directory ---

}  // namespace passerelle
