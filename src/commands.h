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
  std::size_t threads = 4;      // workers running the handlers (http/admission.h)
  std::size_t max_queued = 256;  // requests waiting for a worker; beyond, the lowest class gets 503
  std::size_t post_limit_per_minute = 120;
  // --- hardening (issue 15, F7) ---
  // The help class has its own budget: about 12 POSTs per help flow, so 1200 lets a hundred women
  // behind one shared address (carrier NAT, shelter Wi-Fi) finish at once.
  std::size_t help_post_limit_per_minute = 1200;
  std::size_t max_connections = 1024;
  // --- end hardening ---
  // --- annuaire (src/annuaire) ---
  std::string tile_url;                   // map tiles; "" = no map
  std::string tile_attribution;
  std::size_t api_limit_per_minute = 60;  // /api/v1/ requests per client and minute
  int directory_poll_ms = 5000;              // follow directory writes of other processes
  // --- end annuaire ---
  // --- notify (src/notify, docs/notifications.md) ---
  std::string smtp_url;                              // "" = e-mails wait in the outbox
  std::string smtp_from;                             // sender address, required with smtp_url
  std::string public_url = "http://127.0.0.1:8080";  // base of the links in e-mails
  int outbox_poll_ms = 5000;                         // serve: how often the outbox is looked at
  // --- end notify ---
  // --- referral workflow, jobs (src/jobs, docs/jobs.md) ---
  int jobs_interval_s = 600;  // `serve` runs the jobs this often; 0: not in this process
  // --- end referral workflow, jobs ---
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

// --- accounts (src/accounts, docs/accounts.md) ---
struct UserAddOptions {
  std::string email;
  std::string role;          // member | coordinator | operator
  std::string organization;  // --org, members
  std::string territory;     // --territory, coordinators
  std::string expires_in = "72h";  // the invitation link's lifetime: N, Ns, Nm, Nh or Nd
};
// `passerelle user add`: prints the one-time invitation link (and the organization's recovery
// code when its keys are created or adopted now). 1 with the reason on stderr.
int RunUserAdd(const Settings& settings, const UserAddOptions& options);
// `passerelle org keys ORG_ID`: creates the organization's keys (or adopts its demo key) and
// prints the recovery code, once.
int RunOrgKeys(const Settings& settings, const std::string& organization_id);
// --- end accounts ---

// --- audit, notify (src/audit, src/notify) ---
// `passerelle audit verify`: 0 with the number of entries checked, or 1 naming the first bad
// entry (seq) and why.
int RunAuditVerify(const Settings& settings);
// `passerelle outbox deliver [--now ISO8601]`: one delivery round of the due e-mails (cron, tests).
int RunOutboxDeliver(const Settings& settings, const std::string& now_iso8601);
// --- end audit, notify ---

// --- referral workflow, jobs (src/jobs, docs/jobs.md) ---
// `passerelle jobs run [--now ISO8601]`: every job once ("" = now); 1 when an item failed.
int RunJobs(const Settings& settings, const std::string& now_iso8601);
// --- end referral workflow, jobs ---

// --- backup, restore (src/storage/backup.h, docs/operations.md) ---
// `passerelle backup --to FILE`: a consistent copy of the live SQLite database (PostgreSQL:
// refused, pointing at pg_dump). 0, or 1 with the reason on stderr.
int RunBackup(const Settings& settings, const std::string& to);
// `passerelle restore --from FILE [--force]`: a backup into the database of --db, which must be
// empty unless `force`. 0, or 1 with the reason on stderr.
int RunRestore(const Settings& settings, const std::string& from, bool force);
// --- end backup, restore ---

}  // namespace passerelle
