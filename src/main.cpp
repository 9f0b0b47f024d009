// The `passerelle` command: parses flags and environment (CLI11 lives in this translation unit
// only, it is slow to compile) and runs one subcommand.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <iostream>

#include "commands.h"
#include "core/config.h"
#include "core/logging.h"
#include "storage/database.h"

#ifndef PASSERELLE_DEFAULT_ASSETS_DIR
#error "PASSERELLE_DEFAULT_ASSETS_DIR must be defined by the build"
#endif

namespace {

constexpr int kConfigErrorExit = 2;

void AddDatabaseOptions(CLI::App& command, passerelle::Settings& s) {
  command.add_option("--db", s.db, "sqlite:PATH or postgresql://user:password@host:port/dbname")
      ->envname("PASSERELLE_DB")
      ->capture_default_str();
  command.add_option("--assets-dir", s.assets_dir, "folder holding templates/, static/, migrations/")
      ->envname("PASSERELLE_ASSETS_DIR")
      ->capture_default_str();
}

}  // namespace

int main(int argc, char** argv) {
  passerelle::core::SetUpLogging();
  passerelle::Settings settings;
  settings.assets_dir = PASSERELLE_DEFAULT_ASSETS_DIR;
  bool only_if_empty = false;

  CLI::App app{"Passerelle: access to rights for victims of domestic violence", "passerelle"};
  app.require_subcommand(1);

  CLI::App* serve = app.add_subcommand("serve", "Serve the site and the API over HTTP");
  AddDatabaseOptions(*serve, settings);
  serve->add_option("--listen", settings.listen, "HOST:PORT to listen on")->envname("PASSERELLE_LISTEN")->capture_default_str();
  serve->add_option("--data-dir", settings.data_dir, "folder for the server secret key (created 0600)")
      ->envname("PASSERELLE_DATA_DIR")->capture_default_str();
  serve->add_option("--exit-url", settings.exit_url, "neutral site the quick exit leads to when no territory is known")
      ->envname("PASSERELLE_EXIT_URL")->capture_default_str();
  serve->add_option("--territory", settings.territory, "slug of the territory this instance serves")
      ->envname("PASSERELLE_TERRITORY");
  serve->add_option("--threads", settings.threads, "worker threads")->envname("PASSERELLE_THREADS")
      ->check(CLI::Range(1, 256))->capture_default_str();
  serve->add_option("--post-limit", settings.post_limit_per_minute, "state-changing requests per client and minute")
      ->envname("PASSERELLE_POST_LIMIT")->check(CLI::Range(1, 100000))->capture_default_str();
  // --- annuaire (src/annuaire) ---
  serve->add_option("--tile-url", settings.tile_url,
                    "map tile path on this site for /annuaire, e.g. /tiles/{z}/{x}/{y}.png, proxied by nginx (none: no map)")
      ->envname("PASSERELLE_TILE_URL");
  serve->add_option("--tile-attribution", settings.tile_attribution, "attribution shown on the map (the tiles' licence)")
      ->envname("PASSERELLE_TILE_ATTRIBUTION");
  serve->add_option("--api-limit", settings.api_limit_per_minute, "/api/v1/ requests per client and minute")
      ->envname("PASSERELLE_API_LIMIT")->check(CLI::Range(1, 1000000))->capture_default_str();
  serve->add_option("--directory-poll-ms", settings.directory_poll_ms,
                    "how often the directory search looks for writes made by other processes (imports)")
      ->envname("PASSERELLE_DIRECTORY_POLL_MS")->check(CLI::Range(100, 3600000))->capture_default_str();
  // --- end annuaire ---

  CLI::App* migrate = app.add_subcommand("migrate", "Apply the database migrations");
  AddDatabaseOptions(*migrate, settings);

  CLI::App* demo = app.add_subcommand("demo", "Load the demonstration territories and their data");
  AddDatabaseOptions(*demo, settings);
  demo->add_flag("--if-empty", only_if_empty, "do nothing when the database already holds territories");
  // --- referral: demo key pairs (secret keys under <data-dir>/demo-keys/, demonstration only) ---
  demo->add_option("--data-dir", settings.data_dir, "folder for the demo organizations' secret keys (demo-keys/)")
      ->envname("PASSERELLE_DATA_DIR")->capture_default_str();

  // --- directory import/export (src/directory) ---
  passerelle::DirectoryImportOptions import_options;
  CLI::App* import = app.add_subcommand("import", "Import directory organizations into a territory (docs/data-formats.md)");
  AddDatabaseOptions(*import, settings);
  import->add_option("--format", import_options.format, "hsds or csv")->required()->check(CLI::IsMember({"hsds", "csv"}));
  import->add_option("--territory", import_options.territory, "slug of the territory")->required();
  import->add_option("file", import_options.file, "file to import, - for standard input")->required();
  import->add_flag("--dry-run", import_options.dry_run, "check and report, write nothing");
  import->add_flag("--skip-invalid", import_options.skip_invalid, "write the valid organizations, report the others");

  passerelle::DirectoryExportOptions export_options;
  CLI::App* export_command = app.add_subcommand("export", "Export the directory to standard output");
  AddDatabaseOptions(*export_command, settings);
  export_command->add_option("--format", export_options.format, "hsds or csv")->required()->check(CLI::IsMember({"hsds", "csv"}));
  export_command->add_option("--territory", export_options.territory, "slug of the territory (default: all)");
  export_command->add_flag("--include-confidential", export_options.include_confidential,
                           "coordinators only: confidential addresses and non-public organizations");
  // --- end directory ---

  // --- gazetteer (src/geo) ---
  std::string gazetteer_file;
  CLI::App* gazetteer = app.add_subcommand("gazetteer", "French communes: load the default gazetteer or import an official file");
  gazetteer->require_subcommand(1);
  CLI::App* gazetteer_import = gazetteer->add_subcommand(
      "import", "Import an official communes file (columns of docs/geography.md); a bad line writes nothing");
  AddDatabaseOptions(*gazetteer_import, settings);
  gazetteer_import->add_option("file", gazetteer_file, "CSV file")->required();
  CLI::App* gazetteer_load = gazetteer->add_subcommand("load", "Load the default gazetteer built at setup");
  AddDatabaseOptions(*gazetteer_load, settings);
  gazetteer_load->add_option("file", gazetteer_file, "CSV file built by scripts/build-gazetteer.mjs")
      ->default_val("build/gazetteer/communes.csv");
  std::string correct_insee;
  double correct_lat = 0;
  double correct_lon = 0;
  CLI::App* gazetteer_correct = gazetteer->add_subcommand(
      "correct", "A coordinator's correction of one commune's point (kept by later loads and imports)");
  AddDatabaseOptions(*gazetteer_correct, settings);
  gazetteer_correct->add_option("insee", correct_insee, "INSEE code of the commune")->required();
  gazetteer_correct->add_option("lat", correct_lat, "latitude (WGS 84)")->required();
  gazetteer_correct->add_option("lon", correct_lon, "longitude (WGS 84)")->required();
  // --- end gazetteer ---

  CLI::App* content = app.add_subcommand("content", "Practical sheets");
  content->require_subcommand(1);
  CLI::App* content_check = content->add_subcommand("check", "Check every sheet (front matter, links, sources) without serving");
  content_check->add_option("--assets-dir", settings.assets_dir, "folder holding content/")
      ->envname("PASSERELLE_ASSETS_DIR")->capture_default_str();

  // --- help flow (src/help) ---
  std::string flow_file;
  CLI::App* flow = app.add_subcommand("flow", "Help flow definitions");
  flow->require_subcommand(1);
  CLI::App* flow_check = flow->add_subcommand("check", "Check a flow file (content/flows/*.yaml or a territory override)");
  flow_check->add_option("file", flow_file, "the YAML file")->required();
  flow_check->add_option("--assets-dir", settings.assets_dir, "folder holding content/flows/ (the French reference)")
      ->envname("PASSERELLE_ASSETS_DIR")->capture_default_str();
  // --- end help flow ---

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string message = e.what();
    if (const auto newline = message.find('\n'); newline != std::string::npos) message.resize(newline);
    std::cerr << "passerelle: invalid configuration: " << message << " (see passerelle --help)\n";
    return kConfigErrorExit;
  }

  try {
    if (*serve) return passerelle::RunServe(settings);
    if (*migrate) return passerelle::RunMigrate(settings);
    if (*demo) return passerelle::RunDemo(settings, only_if_empty);
    if (*content_check) return passerelle::RunContentCheck(settings);
    if (*flow_check) return passerelle::RunFlowCheck(settings, flow_file);                // help
    if (*gazetteer_import) return passerelle::RunGazetteerImport(settings, gazetteer_file);
    if (*gazetteer_load) return passerelle::RunGazetteerLoad(settings, gazetteer_file);
    if (*gazetteer_correct) return passerelle::RunGazetteerCorrect(settings, correct_insee, correct_lat, correct_lon);
    if (*import) return passerelle::RunImport(settings, import_options);            // directory
    if (*export_command) return passerelle::RunExport(settings, export_options);    // directory
  } catch (const passerelle::core::ConfigException& e) {
    std::cerr << "passerelle: " << e.what() << "\n";
    return kConfigErrorExit;
  } catch (const std::exception& e) {
    const auto database = passerelle::storage::DescribeDatabaseError(e);
    std::cerr << "passerelle: " << database.value_or(e.what()) << "\n";
    return 1;
  }
  return 1;
}
