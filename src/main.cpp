// The `passerelle` command: parses flags and environment (CLI11 lives in this translation unit
// only, it is slow to compile) and runs one subcommand: a domain's (its cli.h) or one of
// commands.h, which span several domains. Nothing else: see docs/architecture.md.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <iostream>

#include "accounts/cli.h"
#include "audit/cli.h"
#include "commands.h"
#include "content/cli.h"
#include "core/config.h"
#include "core/logging.h"
#include "directory/cli.h"
#include "geo/cli.h"
#include "help/cli.h"
#include "jobs/cli.h"
#include "notify/cli.h"
#include "storage/cli.h"
#include "storage/database.h"
#include "territory/cli.h"

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

// E-mail delivery (src/notify): `serve` and `outbox deliver`.
void AddSmtpOptions(CLI::App& command, passerelle::Settings& s) {
  command
      .add_option("--smtp-url", s.smtp_url,
                  "smtp://[user:password@]host:port[?tls=required] or smtps://… (none: e-mails wait in the outbox)")
      ->envname("PASSERELLE_SMTP_URL");
  command.add_option("--smtp-from", s.smtp_from, "sender address of the notifications")
      ->envname("PASSERELLE_SMTP_FROM");
  command.add_option("--public-url", s.public_url, "public base URL of the site, for the links in e-mails")
      ->envname("PASSERELLE_PUBLIC_URL")
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
  serve->add_option("--listen", settings.listen, "HOST:PORT to listen on")
      ->envname("PASSERELLE_LISTEN")
      ->capture_default_str();
  serve->add_option("--data-dir", settings.data_dir, "folder for the server secret key (created 0600)")
      ->envname("PASSERELLE_DATA_DIR")
      ->capture_default_str();
  serve->add_option("--exit-url", settings.exit_url, "neutral site the quick exit leads to when no territory is known")
      ->envname("PASSERELLE_EXIT_URL")
      ->capture_default_str();
  serve->add_option("--territory", settings.territory, "slug of the territory this instance serves")
      ->envname("PASSERELLE_TERRITORY");
  serve->add_option("--threads", settings.threads, "worker threads")
      ->envname("PASSERELLE_THREADS")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  serve
      ->add_option(
          "--max-queued", settings.max_queued,
          "requests waiting for a worker; beyond, the lowest priority class is answered 503 (docs/load-shedding.md)")
      ->envname("PASSERELLE_MAX_QUEUED")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  serve->add_flag("--scheduler-fifo", settings.scheduler_fifo,
                  "BENCHMARK ONLY: one FIFO queue for every class, the baseline of bench/load/run.sh");
  serve->add_option("--post-limit", settings.post_limit_per_minute, "state-changing requests per client and minute")
      ->envname("PASSERELLE_POST_LIMIT")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  // Hardening (issue 15, F7; docs/security.md).
  serve
      ->add_option("--help-post-limit", settings.help_post_limit_per_minute,
                   "state-changing requests of the help class (help flow, referral, /suivi) per client and minute")
      ->envname("PASSERELLE_HELP_POST_LIMIT")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  serve
      ->add_option("--max-connections", settings.max_connections,
                   "open connections at most; beyond, new ones wait in the listen backlog")
      ->envname("PASSERELLE_MAX_CONNECTIONS")
      ->check(CLI::Range(8, 1000000))
      ->capture_default_str();
  // The annuaire (src/annuaire).
  serve
      ->add_option(
          "--tile-url", settings.tile_url,
          "map tile path on this site for /annuaire, e.g. /tiles/{z}/{x}/{y}.png, proxied by nginx (none: no map)")
      ->envname("PASSERELLE_TILE_URL");
  serve
      ->add_option("--tile-attribution", settings.tile_attribution, "attribution shown on the map (the tiles' licence)")
      ->envname("PASSERELLE_TILE_ATTRIBUTION");
  serve->add_option("--api-limit", settings.api_limit_per_minute, "/api/v1/ requests per client and minute")
      ->envname("PASSERELLE_API_LIMIT")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  serve
      ->add_option("--directory-poll-ms", settings.directory_poll_ms,
                   "how often the directory search looks for writes made by other processes (imports)")
      ->envname("PASSERELLE_DIRECTORY_POLL_MS")
      ->check(CLI::Range(100, 3600000))
      ->capture_default_str();
  serve
      ->add_option("--stats-flush-ms", settings.stats_flush_ms,
                   "how often the visits of public pages counted in memory are written to the database")
      ->envname("PASSERELLE_STATS_FLUSH_MS")
      ->check(CLI::Range(100, 3600000))
      ->capture_default_str();
  serve
      ->add_option("--small-count-threshold", settings.small_count_threshold,
                   "statistics: every figure under it is shown as \"< N\" (docs/territory-console.md)")
      ->envname("PASSERELLE_SMALL_COUNT_THRESHOLD")
      ->check(CLI::Range(2, 100))
      ->capture_default_str();
  // Notifications (src/notify) and timed jobs (src/jobs).
  AddSmtpOptions(*serve, settings);
  serve->add_option("--outbox-poll-ms", settings.outbox_poll_ms, "how often due e-mails are looked for")
      ->envname("PASSERELLE_OUTBOX_POLL_MS")
      ->check(CLI::Range(100, 3600000))
      ->capture_default_str();
  serve
      ->add_option("--jobs-interval", settings.jobs_interval_s,
                   "seconds between runs of the timed jobs (reminders, escalations, expiry, retention); 0: none here")
      ->envname("PASSERELLE_JOBS_INTERVAL")
      ->check(CLI::Range(0, 86400))
      ->capture_default_str();

  CLI::App* migrate = app.add_subcommand("migrate", "Apply the database migrations");
  AddDatabaseOptions(*migrate, settings);

  CLI::App* demo = app.add_subcommand("demo", "Load the demonstration territories and their data");
  AddDatabaseOptions(*demo, settings);
  demo->add_flag("--if-empty", only_if_empty, "do nothing when the database already holds territories");
  // Demo key pairs of the referrals: secret keys under <data-dir>/demo-keys/, demonstration only.
  demo->add_option("--data-dir", settings.data_dir, "folder for the demo organizations' secret keys (demo-keys/)")
      ->envname("PASSERELLE_DATA_DIR")
      ->capture_default_str();

  // src/directory/cli.h
  passerelle::directory::ImportOptions import_options;
  CLI::App* import =
      app.add_subcommand("import", "Import directory organizations into a territory (docs/data-formats.md)");
  AddDatabaseOptions(*import, settings);
  import->add_option("--format", import_options.format, "hsds or csv")
      ->required()
      ->check(CLI::IsMember({"hsds", "csv"}));
  import->add_option("--territory", import_options.territory, "slug of the territory")->required();
  import->add_option("file", import_options.file, "file to import, - for standard input")->required();
  import->add_flag("--dry-run", import_options.dry_run, "check and report, write nothing");
  import->add_flag("--skip-invalid", import_options.skip_invalid, "write the valid organizations, report the others");

  passerelle::directory::ExportOptions export_options;
  CLI::App* export_command = app.add_subcommand("export", "Export the directory to standard output");
  AddDatabaseOptions(*export_command, settings);
  export_command->add_option("--format", export_options.format, "hsds or csv")
      ->required()
      ->check(CLI::IsMember({"hsds", "csv"}));
  export_command->add_option("--territory", export_options.territory, "slug of the territory (default: all)");
  export_command->add_flag("--include-confidential", export_options.include_confidential,
                           "coordinators only: confidential addresses and non-public organizations");

  // src/geo/cli.h
  std::string gazetteer_file;
  CLI::App* gazetteer =
      app.add_subcommand("gazetteer", "French communes: load the default gazetteer or import an official file");
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

  // src/territory/cli.h (docs/territory-console.md "Territories")
  passerelle::territory::TerritoryOptions territory_options;
  CLI::App* territory = app.add_subcommand("territory", "Territories: create, change, archive, list");
  territory->require_subcommand(1);
  const auto add_territory_fields = [&territory_options](CLI::App& command) {
    command.add_option("--name", territory_options.name, "name shown to the public");
    command.add_option("--commune", territory_options.communes, "INSEE code of a commune (repeat; replaces the list)");
    command.add_option("--centre", territory_options.centre, "LAT,LON (default: proposed from the communes)");
    command.add_option("--radius", territory_options.radius_km, "default search radius in km (default: proposed)");
    command.add_option("--youth", territory_options.youth_services,
                       "a youth service \"name|phone|description\" (repeat; replaces the list)");
    command.add_option("--emergency", territory_options.emergency_contacts,
                       "an emergency number \"label|number|voice or sms\" (repeat; default: the national numbers)");
    command.add_option("--exit-url", territory_options.exit_url, "neutral site of the quick exit");
    command.add_option("--language", territory_options.languages, "fr, en or ar (repeat; default: fr)");
  };
  CLI::App* territory_add = territory->add_subcommand("add", "Create a territory (audited)");
  AddDatabaseOptions(*territory_add, settings);
  territory_add->add_option("--slug", territory_options.slug, "identifier in addresses, e.g. paris-18")->required();
  add_territory_fields(*territory_add);
  CLI::App* territory_edit =
      territory->add_subcommand("edit", "Change, archive or restore a territory; options not given stay (audited)");
  AddDatabaseOptions(*territory_edit, settings);
  territory_edit->add_option("slug", territory_options.slug, "the territory")->required();
  add_territory_fields(*territory_edit);
  territory_edit->add_flag("--archive", territory_options.archive, "no longer offered to the public, kept for history");
  territory_edit->add_flag("--restore", territory_options.restore, "offered to the public again");
  CLI::App* territory_list = territory->add_subcommand("list", "Every territory with its state");
  AddDatabaseOptions(*territory_list, settings);

  // src/content/cli.h
  CLI::App* content = app.add_subcommand("content", "Practical sheets");
  content->require_subcommand(1);
  CLI::App* content_check =
      content->add_subcommand("check", "Check every sheet (front matter, links, sources) without serving");
  content_check->add_option("--assets-dir", settings.assets_dir, "folder holding content/")
      ->envname("PASSERELLE_ASSETS_DIR")
      ->capture_default_str();

  // src/help/cli.h
  std::string flow_file;
  CLI::App* flow = app.add_subcommand("flow", "Help flow definitions");
  flow->require_subcommand(1);
  CLI::App* flow_check =
      flow->add_subcommand("check", "Check a flow file (content/flows/*.yaml or a territory override)");
  flow_check->add_option("file", flow_file, "the YAML file")->required();
  flow_check->add_option("--assets-dir", settings.assets_dir, "folder holding content/flows/ (the French reference)")
      ->envname("PASSERELLE_ASSETS_DIR")
      ->capture_default_str();

  // src/accounts/cli.h
  passerelle::accounts::UserAddOptions user_add_options;
  CLI::App* user = app.add_subcommand("user", "Accounts of the professional space (docs/accounts.md)");
  user->require_subcommand(1);
  CLI::App* user_add = user->add_subcommand("add", "Invite a professional: prints a one-time link (valid 72 h)");
  AddDatabaseOptions(*user_add, settings);
  user_add->add_option("--email", user_add_options.email, "the person's e-mail address")->required();
  user_add->add_option("--role", user_add_options.role, "member, coordinator or operator")
      ->required()
      ->check(CLI::IsMember({"member", "coordinator", "operator"}));
  user_add->add_option("--org", user_add_options.organization, "organization id (members)");
  user_add->add_option("--territory", user_add_options.territory, "territory slug (coordinators)");
  user_add->add_option("--expires-in", user_add_options.expires_in, "lifetime of the link: 72h, 30m, 3600s…")
      ->capture_default_str();
  user_add->add_option("--public-url", settings.public_url, "public base URL of the site, for the link")
      ->envname("PASSERELLE_PUBLIC_URL")
      ->capture_default_str();
  user_add->add_option("--data-dir", settings.data_dir, "folder holding demo-keys/ (demo organizations)")
      ->envname("PASSERELLE_DATA_DIR")
      ->capture_default_str();
  std::string org_keys_id;
  CLI::App* org = app.add_subcommand("org", "Organizations of the professional space");
  org->require_subcommand(1);
  CLI::App* org_keys = org->add_subcommand(
      "keys", "Create an organization's keys (or adopt its demo key); prints its recovery code once");
  AddDatabaseOptions(*org_keys, settings);
  org_keys->add_option("organization", org_keys_id, "organization id")->required();
  org_keys->add_option("--data-dir", settings.data_dir, "folder holding demo-keys/ (demo organizations)")
      ->envname("PASSERELLE_DATA_DIR")
      ->capture_default_str();

  // src/audit/cli.h, src/notify/cli.h
  CLI::App* audit = app.add_subcommand("audit", "The hash-chained audit log (docs/audit.md)");
  audit->require_subcommand(1);
  CLI::App* audit_verify = audit->add_subcommand(
      "verify", "Check the chain: exit 0 with the count, or 1 naming the first modified, removed or reordered entry");
  AddDatabaseOptions(*audit_verify, settings);
  std::string outbox_now;
  CLI::App* outbox = app.add_subcommand("outbox", "E-mail notifications (docs/notifications.md)");
  outbox->require_subcommand(1);
  CLI::App* outbox_deliver = outbox->add_subcommand("deliver", "Deliver the due e-mails once (for cron and tests)");
  AddDatabaseOptions(*outbox_deliver, settings);
  AddSmtpOptions(*outbox_deliver, settings);
  outbox_deliver->add_option("--now", outbox_now, "act as if it were this time (ISO 8601, e.g. 2025-06-15T15:06:40Z)");

  // src/jobs/cli.h
  std::string jobs_now;
  CLI::App* jobs = app.add_subcommand("jobs", "Timed jobs: reminders, escalations, expiry, retention (docs/jobs.md)");
  jobs->require_subcommand(1);
  CLI::App* jobs_run =
      jobs->add_subcommand("run", "Run every job once (for cron and tests); exit 1 when an item failed");
  AddDatabaseOptions(*jobs_run, settings);
  jobs_run->add_option("--now", jobs_now, "act as if it were this time (2026-03-05, or ISO 8601 with zone)");
  jobs_run->add_option("--data-dir", settings.data_dir, "folder of the server secret key (for the freshness links)")
      ->envname("PASSERELLE_DATA_DIR");

  // src/storage/cli.h (docs/operations.md)
  std::string backup_to;
  CLI::App* backup = app.add_subcommand("backup", "Consistent copy of the live SQLite database (PostgreSQL: pg_dump)");
  AddDatabaseOptions(*backup, settings);
  backup->add_option("--to", backup_to, "new file to write (0600); never next to data/server.key")->required();
  std::string restore_from;
  bool restore_force = false;
  CLI::App* restore =
      app.add_subcommand("restore", "Restore a backup into the database of --db (stop the server first)");
  AddDatabaseOptions(*restore, settings);
  restore->add_option("--from", restore_from, "file written by `passerelle backup`")->required();
  restore->add_flag("--force", restore_force, "replace a database that already holds data");

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

  // Every command opens the database only once its own arguments are checked.
  const auto open_database = [&settings] { return passerelle::OpenAndMigrate(settings, 1); };
  try {
    if (*serve) return passerelle::RunServe(settings);
    if (*migrate) return passerelle::RunMigrate(settings);
    if (*demo) return passerelle::RunDemo(settings, only_if_empty);
    if (*content_check) return passerelle::content::RunContentCheck(settings.assets_dir);
    if (*flow_check) return passerelle::help::RunFlowCheck(flow_file, settings.assets_dir);
    if (*gazetteer_import)
      return passerelle::geo::RunGazetteerImport(*open_database(), gazetteer_file, std::cout, std::cerr);
    if (*gazetteer_load)
      return passerelle::geo::RunGazetteerLoadDefault(*open_database(), gazetteer_file, std::cout, std::cerr);
    if (*gazetteer_correct) {
      return passerelle::geo::RunGazetteerCorrect(*open_database(), correct_insee, correct_lat, correct_lon, std::cout,
                                                  std::cerr);
    }
    if (*import) return passerelle::directory::RunImport(import_options, open_database);
    if (*export_command) return passerelle::directory::RunExport(export_options, open_database);
    if (*territory_add)
      return passerelle::territory::RunTerritoryAdd(territory_options, open_database, std::cout, std::cerr);
    if (*territory_edit)
      return passerelle::territory::RunTerritoryEdit(territory_options, open_database, std::cout, std::cerr);
    if (*territory_list) return passerelle::territory::RunTerritoryList(open_database, std::cout);
    if (*audit_verify) return passerelle::audit::RunAuditVerify(open_database);
    if (*user_add) {
      user_add_options.public_url = settings.public_url;
      user_add_options.data_dir = settings.data_dir;
      return passerelle::accounts::RunUserAdd(user_add_options, open_database);
    }
    if (*org_keys) return passerelle::accounts::RunOrgKeys(org_keys_id, settings.data_dir, open_database);
    if (*outbox_deliver) {
      return passerelle::notify::RunOutboxDeliver(
          passerelle::notify::OutboxDeliverOptions{settings.smtp_url, settings.smtp_from, settings.public_url,
                                                   outbox_now},
          open_database);
    }
    if (*jobs_run) return passerelle::jobs::RunJobs(jobs_now, settings.data_dir, open_database);
    if (*backup) return passerelle::storage::RunBackup(settings.db, backup_to);
    if (*restore) return passerelle::storage::RunRestore(settings.db, settings.assets_dir, restore_from, restore_force);
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
