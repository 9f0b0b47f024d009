// Composition root: builds the database, the HTTP plumbing and each domain's routes.
#include "geo/cli.h"
#include "commands.h"

#include <spdlog/spdlog.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "annuaire/index.h"
#include "annuaire/register.h"
#include "content/register.h"
#include "core/config.h"
#include "core/crypto.h"
#include "directory/demo.h"
#include "directory/export.h"
#include "directory/import.h"
#include "directory/repository.h"
#include "directory/service.h"
#include "geo/gazetteer.h"
#include "geo/repository.h"
#include "help/flow_file.h"
#include "help/register.h"
#include "help/token.h"
#include "referral/demo_keys.h"  // referral
#include "referral/register.h"   // referral
#include "referral/service.h"    // referral
#include "http/csrf.h"
#include "http/i18n.h"
#include "http/pipeline.h"
#include "http/router.h"
#include "http/server.h"
#include "http/static_files.h"
#include "http/templates.h"
#include "stats/repository.h"
#include "storage/database.h"
#include "storage/migrations.h"
#include "territory/demo.h"
#include "territory/register.h"
#include "territory/repository.h"

namespace passerelle {

namespace {

namespace fs = std::filesystem;

std::unique_ptr<storage::Database> OpenAndMigrate(const Settings& settings, std::size_t pool_size) {
  const core::DatabaseUrl url = core::ParseDatabaseUrl(settings.db);
  if (url.backend == core::DatabaseBackend::kSqlite) {
    const fs::path parent = fs::path(url.sqlite_path).parent_path();
    if (!parent.empty()) fs::create_directories(parent);
  }
  auto db = storage::Database::Open(url, pool_size);
  const auto applied = storage::ApplyMigrations(*db, storage::LoadMigrations(fs::path(settings.assets_dir) / "migrations"));
  for (int version : applied) spdlog::info("event=migration_applied version={}", version);
  return db;
}

// Loads the sheets; throws ConfigException listing every problem.
content::SheetLibrary LoadSheets(const Settings& settings) {
  std::vector<content::Problem> problems;
  content::SheetLibrary library = content::SheetLibrary::Load(fs::path(settings.assets_dir) / "content", problems);
  if (!problems.empty()) {
    std::string all;
    for (const auto& p : problems) all += "\n  " + p.ToString();
    throw core::InfrastructureError(std::to_string(problems.size()) + " problem(s) in the sheets:" + all);
  }
  return library;
}

// Loads the help flows (and the territory's overrides); throws listing every problem.
help::FlowLibrary LoadFlows(const Settings& settings) {
  std::vector<help::Problem> problems;
  help::FlowLibrary flows = help::FlowLibrary::Load(fs::path(settings.assets_dir) / "content", settings.territory, problems);
  if (!problems.empty()) {
    std::string all;
    for (const auto& p : problems) all += "\n  " + p.ToString();
    throw core::InfrastructureError(std::to_string(problems.size()) + " problem(s) in the help flows:" + all);
  }
  return flows;
}

}  // namespace

int RunFlowCheck(const Settings& settings, const std::string& file) {
  const auto problems = help::CheckFlowFile(file, settings.assets_dir);
  for (const auto& p : problems) std::cerr << p.ToString() << "\n";
  if (!problems.empty()) {
    std::cerr << problems.size() << " problem(s)\n";
    return 1;
  }
  std::cout << file << ": no problem\n";
  return 0;
}

int RunContentCheck(const Settings& settings) {
  std::vector<content::Problem> problems;
  const content::SheetLibrary library = content::SheetLibrary::Load(fs::path(settings.assets_dir) / "content", problems);
  for (const auto& p : problems) std::cerr << p.ToString() << "\n";
  if (!problems.empty()) {
    std::cerr << problems.size() << " problem(s)\n";
    return 1;
  }
  std::cout << library.size() << " sheets checked, no problem\n";
  return 0;
}

int RunMigrate(const Settings& settings) {
  core::InitCrypto();
  auto db = OpenAndMigrate(settings, 1);
  std::cout << "schema up to date (" << storage::AppliedMigrations(*db).size() << " migrations)\n";
  return 0;
}

int RunDemo(const Settings& settings, bool only_if_empty) {
  core::InitCrypto();
  auto db = OpenAndMigrate(settings, 1);
  territory::TerritoryRepository territories(*db);
  if (only_if_empty && !territories.ListSlugs().empty()) {
    std::cout << "database already holds territories: demo data not loaded\n";
    return 0;
  }
  for (const territory::Territory& t : territory::DemoTerritories()) {
    if (auto saved = territories.Save(t, std::chrono::system_clock::now()); !saved) {
      std::cerr << "passerelle: demo territory " << t.slug << ": " << saved.error().public_message << "\n";
      return 1;
    }
    std::cout << "demo territory loaded: " << t.slug << " (" << t.name << ")\n";
  }
  // Demo directory (src/directory): content/demo/ through the ordinary import.
  auto directory = directory::LoadDemoDirectory(*db, fs::path(settings.assets_dir) / "content" / "demo");
  if (!directory) {
    std::cerr << "passerelle: demo directory: " << directory.error().public_message << "\n";
    return 1;
  }
  for (const directory::DemoFileReport& file : directory.value()) {
    std::cout << "demo directory loaded: " << file.territory_slug << " (" << file.report.entries
              << " organizations: " << file.report.created << " created, " << file.report.updated << " updated, "
              << file.report.unchanged << " unchanged)\n";
  }
  // --- referral: a key pair per demo organization, FOR DEMONSTRATION ONLY (docs/referral.md) ---
  {
    const directory::DirectoryService directory_service(*db);
    std::vector<std::string> organization_ids;
    for (const territory::Territory& t : territory::DemoTerritories()) {
      for (const directory::Organization& o : directory_service.ListByTerritory(t.slug)) {
        if (o.is_demo) organization_ids.push_back(o.id);
      }
    }
    // Provisioning uses no server sub-key: a throw-away key keeps `demo` from creating server.key.
    referral::ReferralService referrals(*db, referral::ReferralKeys::From(core::ServerKey::FromBytes(core::RandomBytes(32))));
    const fs::path key_dir = fs::path(settings.data_dir) / "demo-keys";
    const std::size_t created = referral::ProvisionDemoKeys(referrals, organization_ids, key_dir, std::chrono::system_clock::now());
    std::cout << "demo keys: " << created << " created, secret keys in " << key_dir.string() << " (demonstration only)\n";
  }
  // --- end referral ---
  return 0;
}

// --- directory import/export (src/directory) ---
namespace {

directory::Format DirectoryFormat(const std::string& name) {
  return name == "csv" ? directory::Format::kCsv : directory::Format::kHsds;
}

// A bar on standard error, only when it is a terminal (never in logs or pipes).
directory::ProgressCallback TerminalProgress() {
  if (isatty(STDERR_FILENO) == 0) return {};
  return [](std::size_t done, std::size_t total) {
    constexpr std::size_t kWidth = 30;
    const std::size_t filled = total == 0 ? kWidth : done * kWidth / total;
    std::cerr << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, ' ') << "] " << done << "/" << total
              << (done == total ? "\n" : "") << std::flush;
  };
}

}  // namespace

int RunImport(const Settings& settings, const DirectoryImportOptions& options) {
  core::InitCrypto();
  auto db = OpenAndMigrate(settings, 1);
  const directory::ImportMode mode =
      options.skip_invalid ? directory::ImportMode::kSkipInvalid : directory::ImportMode::kAllOrNothing;
  const directory::DryRun dry_run = options.dry_run ? directory::DryRun::kYes : directory::DryRun::kNo;
  const directory::Format format = DirectoryFormat(options.format);
  auto report = options.file == "-"
                    ? directory::ImportDirectory(*db, format, options.territory, std::cin, mode, dry_run, TerminalProgress())
                    : directory::ImportDirectory(*db, format, options.territory, fs::path(options.file), mode, dry_run,
                                                 TerminalProgress());
  if (!report) {
    std::cerr << "passerelle import: " << report.error().public_message << "\nnothing was written\n";
    return 1;
  }
  const directory::ImportReport& r = report.value();
  for (const directory::Rejection& rejection : r.rejected) {
    std::cerr << options.file << ": " << rejection.Where() << " : " << rejection.reason << "\n";
  }
  std::cout << (r.written ? "" : "(nothing written) ") << r.entries << " read: " << r.created << " created, "
            << r.updated << " updated, " << r.unchanged << " unchanged, " << r.rejected.size() << " rejected\n";
  if (!r.rejected.empty() && mode == directory::ImportMode::kAllOrNothing) {
    std::cerr << "passerelle import: " << r.rejected.size()
              << " rejected entries: nothing was written (fix them, or use --skip-invalid)\n";
    return 1;
  }
  return 0;
}

int RunExport(const Settings& settings, const DirectoryExportOptions& options) {
  core::InitCrypto();
  auto db = OpenAndMigrate(settings, 1);
  if (!options.territory.empty()) {
    soci::session sql(db->pool());
    if (!directory::DirectoryRepository(sql).TerritoryExists(options.territory)) {
      std::cerr << "passerelle export: territoire inconnu « " << options.territory << " »\n";
      return 1;
    }
  }
  std::cout << directory::ExportDirectory(*db, DirectoryFormat(options.format), options.territory,
                                          options.include_confidential ? directory::Confidential::kInclude
                                                                       : directory::Confidential::kRedact);
  return 0;
}
// --- end directory ---

namespace {

// Tiles come from this same host (a reverse-proxied tile cache): public pages reach no other host.
void ValidateTileUrl(const std::string& url) {
  if (url.empty()) return;
  if (url.size() < 2 || url[0] != '/' || url[1] == '/' || url.find("{z}") == std::string::npos ||
      url.find("{x}") == std::string::npos || url.find("{y}") == std::string::npos) {
    throw core::ConfigException(core::ConfigError{
        "--tile-url (PASSERELLE_TILE_URL)",
        "must be a path on this site with {z}, {x} and {y}, e.g. /tuiles/{z}/{x}/{y}.png (the front server "
        "proxies the tiles, so that public pages contact no other host)"});
  }
}

}  // namespace

int RunServe(const Settings& settings) {
  ValidateTileUrl(settings.tile_url);
  const core::ListenAddress listen = core::ParseListenAddress(settings.listen);
  const std::string exit_url = core::ValidateExitUrl(settings.exit_url);
  core::InitCrypto();
  const core::ServerKey key = core::ServerKey::LoadOrCreate(settings.data_dir);
  auto db = OpenAndMigrate(settings, settings.threads + 1);

  const fs::path assets(settings.assets_dir);
  http::StaticFiles static_files;
  static_files.AddDirectory(assets / "static", "/static");
  // Leaflet for the annuaire's map (npm package `leaflet`), served by Passerelle itself. Tiles
  // come from this same host (a reverse-proxied tile cache): public pages reach no other host.
  if (!settings.tile_url.empty()) {
    static_files.AddDirectory(assets / "node_modules" / "leaflet" / "dist", "/static/vendor/leaflet");
  }
  const http::Translator translator(http::DefaultLocaleDir());
  const content::SheetLibrary sheets = LoadSheets(settings);
  const help::FlowLibrary flows = LoadFlows(settings);
  const help::FlowTokens flow_tokens(key.Derive("flow"));
  territory::TerritoryRepository territories(*db);
  if (!settings.territory.empty() && !territories.Find(settings.territory)) {
    throw core::ConfigException(core::ConfigError{"--territory (PASSERELLE_TERRITORY)",
                                                  "no territory \"" + settings.territory + "\" in the database"});
  }
  const http::Renderer renderer(assets / "templates", static_files, translator,
                                http::SiteSettings{territories.AnyDemo(), "/sortie"});
  const http::CsrfGuard csrf(key.Derive("csrf"));
  stats::StatsRepository stats(*db);

  http::Router router;
  content::RegisterContent(router, renderer, sheets, settings.territory);
  territory::RegisterTerritory(router, territories, exit_url);
  // --- annuaire (src/annuaire): gazetteer, index kept in sync with the directory, routes ---
  const geo::Gazetteer gazetteer(geo::ReadCommunes(*db));
  if (gazetteer.size() == 0) spdlog::warn("event=gazetteer_empty hint=\"passerelle gazetteer load\"");
  directory::DirectoryService directory_service(*db);
  annuaire::ServiceIndex annuaire_index(directory_service, [&gazetteer](const std::string& insee)
                                            -> std::optional<std::pair<double, double>> {
    if (const geo::Commune* c = gazetteer.FindByInsee(insee)) return std::pair{c->lat, c->lon};
    return std::nullopt;
  });
  annuaire_index.Start();
  annuaire_index.WatchOtherWriters(std::chrono::milliseconds(settings.directory_poll_ms));
  // The help flow proposes professionals from the same index and gazetteer (issue 3 §5).
  help::RegisterHelp(router, renderer, stats, flows, flow_tokens,
                     help::HelpSettings{settings.territory,
                                        settings.territory.empty() ? std::nullopt : territories.Find(settings.territory),
                                        help::MatchDirectory{&annuaire_index, &gazetteer}});
  annuaire::RegisterAnnuaire(router, renderer, annuaire_index, directory_service, gazetteer,
                             annuaire::AnnuaireSettings{settings.territory.empty()
                                                            ? std::nullopt
                                                            : territories.Find(settings.territory),
                                                        settings.tile_url, settings.tile_attribution,
                                                        settings.api_limit_per_minute});
  // --- end annuaire ---
  // --- referral (src/referral): report, sealed referral, follow-up ---
  referral::ReferralService referrals(*db, referral::ReferralKeys::From(key));
  referral::RegisterReferral(router, renderer, stats, flows, flow_tokens, directory_service, referrals,
                             referral::ReferralSettings{});
  // --- end referral ---
  router.Get("/healthz", [&db](http::Request&) {
    return db->Ping() ? http::Response::Text(200, "ok\n") : http::Response::Error(503);
  });

  http::Pipeline pipeline(router, static_files, renderer, csrf, http::PipelineOptions{256 * 1024, settings.post_limit_per_minute},
                          [] { return std::chrono::system_clock::now(); }, storage::DescribeDatabaseError);
  http::ServerOptions server_options;
  server_options.listen = listen;
  server_options.threads = settings.threads;
  http::RunServer(server_options, [&pipeline](http::Request& request) { return pipeline.Handle(request); },
                  [&] {
                    spdlog::info("event=listening address={}:{} db={}", listen.host, listen.port,
                                 core::RedactDatabaseUrl(settings.db));
                  });
  return 0;
}

int RunGazetteerImport(const Settings& settings, const std::string& file) {
  auto db = OpenAndMigrate(settings, 1);
  return geo::RunGazetteerImport(*db, file, std::cout, std::cerr);
}

int RunGazetteerCorrect(const Settings& settings, const std::string& insee, double lat, double lon) {
  auto db = OpenAndMigrate(settings, 1);
  const auto corrected = geo::CorrectCommune(*db, insee, lat, lon);
  if (!corrected.ok()) {
    std::cerr << "passerelle gazetteer correct: " << insee << " : " << corrected.error().public_message << "\n";
    return 1;
  }
  std::cout << insee << " : point corrigé (" << lat << ", " << lon << "), conservé par les chargements suivants\n";
  return 0;
}

int RunGazetteerLoad(const Settings& settings, const std::string& file) {
  auto db = OpenAndMigrate(settings, 1);
  return geo::RunGazetteerLoadDefault(*db, file, std::cout, std::cerr);
}

}  // namespace passerelle
