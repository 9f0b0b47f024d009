// Composition root: builds the database, the HTTP plumbing and each domain's routes.
#include "geo/cli.h"
#include "commands.h"

#include <spdlog/spdlog.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "accounts/register.h"  // accounts
#include "accounts/service.h"   // accounts
#include "annuaire/index.h"
#include "annuaire/register.h"
#include "content/register.h"
#include "core/config.h"
#include "core/logging.h"
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
#include "org_keys/demo_keys.h"  // referral
#include "referral/register.h"   // referral
#include "referral/service.h"    // referral
#include "jobs/jobs.h"                 // referral workflow, jobs
#include "pro_space/pro_space.h"       // pro space
#include "audit/audit_log.h"      // audit
#include "notify/deliverer.h"     // notify
#include "notify/smtp.h"          // notify
#include "http/csrf.h"
#include "http/i18n.h"
#include "http/pipeline.h"
#include "http/router.h"
#include "http/server.h"
#include "http/static_files.h"
#include "http/templates.h"
#include "stats/repository.h"
#include "storage/backup.h"  // backup, restore
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
    const fs::path key_dir = fs::path(settings.data_dir) / "demo-keys";
    const std::size_t created = org_keys::ProvisionDemoKeys(*db, organization_ids, key_dir, std::chrono::system_clock::now());
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
    std::cerr << "passerelle import: nothing written: " << report.error().public_message << "\n";
    return 1;
  }
  // English like every other command (docs/data-formats.md); the reasons quoted after "line N:"
  // are the directory's own validation messages, in French as in the coordinators' forms.
  const directory::ImportReport& r = report.value();
  for (const directory::Rejection& rejection : r.rejected) {
    std::cerr << options.file << ": " << rejection.Where() << ": " << rejection.reason << "\n";
  }
  const auto count = [](std::size_t n, const std::string& noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
  };
  const std::string entry = format == directory::Format::kCsv ? "row" : "organization";
  const std::string rejected = count(r.rejected.size(), "rejection");
  if (r.written) {
    std::cout << count(r.entries, entry) << " read: " << count(r.created, "organization") << " created, "
              << r.updated << " updated, " << r.unchanged << " unchanged; " << rejected << "\n";
    return 0;
  }
  std::cout << "nothing written" << (options.dry_run ? " (--dry-run)" : "") << "; " << count(r.entries, entry)
            << " read: " << count(r.created, "organization") << " would have been created, " << r.updated
            << " updated, " << r.unchanged << " unchanged; " << rejected << "\n";
  if (!r.rejected.empty() && mode == directory::ImportMode::kAllOrNothing) {
    std::cerr << "passerelle import: " << rejected
              << ": nothing written (fix them, or use --skip-invalid to write the valid organizations)\n";
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
      std::cerr << "passerelle export: unknown territory \"" << options.territory << "\"\n";
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
                                http::SiteSettings{territories.AnyDemo(), "/sortie", "/pro"});
  const http::CsrfGuard csrf(key.Derive("csrf"));
  stats::StatsRepository stats(*db);

  http::Router router;
  content::RegisterContent(router, renderer, sheets, settings.territory);
  // Her sealed drafts between a POST and its GET (ADR 0011), destroyed by the quick exit.
  referral::PublicDrafts public_drafts(*db, key.Derive("draft"));
  territory::RegisterTerritory(router, territories, exit_url,
                               [&public_drafts](const http::Request& request, http::Response& response) {
                                 referral::ForgetDraft(public_drafts, request, response);
                               });
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
  referral::ReferralService referrals(*db, referral::ReferralKeys::From(key));
  help::HelpSettings help_settings;
  help_settings.territory_slug = settings.territory;
  help_settings.territory = settings.territory.empty() ? std::nullopt : territories.Find(settings.territory);
  help_settings.matching = help::MatchDirectory{&annuaire_index, &gazetteer};
  for (const std::string& slug : territories.ListSlugs()) {
    if (auto t = territories.Find(slug)) help_settings.territories.push_back(std::move(*t));
  }
  help_settings.has_referral_key = [&referrals](const std::string& organization_id) {
    return referrals.PublicKeyOf(organization_id).has_value();
  };
  // The question pages without JavaScript keep their page in her draft (ADR 0011).
  const bool secure_draft_cookie = settings.public_url.rfind("https://", 0) == 0;
  help_settings.save_page = [&public_drafts, secure_draft_cookie](const http::Request& request, const nlohmann::json& page,
                                                                  const std::string& location) {
    return referral::SaveQuestionPage(public_drafts, secure_draft_cookie, request, page, location);
  };
  help_settings.load_page = [&public_drafts](const http::Request& request) {
    return referral::LoadQuestionPage(public_drafts, request);
  };
  help::RegisterHelp(router, renderer, stats, flows, flow_tokens, std::move(help_settings));
  annuaire::RegisterAnnuaire(router, renderer, annuaire_index, directory_service, gazetteer,
                             annuaire::AnnuaireSettings{settings.territory.empty()
                                                            ? std::nullopt
                                                            : territories.Find(settings.territory),
                                                        settings.tile_url, settings.tile_attribution,
                                                        settings.api_limit_per_minute});
  // --- end annuaire ---
  // --- referral (src/referral): report, sealed referral, follow-up ---
  // A referral goes only to a service the end page could propose (same matching, same territory).
  const std::optional<territory::Territory> referral_territory =
      settings.territory.empty() ? std::nullopt : territories.Find(settings.territory);
  referral::ReferralSettings referral_settings;
  referral_settings.matching = help::MatchDirectory{&annuaire_index, &gazetteer};
  referral_settings.territory = referral_territory ? &*referral_territory : nullptr;
  referral_settings.drafts = &public_drafts;
  referral_settings.secure_cookie = secure_draft_cookie;
  const referral::FollowUpThrottle followup_throttle(*db, key.Derive("throttle"));  // hardening: issue 15, F6
  referral_settings.throttle = &followup_throttle;
  referral::RegisterReferral(router, renderer, stats, flows, flow_tokens, directory_service, referrals,
                             referral_settings);
  // --- end referral ---
  // --- notify (src/notify): the outbox is delivered by a thread of this process ---
  const std::string notify_public_url = notify::ParsePublicUrl(settings.public_url);
  std::unique_ptr<notify::Deliverer> outbox_deliverer;
  std::unique_ptr<notify::DeliveryLoop> delivery_loop;  // declared after db: stopped before it closes
  if (settings.smtp_url.empty()) {
    spdlog::warn("event=smtp_not_configured hint=\"PASSERELLE_SMTP_URL: e-mails wait in the outbox\"");
  } else {
    outbox_deliverer = std::make_unique<notify::Deliverer>(
        *db, notify::ParseSmtpSettings(settings.smtp_url, settings.smtp_from), notify_public_url);
    delivery_loop = std::make_unique<notify::DeliveryLoop>(*outbox_deliverer, std::chrono::milliseconds(settings.outbox_poll_ms));
    spdlog::info("event=smtp_configured url={}", notify::RedactSmtpUrl(settings.smtp_url));
  }
  // --- end notify ---
  // --- accounts (src/accounts): /pro sign-in, invitations, sessions, access policy ---
  accounts::AccountsSettings accounts_settings;
  accounts_settings.public_url = settings.public_url;
  accounts_settings.data_dir = settings.data_dir;
  // --- end accounts ---
  // --- pro space (src/pro_space): every /pro route (accounts, inbox /pro/demandes, profile),
  // registered in one place that the generated access matrix (pro_space_test.cpp) exercises ---
  const std::unique_ptr<pro_space::ProSpace> pro = pro_space::RegisterProSpace(
      router, renderer, csrf, *db, key, directory_service, accounts_settings,
      [] { return std::chrono::system_clock::now(); });
  // --- end pro space ---
  // --- referral workflow, jobs (src/referral, src/jobs): timed jobs (the inbox is in the pro space) ---
  std::unique_ptr<jobs::Scheduler> job_scheduler;  // declared after db: stopped (and joined) before it closes
  if (settings.jobs_interval_s > 0) {
    job_scheduler = std::make_unique<jobs::Scheduler>(*db, [] { return std::chrono::system_clock::now(); },
                                                      std::chrono::seconds(settings.jobs_interval_s), jobs::JobSettings{});
    job_scheduler->Start();
  }
  // --- end referral workflow, jobs ---
  router.Get(
      "/healthz",
      [&db](http::Request&) { return db->Ping() ? http::Response::Text(200, "ok\n") : http::Response::Error(503); },
      http::Priority::kHelp);

  // Visitors' requests are counted and written once an hour (docs/security.md, "Logs"); the last
  // hour is written at shutdown. Hardening, issue 15 F2.
  core::HourlyVisitorLogFlush visitor_log_flush;
  http::PipelineOptions pipeline_options;
  pipeline_options.post_limit_per_minute = settings.post_limit_per_minute;
  pipeline_options.help_post_limit_per_minute = settings.help_post_limit_per_minute;  // hardening
  http::Pipeline pipeline(router, static_files, renderer, csrf, pipeline_options,
                          [] { return std::chrono::system_clock::now(); }, storage::DescribeDatabaseError);
  pipeline.SetCsrfScope([&](const http::Request& request) { return pro->routes().CsrfScope(request); });  // pro space
  http::ServerOptions server_options;
  server_options.listen = listen;
  server_options.max_body_bytes = pipeline_options.max_body_bytes;  // hardening: refused before reading
  server_options.max_connections = settings.max_connections;        // hardening
  server_options.scheduling.workers = settings.threads;
  server_options.scheduling.max_queued = settings.max_queued;
  server_options.scheduling.reserved_workers = settings.threads > 1 ? 1 : 0;
  http::RunServer(
      server_options, [&pipeline](const http::Request& request) { return pipeline.PriorityOf(request); },
      [&pipeline](http::Request& request) { return pipeline.Handle(request); },
      [&pipeline](http::Request& request, std::string_view priority_class) {
        return pipeline.Overloaded(request, priority_class);
      },
                  [&] {
                    spdlog::info("event=listening address={}:{} db={}", listen.host, listen.port,
                                 core::RedactDatabaseUrl(settings.db));
                  });
  return 0;
}

// --- accounts (src/accounts, docs/accounts.md) ---
namespace {

// "72h", "30m", "3600s", "2d" or a number of seconds.
std::optional<std::chrono::seconds> ParseLifetime(const std::string& text) {
  if (text.empty()) return std::nullopt;
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0 || digits > 9 || text.size() - digits > 1) return std::nullopt;
  const long long value = std::stoll(text.substr(0, digits));
  const char unit = digits < text.size() ? text[digits] : 's';
  switch (unit) {
    case 's': return std::chrono::seconds(value);
    case 'm': return std::chrono::seconds(value * 60);
    case 'h': return std::chrono::seconds(value * 3600);
    case 'd': return std::chrono::seconds(value * 86400);
    default: return std::nullopt;
  }
}

std::string TrimmedUrl(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// The command line needs no server key: a throw-away one keeps it from creating server.key.
struct CliAccounts {
  explicit CliAccounts(const Settings& settings, storage::Database& db)
      : server_key(core::ServerKey::FromBytes(core::RandomBytes(32))),
        sessions(db, server_key, [] { return std::chrono::system_clock::now(); }),
        service(db, server_key, policy, hashes, sessions, [] { return std::chrono::system_clock::now(); },
                accounts::AccountsConfig{fs::path(settings.data_dir) / "demo-keys", std::chrono::milliseconds(60000)}) {}
  core::ServerKey server_key;
  accounts::PasswordPolicy policy{std::vector<std::string>{}};
  accounts::HashLimiter hashes{1};
  accounts::SessionStore sessions;
  accounts::AccountService service;
};

void PrintRecoveryCode(const std::string& organization_id, const std::string& code) {
  std::cout << "\nRecovery code of organization " << organization_id << " (shown ONCE, keep it offline, e.g. printed "
            << "in the organization's safe):\n\n    " << code << "\n\n"
            << "It gives a member access to every referral of the organization (docs/accounts.md).\n";
}

}  // namespace

int RunUserAdd(const Settings& settings, const UserAddOptions& options) {
  core::InitCrypto();
  const auto lifetime = ParseLifetime(options.expires_in);
  if (!lifetime) {
    std::cerr << "passerelle user add: --expires-in: use a duration such as 72h, 30m or 3600s\n";
    return 2;
  }
  auto db = OpenAndMigrate(settings, 1);
  CliAccounts accounts(settings, *db);
  accounts::NewUser user;
  user.email = options.email;
  user.role = accounts::ParseRole(options.role).value_or(accounts::Role::kMember);
  user.organization_id = options.organization;
  user.territory_slug = options.territory;
  user.expires_in = *lifetime;
  const auto added = accounts.service.AddUser(user);
  if (!added) {
    std::cerr << "passerelle user add: " << added.error().public_message << "\n";
    return 1;
  }
  const accounts::AddedUser& a = added.value();
  std::cout << "account " << a.account_id << " invited. One-time link (valid " << options.expires_in
            << "), to give to the person only:\n\n    " << TrimmedUrl(settings.public_url) << "/pro/invitation/" << a.token
            << "\n";
  switch (a.key_access) {
    case accounts::KeyAccess::kCarried:
      std::cout << "\nThe link also gives access to the organization's referrals"
                << (a.adopted_demo_key ? " (demo key adopted from " + settings.data_dir + "/demo-keys/)" : "") << ".\n";
      break;
    case accounts::KeyAccess::kByGrant:
      std::cout << "\nAccess to the organization's referrals: a member who has it grants it (page of the organization), "
                   "or the person uses the organization's recovery code.\n";
      break;
    case accounts::KeyAccess::kNone:
      break;
  }
  if (a.recovery_code) PrintRecoveryCode(options.organization, *a.recovery_code);
  return 0;
}

int RunOrgKeys(const Settings& settings, const std::string& organization_id) {
  core::InitCrypto();
  auto db = OpenAndMigrate(settings, 1);
  CliAccounts accounts(settings, *db);
  const auto created = accounts.service.CreateOrganizationKeys(organization_id);
  if (!created) {
    std::cerr << "passerelle org keys: " << created.error().public_message << "\n";
    return 1;
  }
  std::cout << (created.value().adopted_demo_key ? "demo key adopted" : "keys created") << " for organization "
            << organization_id << "\n";
  PrintRecoveryCode(organization_id, created.value().recovery_code);
  return 0;
}
// --- end accounts ---

// --- audit, notify (src/audit, src/notify) ---
int RunAuditVerify(const Settings& settings) {
  core::InitCrypto();
  auto db = OpenAndMigrate(settings, 1);
  const audit::Verification v = audit::Verify(*db);
  if (!v.ok) {
    std::cerr << "audit log: TAMPERED: first bad entry: seq " << v.first_bad_seq.value_or(0) << ": " << v.reason
              << " (" << v.checked << " entries verified before it)\n";
    return 1;
  }
  const audit::Head head = audit::ReadHead(*db);
  std::cout << "audit log: " << v.checked << " entries verified, chain intact (newest seq " << head.last_seq
            << ", hash " << head.last_hash << "; entries up to seq " << head.anchor_seq
            << " removed by retention)\n";
  return 0;
}

namespace {

// "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" with "Z", "+HH:MM" or "-HH:MM" (none: UTC).
std::chrono::system_clock::time_point ParseOutboxNow(const std::string& text) {
  const auto fail = [&]() -> std::chrono::system_clock::time_point {
    throw core::ConfigException(core::ConfigError{"--now", "must be an ISO 8601 time such as 2025-06-15T15:06:40Z"});
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &year, &month, &day, &consumed) != 3 || consumed != 10) return fail();
  std::size_t pos = 10;
  if (pos < text.size()) {
    if (text[pos] != 'T' && text[pos] != ' ') return fail();
    int n = 0;
    if (std::sscanf(text.c_str() + pos + 1, "%2d:%2d%n", &hour, &minute, &n) != 2 || n != 5) return fail();
    pos += 6;
    if (pos < text.size() && text[pos] == ':') {
      if (std::sscanf(text.c_str() + pos + 1, "%2d%n", &second, &n) != 1 || n != 2) return fail();
      pos += 3;
    }
  }
  int offset_minutes = 0;
  if (pos < text.size()) {
    if (text.compare(pos, std::string::npos, "Z") == 0) {
      pos += 1;
    } else if ((text[pos] == '+' || text[pos] == '-') && text.size() == pos + 6 && text[pos + 3] == ':') {
      const int oh = std::atoi(text.substr(pos + 1, 2).c_str());
      const int om = std::atoi(text.substr(pos + 4, 2).c_str());
      offset_minutes = (text[pos] == '-' ? -1 : 1) * (oh * 60 + om);
      pos += 6;
    } else {
      return fail();
    }
  }
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (pos != text.size() || !date.ok() || hour > 23 || minute > 59 || second > 59) return fail();
  return std::chrono::sys_days(date) + std::chrono::hours(hour) + std::chrono::minutes(minute - offset_minutes) +
         std::chrono::seconds(second);
}

}  // namespace

int RunOutboxDeliver(const Settings& settings, const std::string& now_iso8601) {
  if (settings.smtp_url.empty()) {
    throw core::ConfigException(core::ConfigError{"--smtp-url (PASSERELLE_SMTP_URL)", "is required to deliver e-mail"});
  }
  const notify::SmtpSettings smtp = notify::ParseSmtpSettings(settings.smtp_url, settings.smtp_from);
  const std::string public_url = notify::ParsePublicUrl(settings.public_url);
  const auto now = now_iso8601.empty() ? std::chrono::system_clock::now() : ParseOutboxNow(now_iso8601);
  core::InitCrypto();
  auto db = OpenAndMigrate(settings, 1);
  notify::Deliverer deliverer(*db, smtp, public_url);
  const notify::DeliveryCounts c = deliverer.DeliverDue(now);
  std::cout << "outbox: " << c.sent << " sent, " << c.retry_later << " to retry later, " << c.failed << " failed, "
            << c.unknown << " interrupted (not resent)\n";
  return 0;
}
// --- end audit, notify ---

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

// --- referral workflow, jobs (src/jobs, docs/jobs.md) ---
int RunJobs(const Settings& settings, const std::string& now_iso8601) {
  core::InitCrypto();
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
  if (!now_iso8601.empty()) {
    const auto parsed = jobs::ParseInstant(now_iso8601);
    if (!parsed) {
      throw core::ConfigException(core::ConfigError{
          "--now", "expected 2026-03-05, 2026-03-05T10:00:00Z or 2026-03-05T11:00:00+01:00"});
    }
    now = *parsed;
  }
  auto db = OpenAndMigrate(settings, 1);
  const jobs::RunReport report = jobs::RunAll(*db, now, jobs::JobSettings{});
  std::cout << "reminded " << report.reminded << ", escalated " << report.escalated << ", expired " << report.expired
            << ", content deleted " << report.content_deleted << ", audit entries removed " << report.audit_removed
            << ", failures " << report.failures << ", outbox rows removed " << report.outbox_removed << "\n";
  return report.failures == 0 ? 0 : 1;
}
// --- end referral workflow, jobs ---

// --- backup, restore (src/storage/backup.h, docs/operations.md) ---
int RunBackup(const Settings& settings, const std::string& to) {
  const core::DatabaseUrl url = core::ParseDatabaseUrl(settings.db);
  const auto copied = storage::BackupSqlite(url, to);
  if (!copied) {
    std::cerr << "passerelle backup: " << copied.error().public_message << "\n";
    return 1;
  }
  std::cout << "backup written to " << to << " (migration " << copied.value().versions.back()
            << "); the server key is not in it: keep data/server.key apart (docs/operations.md)\n";
  return 0;
}

int RunRestore(const Settings& settings, const std::string& from, bool force) {
  const core::DatabaseUrl url = core::ParseDatabaseUrl(settings.db);
  const auto known = storage::LoadMigrations(fs::path(settings.assets_dir) / "migrations");
  const auto restored =
      storage::RestoreSqlite(from, url, known, force ? storage::Overwrite::kYes : storage::Overwrite::kNo);
  if (!restored) {
    std::cerr << "passerelle restore: " << restored.error().public_message << "\n";
    return 1;
  }
  std::cout << "restored " << from << " (migration " << restored.value().versions.back()
            << "); `passerelle migrate` or `serve` applies the newer migrations\n";
  return 0;
}
// --- end backup, restore ---

}  // namespace passerelle
