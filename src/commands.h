#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "storage/database.h"

// The commands that span several domains, and the helper every command of main.cpp shares. Each
// domain's own commands are in its cli.h (docs/architecture.md).
namespace passerelle {

// Raw settings as given by flags or environment; each command validates what it uses and
// throws core::ConfigException naming the setting.
struct Settings {
  std::string db = "sqlite:data/passerelle.db";
  std::string listen = "127.0.0.1:8080";
  std::string data_dir = "data";
  std::string assets_dir;  // templates/, static/, content/, migrations/
  std::string exit_url = "https://meteofrance.com/";
  std::string territory;         // territory of this instance's public pages ("" = national)
  std::size_t threads = 4;       // workers running the handlers (http/admission.h)
  std::size_t max_queued = 256;  // requests waiting for a worker; beyond, the lowest class gets 503
  bool scheduler_fifo = false;   // BENCHMARK ONLY: no priorities (SchedulerOptions::fifo)
  std::size_t post_limit_per_minute = 120;
  // The help class has its own budget: about 12 POSTs per help flow, so 1200 lets a hundred women
  // behind one shared address (carrier NAT, shelter Wi-Fi) finish at once (issue 15, F7).
  std::size_t help_post_limit_per_minute = 1200;
  std::size_t max_connections = 1024;
  // The annuaire (src/annuaire).
  std::string tile_url;  // map tiles; "" = no map
  std::string tile_attribution;
  std::size_t api_limit_per_minute = 60;  // /api/v1/ requests per client and minute
  int directory_poll_ms = 5000;           // follow directory writes of other processes
  // Statistics (src/stats, docs/territory-console.md "Statistics").
  int stats_flush_ms = 60000;           // visits counted in memory are written this often
  long long small_count_threshold = 5;  // figures under it are shown as "< 5"
  // Notifications (src/notify, docs/notifications.md).
  std::string smtp_url;                              // "" = e-mails wait in the outbox
  std::string smtp_from;                             // sender address, required with smtp_url
  std::string public_url = "http://127.0.0.1:8080";  // base of the links in e-mails
  int outbox_poll_ms = 5000;                         // serve: how often the outbox is looked at
  // Timed jobs (src/jobs, docs/jobs.md).
  int jobs_interval_s = 600;  // `serve` runs the jobs this often; 0: not in this process
};

// The database of `settings.db` (its SQLite folder created), every migration applied.
std::unique_ptr<storage::Database> OpenAndMigrate(const Settings& settings, std::size_t pool_size);

// Each returns the process exit code.
int RunServe(const Settings& settings);
int RunMigrate(const Settings& settings);
// Demo territories, their directory and a key pair per demo organization (territory, directory,
// referral).
int RunDemo(const Settings& settings, bool only_if_empty);

}  // namespace passerelle
