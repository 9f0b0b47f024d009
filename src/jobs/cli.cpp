#include "jobs/cli.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <iostream>

#include "core/config.h"
#include "core/crypto.h"
#include "jobs/jobs.h"

namespace passerelle::jobs {

int RunJobs(const std::string& now_iso8601, const std::string& data_dir,
            const std::function<std::unique_ptr<storage::Database>()>& open_database) {
  core::InitCrypto();
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
  if (!now_iso8601.empty()) {
    const auto parsed = jobs::ParseInstant(now_iso8601);
    if (!parsed) {
      throw core::ConfigException(
          core::ConfigError{"--now", "expected 2026-03-05, 2026-03-05T10:00:00Z or 2026-03-05T11:00:00+01:00"});
    }
    now = *parsed;
  }
  jobs::JobSettings settings;
  if (std::filesystem::exists(std::filesystem::path(data_dir) / "server.key")) {
    settings.freshness_key = core::ServerKey::LoadOrCreate(data_dir).Derive("fresh");
  } else {
    spdlog::warn("event=freshness_skipped reason=no_server_key data_dir=\"{}\"", data_dir);
  }
  auto db = open_database();
  const jobs::RunReport report = jobs::RunAll(*db, now, settings);
  std::cout << "reminded " << report.reminded << ", escalated " << report.escalated << ", expired " << report.expired
            << ", content deleted " << report.content_deleted << ", audit entries removed " << report.audit_removed
            << ", failures " << report.failures << ", outbox rows removed " << report.outbox_removed
            << ", freshness questions " << report.freshness_requested << ", stale " << report.freshness_stale << "\n";
  return report.failures == 0 ? 0 : 1;
}

}  // namespace passerelle::jobs
