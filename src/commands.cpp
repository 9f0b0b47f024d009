// Composition root: builds the database, the HTTP plumbing and each domain's routes.
#include "commands.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>

#include "content/register.h"
#include "core/config.h"
#include "core/crypto.h"
#include "help/register.h"
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

}  // namespace

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
  return 0;
}

int RunServe(const Settings& settings) {
  const core::ListenAddress listen = core::ParseListenAddress(settings.listen);
  const std::string exit_url = core::ValidateExitUrl(settings.exit_url);
  core::InitCrypto();
  const core::ServerKey key = core::ServerKey::LoadOrCreate(settings.data_dir);
  auto db = OpenAndMigrate(settings, settings.threads + 1);

  const fs::path assets(settings.assets_dir);
  http::StaticFiles static_files;
  static_files.AddDirectory(assets / "static", "/static");
  const http::Translator translator(http::DefaultLocaleDir());
  const content::SheetLibrary sheets = LoadSheets(settings);
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
  help::RegisterHelp(router, renderer, stats, settings.territory);
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

}  // namespace passerelle
