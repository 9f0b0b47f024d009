// The commands that span several domains: `serve` (the composition root of the HTTP site),
// `migrate` and `demo`; main.cpp wires them with every domain's cli.h (docs/architecture.md).
#include "commands.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <string_view>

#include "accounts/register.h"
#include "annuaire/index.h"
#include "annuaire/register.h"
#include "console/sheets.h"
#include "console/wording.h"
#include "content/register.h"
#include "conversation/hub.h"
#include "conversation/register.h"
#include "conversation/relay.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/logging.h"
#include "core/work_pool.h"
#include "directory/demo.h"
#include "directory/service.h"
#include "duty/appointment_hooks.h"
#include "duty/schedule.h"
#include "duty/service.h"
#include "geo/gazetteer.h"
#include "geo/repository.h"
#include "help/flow_file.h"
#include "help/register.h"
#include "help/token.h"
#include "http/csrf.h"
#include "http/i18n.h"
#include "http/pipeline.h"
#include "http/router.h"
#include "http/server.h"
#include "http/static_files.h"
#include "http/templates.h"
#include "jobs/jobs.h"
#include "notify/deliverer.h"
#include "notify/smtp.h"
#include "org_keys/demo_keys.h"
#include "pro_space/pro_space.h"
#include "referral/register.h"
#include "referral/service.h"
#include "stats/repository.h"
#include "stats/visits.h"
#include "storage/migrations.h"
#include "territory/demo.h"
#include "territory/live.h"
#include "territory/register.h"
#include "territory/repository.h"

namespace passerelle {

namespace fs = std::filesystem;

std::unique_ptr<storage::Database> OpenAndMigrate(const Settings& settings, std::size_t pool_size) {
  const core::DatabaseUrl url = core::ParseDatabaseUrl(settings.db);
  if (url.backend == core::DatabaseBackend::kSqlite) {
    const fs::path parent = fs::path(url.sqlite_path).parent_path();
    if (!parent.empty()) fs::create_directories(parent);
  }
  auto db = storage::Database::Open(url, pool_size);
  const auto applied =
      storage::ApplyMigrations(*db, storage::LoadMigrations(fs::path(settings.assets_dir) / "migrations"));
  for (int version : applied) spdlog::info("event=migration_applied version={}", version);
  return db;
}

namespace {

// Loads the sheets (the files, then the console's sheets of the territory served); throws
// listing every problem.
content::SheetLibrary LoadSheets(const Settings& settings, storage::Database& db) {
  std::vector<content::Problem> problems;
  content::SheetLibrary library =
      content::SheetLibrary::Load(fs::path(settings.assets_dir) / "content", problems,
                                  settings.territory.empty() ? std::vector<content::LocalSheet>{}
                                                             : console::ReadLocalSheets(db, settings.territory));
  if (!problems.empty()) {
    std::string all;
    for (const auto& p : problems) all += "\n  " + p.ToString();
    throw core::InfrastructureError(std::to_string(problems.size()) + " problem(s) in the sheets:" + all);
  }
  return library;
}

// Loads the help flows (the territory's override files, then its wording from the console);
// throws listing every problem.
help::FlowLibrary LoadFlows(const Settings& settings, storage::Database& db) {
  std::vector<help::Problem> problems;
  help::FlowLibrary flows = help::FlowLibrary::Load(
      fs::path(settings.assets_dir) / "content", settings.territory, problems,
      settings.territory.empty() ? help::WebWording{} : console::ReadFlowWording(db, settings.territory));
  if (!problems.empty()) {
    std::string all;
    for (const auto& p : problems) all += "\n  " + p.ToString();
    throw core::InfrastructureError(std::to_string(problems.size()) + " problem(s) in the help flows:" + all);
  }
  return flows;
}

}  // namespace

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
  if (only_if_empty && !territories.ListAllSlugs().empty()) {
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
  // Referral: a key pair per demo organization, FOR DEMONSTRATION ONLY (docs/referral.md).
  {
    const directory::DirectoryService directory_service(*db);
    std::vector<std::string> organization_ids;
    for (const territory::Territory& t : territory::DemoTerritories()) {
      for (const directory::Organization& o : directory_service.ListByTerritory(t.slug)) {
        if (o.is_demo) organization_ids.push_back(o.id);
      }
    }
    const fs::path key_dir = fs::path(settings.data_dir) / "demo-keys";
    const std::size_t created =
        org_keys::ProvisionDemoKeys(*db, organization_ids, key_dir, std::chrono::system_clock::now());
    std::cout << "demo keys: " << created << " created, secret keys in " << key_dir.string()
              << " (demonstration only)\n";
  }
  return 0;
}

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
  // The Argon2id derivations of follow-up codes, off the request workers (ADR 0016): one thread
  // per core, four jobs waiting per thread; each job's handler lends its worker's place meanwhile.
  core::WorkPool derivations;
  const std::size_t lendable = derivations.threads() + derivations.max_queued();
  // A connection for each handler that may run (workers, and the threads standing in for those
  // waiting on a derivation), and one for the background jobs.
  auto db = OpenAndMigrate(settings, settings.threads + lendable + 1);

  const fs::path assets(settings.assets_dir);
  http::StaticFiles static_files;
  static_files.AddDirectory(assets / "static", "/static");
  // Leaflet for the annuaire's map (npm package `leaflet`), served by Passerelle itself. Tiles
  // come from this same host (a reverse-proxied tile cache): public pages reach no other host.
  if (!settings.tile_url.empty()) {
    static_files.AddDirectory(assets / "node_modules" / "leaflet" / "dist", "/static/vendor/leaflet");
  }
  const http::Translator translator(http::DefaultLocaleDir());
  content::ServedSheets sheets(LoadSheets(settings, *db));
  help::FlowLibrary flows = LoadFlows(settings, *db);
  const help::FlowTokens flow_tokens(key.Derive("flow"));
  territory::TerritoryRepository territories(*db);
  if (!settings.territory.empty() && !territories.Find(settings.territory)) {
    throw core::ConfigException(core::ConfigError{"--territory (PASSERELLE_TERRITORY)",
                                                  "no territory \"" + settings.territory + "\" in the database"});
  }
  // The territories served, kept current without a restart (docs/territory-console.md "Live
  // territories"): reloaded at once when the console of this instance saves one, and every
  // --directory-poll-ms for the writes of other instances and of `passerelle territory`.
  territory::LiveTerritories live_territories([&territories] { return territories.ListAll(); });
  live_territories.Watch(std::chrono::milliseconds(settings.directory_poll_ms));
  const auto current_territories = [&live_territories] { return live_territories.Current(); };
  const http::Renderer renderer(assets / "templates", static_files, translator,
                                http::SiteSettings{territories.AnyDemo(), "/sortie", "/pro"});
  const http::CsrfGuard csrf(key.Derive("csrf"));
  stats::StatsRepository stats(*db);
  // Visits of public pages (issue 11 §4): counted in memory, written every minute and at shutdown.
  // On the national site, a page about a territory (the annuaire's commune or service) counts for it.
  stats::PageVisits page_visits(
      stats, settings.territory, [] { return std::chrono::system_clock::now(); },
      std::chrono::milliseconds(settings.stats_flush_ms), territories.ListSlugs(),
      [&live_territories](std::string_view slug) {
        const territory::Territory* t = live_territories.Current()->Find(std::string(slug));
        return t != nullptr && !t->archived;
      });
  page_visits.Start();

  http::Router router;
  {
    // The home page and the sheets are counted; the other static pages are not.
    const http::Router::TapScope tap(router, [&page_visits](const std::string& pattern, const http::Response&) {
      if (pattern == "/") page_visits.Count(stats::PageKind::kHome);
      if (pattern.rfind("/fiches", 0) == 0) page_visits.Count(stats::PageKind::kSheets);
    });
    // The content pages read memory only: they may be answered on the I/O thread (ADR 0017).
    const http::Router::NonBlockingScope in_memory(router);
    content::RegisterContent(router, renderer, sheets, settings.territory);
  }
  // Her sealed drafts between a POST and its GET (ADR 0011), destroyed by the quick exit.
  referral::PublicDrafts public_drafts(*db, key.Derive("draft"));
  // Live conversations "Écrire maintenant" (src/conversation, ADR 0014): in this process's memory.
  const conversation::Clock now_clock = [] { return std::chrono::system_clock::now(); };
  conversation::Settings conversation_settings;
  // The territory's delay before the other ways are offered (its settings page in the console),
  // read from the live territories at each view: a save applies at once. 5 minutes when unknown.
  conversation_settings.offer_others_after = [&live_territories](const std::string& slug) {
    const territory::Territory* t = live_territories.Current()->Find(slug);
    return std::chrono::seconds(60LL * (t != nullptr ? t->conversation_offer_minutes : 5));
  };
  conversation::Hub conversations(conversation_settings, conversation::StatsCounter(stats, now_clock));
  conversations.StartKeepAlive(std::chrono::seconds(15), now_clock);  // SSE keep-alives, finds closed clients
  // On PostgreSQL, other instances may serve her page or the desk: the relay carries each
  // conversation between them, sealed (LISTEN/NOTIFY, ADR 0014). SQLite has one process.
  std::unique_ptr<conversation::Relay> conversation_relay;
  if (db->backend() == core::DatabaseBackend::kPostgresql) {
    conversation_relay = std::make_unique<conversation::Relay>(
        *db, core::ParseDatabaseUrl(settings.db).postgresql_conninfo, conversations, now_clock);
    conversation_relay->Start();
  }
  territory::RegisterTerritory(
      router, territories, exit_url,
      [&public_drafts, &conversations, now_clock](const http::Request& request, http::Response& response) {
        referral::ForgetDraft(public_drafts, request, response);
        conversation::InterruptFromExit(conversations, request, now_clock());
      });
  // The annuaire (src/annuaire): gazetteer, index kept in sync with the directory, routes.
  const geo::Gazetteer gazetteer(geo::ReadCommunes(*db));
  if (gazetteer.size() == 0) spdlog::warn("event=gazetteer_empty hint=\"passerelle gazetteer load\"");
  directory::DirectoryService directory_service(*db);
  annuaire::ServiceIndex annuaire_index(
      directory_service, [&gazetteer](const std::string& insee) -> std::optional<std::pair<double, double>> {
        if (const geo::Commune* c = gazetteer.FindByInsee(insee)) return std::pair{c->lat, c->lon};
        return std::nullopt;
      });
  annuaire_index.Start();
  annuaire_index.WatchOtherWriters(std::chrono::milliseconds(settings.directory_poll_ms));
  // The help flow proposes professionals from the same index and gazetteer (issue 3 §5).
  referral::ReferralService referrals(*db, referral::ReferralKeys::From(key));
  referrals.SetDerivationPool(&derivations);
  help::HelpSettings help_settings;
  help_settings.territory_slug = settings.territory;
  help_settings.territories = current_territories;
  help_settings.matching = help::MatchDirectory{&annuaire_index, &gazetteer};
  help_settings.has_referral_key = [&referrals](const std::string& organization_id) {
    return referrals.PublicKeyOf(organization_id).has_value();
  };
  // On-duty time on the result (issue 12, src/duty): who can call her back now, or when next.
  const duty::Schedule duty_schedule(*db);
  help_settings.duty_now = [&duty_schedule](const std::vector<std::string>& service_ids) {
    const auto now = std::chrono::system_clock::now();
    help::DutyNow out;
    for (const duty::OnDuty& d : duty_schedule.OnDutyServices(service_ids, now)) out.until[d.service_id] = d.until;
    if (out.until.empty()) out.next_start = duty_schedule.NextOnDutyStart(service_ids, now);
    return out;
  };
  // Appointments (issue 12 §2, src/duty): the proposals with open slots offer "Prendre rendez-vous".
  duty::Appointments appointments(*db);
  help_settings.bookable = [&appointments](const std::vector<std::string>& service_ids) {
    const auto now = std::chrono::system_clock::now();
    std::set<std::string> out;
    for (const duty::AppointmentSlot& slot : appointments.OpenSlots(service_ids, now, now + duty::kBookingAhead))
      out.insert(slot.service_id);
    return out;
  };
  // The question pages without JavaScript keep their page in her draft (ADR 0011).
  const bool secure_draft_cookie = settings.public_url.rfind("https://", 0) == 0;
  help_settings.save_page = [&public_drafts, secure_draft_cookie](
                                const http::Request& request, const nlohmann::json& page, const std::string& location) {
    return referral::SaveQuestionPage(public_drafts, secure_draft_cookie, request, page, location);
  };
  help_settings.load_page = [&public_drafts](const http::Request& request) {
    return referral::LoadQuestionPage(public_drafts, request);
  };
  // "Écrire maintenant" on the end page: a service on duty now (src/duty) whose organization has
  // someone at the desk (docs/conversation.md). Counted once per end page that offers it.
  const auto can_talk_now = [&conversations, &directory_service, &duty_schedule,
                             now_clock](const std::string& service_id) {
    const auto service = directory_service.GetPublicService(service_id);
    return service && conversations.Staffed(service->organization.id, now_clock()) &&
           !duty_schedule.OnDutyServices({service_id}, now_clock()).empty();
  };
  help_settings.live_conversation = [can_talk_now, &stats, &directory_service,
                                     now_clock](const std::vector<std::string>& service_ids) {
    std::set<std::string> live;
    for (const std::string& id : service_ids) {
      if (can_talk_now(id)) live.insert(id);
    }
    if (!live.empty()) {
      const auto service = directory_service.GetPublicService(*live.begin());
      stats.Increment(stats::StatEvent::kConversationOffered, service ? service->organization.territory_slug : "", "",
                      now_clock());
    }
    return live;
  };
  {
    // GET /aide, the start of the help flow (her answers are POSTs, counted by the flow itself).
    const http::Router::TapScope tap(router, [&page_visits](const std::string& pattern, const http::Response&) {
      if (pattern == "/aide") page_visits.Count(stats::PageKind::kHelp);
    });
    help::RegisterHelp(router, renderer, stats, flows, flow_tokens, std::move(help_settings));
    router.MarkNonBlocking(http::Method::kGet, "/aide");  // the start of the help: memory only (ADR 0017)
  }
  {
    // The directory's pages; its JSON API is not a visit.
    // A page about a territory (its commune, its service) names it in `visit_scope`.
    const auto count = [&page_visits](const std::string& pattern, const http::Response& response) {
      if (pattern.rfind("/annuaire", 0) == 0) page_visits.Count(stats::PageKind::kDirectory, response.visit_scope);
    };
    const http::Router::TapScope tap(router, count);
    annuaire::RegisterAnnuaire(router, renderer, annuaire_index, directory_service, gazetteer,
                               annuaire::AnnuaireSettings{settings.territory, current_territories, settings.tile_url,
                                                          settings.tile_attribution, settings.api_limit_per_minute});
  }
  // Referral (src/referral): report, sealed referral, follow-up.
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
  // A call-back is accepted while its service is on duty; its e-mail goes to the members on duty.
  referral_settings.on_duty = [&duty_schedule](const std::string& service_id) {
    return !duty_schedule.OnDutyServices({service_id}, std::chrono::system_clock::now()).empty();
  };
  referral_settings.on_duty_emails = [&db](const std::string& organization_id) {
    return duty::OnDutyEmails(*db, organization_id, std::chrono::system_clock::now());
  };
  duty::WireAppointments(appointments, referral_settings);
  referral::RegisterReferral(router, renderer, stats, flows, flow_tokens, directory_service, referrals,
                             referral_settings);
  // "The other ways" while nobody answers (docs/conversation.md): the call-back, the slots and the
  // next on-duty time of src/duty, as the result page offers them.
  const auto other_ways = [&duty_schedule, &appointments, now_clock](const std::string& service_id) {
    const auto now = now_clock();
    conversation::OtherWays ways;
    ways.on_duty = !duty_schedule.OnDutyServices({service_id}, now).empty();
    ways.bookable = !appointments.OpenSlots({service_id}, now, now + duty::kBookingAhead).empty();
    if (!ways.on_duty) ways.next_on_duty = duty_schedule.NextOnDutyStart({service_id}, now);
    return ways;
  };
  conversation::RegisterConversation(router, renderer, stats, flows, flow_tokens, directory_service, referrals,
                                     conversations,
                                     conversation::ConversationSettings{can_talk_now, now_clock, other_ways});
  // Notifications (src/notify): the outbox is delivered by a thread of this process.
  const std::string notify_public_url = notify::ParsePublicUrl(settings.public_url);
  std::unique_ptr<notify::Deliverer> outbox_deliverer;
  std::unique_ptr<notify::DeliveryLoop> delivery_loop;  // declared after db: stopped before it closes
  if (settings.smtp_url.empty()) {
    spdlog::warn("event=smtp_not_configured hint=\"PASSERELLE_SMTP_URL: e-mails wait in the outbox\"");
  } else {
    outbox_deliverer = std::make_unique<notify::Deliverer>(
        *db, notify::ParseSmtpSettings(settings.smtp_url, settings.smtp_from), notify_public_url);
    delivery_loop =
        std::make_unique<notify::DeliveryLoop>(*outbox_deliverer, std::chrono::milliseconds(settings.outbox_poll_ms));
    spdlog::info("event=smtp_configured url={}", notify::RedactSmtpUrl(settings.smtp_url));
  }
  // Accounts (src/accounts): /pro sign-in, invitations, sessions, access policy.
  accounts::AccountsSettings accounts_settings;
  accounts_settings.public_url = settings.public_url;
  accounts_settings.data_dir = settings.data_dir;
  // The pro space (src/pro_space): every /pro route (accounts, inbox /pro/demandes, profile),
  // registered in one place that the generated access matrix (pro_space_test.cpp) exercises.
  const std::unique_ptr<pro_space::ProSpace> pro = pro_space::RegisterProSpace(
      router, renderer, csrf, *db, key, directory_service, accounts_settings,
      [] { return std::chrono::system_clock::now(); },
      pro_space::ConsoleOptions{
          settings.small_count_threshold, help::MatchDirectory{&annuaire_index, &gazetteer},
          // A territory's wording saved in the console: this instance serves it at once
          // (docs/territory-console.md "Local wording").
          console::WordingSettings{assets / "content",
                                   [&settings, &flows, &db](const std::string& slug) {
                                     if (slug != settings.territory) return;
                                     try {
                                       flows.Replace(LoadFlows(settings, *db));
                                       spdlog::info("event=help_flows_reloaded territory={}", slug);
                                     } catch (const core::InfrastructureError&) {
                                       // The console saved only wording that passed these very checks;
                                       // the flows served stay as they were.
                                       spdlog::error("event=help_flows_reload_failed territory={}", slug);
                                     }
                                   },
                                   // A territory's sheet saved in the console, likewise
                                   // (docs/territory-console.md "Local sheets").
                                   [&settings, &sheets, &db](const std::string& slug) {
                                     if (slug != settings.territory) return;
                                     try {
                                       sheets.Replace(LoadSheets(settings, *db));
                                       spdlog::info("event=sheets_reloaded territory={}", slug);
                                     } catch (const core::InfrastructureError&) {
                                       spdlog::error("event=sheets_reload_failed territory={}", slug);
                                     }
                                   }},
          // A territory saved in the console: this instance serves it at once (the other instances
          // at their next poll).
          [&live_territories](const std::string& slug) {
            try {
              if (live_territories.Reload()) spdlog::info("event=territories_reloaded by=console territory={}", slug);
            } catch (const std::exception& e) {
              // Saved all the same: the watch reads it again at its next poll.
              spdlog::error("event=territories_reload_failed territory={} error=\"{}\"", slug, e.what());
            }
          }},
      &conversations);
  // Timed jobs (src/referral, src/jobs); the inbox is in the pro space.
  std::unique_ptr<jobs::Scheduler> job_scheduler;  // declared after db: stopped (and joined) before it closes
  if (settings.jobs_interval_s > 0) {
    jobs::JobSettings job_settings;
    job_settings.freshness_key = key.Derive("fresh");  // the links of the freshness questions
    job_scheduler = std::make_unique<jobs::Scheduler>(
        *db, [] { return std::chrono::system_clock::now(); }, std::chrono::seconds(settings.jobs_interval_s),
        job_settings);
    job_scheduler->Start();
  }
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
  http::Pipeline pipeline(
      router, static_files, renderer, csrf, pipeline_options, [] { return std::chrono::system_clock::now(); },
      storage::DescribeDatabaseError);
  pipeline.SetCsrfScope([&](const http::Request& request) { return pro->routes().CsrfScope(request); });  // pro space
  http::ServerOptions server_options;
  server_options.listen = listen;
  // Hardening: refused before reading; the import route of the console takes more (docs/territory-console.md).
  server_options.max_body_bytes = pipeline.LargestBodyLimit();
  // A route's larger limit (the console's import) only for a live session: anyone else is refused
  // at the usual limit before sending 64 MiB (docs/security.md F7).
  server_options.body_limit_of = [&pipeline, &pro,
                                  usual = pipeline_options.max_body_bytes](const http::Request& request) {
    const std::size_t limit = pipeline.BodyLimitOf(request);
    return limit > usual && !pro->routes().HasLiveSession(request) ? usual : limit;
  };
  server_options.max_connections = settings.max_connections;  // hardening
  server_options.scheduling.workers = settings.threads;
  server_options.scheduling.max_queued = settings.max_queued;
  server_options.scheduling.reserved_workers = settings.threads > 1 ? 1 : 0;
  server_options.scheduling.fifo = settings.scheduler_fifo;
  server_options.scheduling.spare_threads = lendable;
  server_options.on_stopping = [&conversations] { conversations.CloseStreams(); };  // SSE, before the drain
  if (settings.scheduler_fifo) spdlog::warn("event=scheduler_fifo benchmark_only=true");
  http::RunServer(
      server_options, [&pipeline](const http::Request& request) { return pipeline.AdmissionOf(request); },
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

}  // namespace passerelle
