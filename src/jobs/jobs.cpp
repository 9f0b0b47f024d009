#include "jobs/jobs.h"

#include <spdlog/spdlog.h>

#include "audit/audit_log.h"
#include "directory/freshness.h"
#include "notify/outbox.h"
#include "referral/jobs.h"

namespace passerelle::jobs {

std::optional<TimePoint> ParseInstant(std::string_view text) {
  using namespace std::chrono;
  auto number = [&](std::size_t at, std::size_t length) -> std::optional<int> {
    if (at + length > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = at; i < at + length; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const auto y = number(0, 4), mo = number(5, 2), d = number(8, 2);
  if (!y || !mo || !d || text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const year_month_day ymd{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  const TimePoint midnight = sys_days{ymd};
  if (text.size() == 10) return midnight + hours{12};
  const auto h = number(11, 2), mi = number(14, 2);
  if (text[10] != 'T' || !h || !mi || text[13] != ':' || *h > 23 || *mi > 59) return std::nullopt;
  std::size_t at = 16;
  int s = 0;
  if (at < text.size() && text[at] == ':') {
    const auto sec = number(at + 1, 2);
    if (!sec || *sec > 59) return std::nullopt;
    s = *sec;
    at += 3;
  }
  TimePoint t = midnight + hours{*h} + minutes{*mi} + seconds{s};
  if (at + 1 == text.size() && text[at] == 'Z') return t;
  if (at + 6 == text.size() && (text[at] == '+' || text[at] == '-') && text[at + 3] == ':') {
    const auto oh = number(at + 1, 2), om = number(at + 4, 2);
    if (!oh || !om || *oh > 14 || *om > 59) return std::nullopt;
    const minutes offset = hours{*oh} + minutes{*om};
    return text[at] == '+' ? t - offset : t + offset;
  }
  return std::nullopt;
}

RunReport RunAll(storage::Database& db, TimePoint now, const JobSettings& settings) {
  RunReport report;
  referral::ReferralJobs referrals(db);
  // Expiry first: an expired referral needs no reminder any more.
  const auto expired = referrals.ExpireInactive(now);
  const auto reminded = referrals.SendReminders(now);
  const auto escalated = referrals.Escalate(now);
  const auto deleted = referrals.DeleteFinishedContent(now);
  report.expired = expired.done.size();
  report.reminded = reminded.done.size();
  report.escalated = escalated.done.size();
  report.content_deleted = deleted.done.size();
  report.failures = expired.failed.size() + reminded.failed.size() + escalated.failed.size() + deleted.failed.size();
  try {
    report.audit_removed = audit::PruneBefore(db, now - settings.audit_retention);
  } catch (const std::exception& e) {
    ++report.failures;
    spdlog::error("event=job_failed job=audit_retention error=\"{}\"",
                  storage::DescribeDatabaseError(e).value_or(e.what()));
  }
  try {
    report.outbox_removed = notify::RemoveFinalRows(db, now, settings.outbox_retention);
  } catch (const std::exception& e) {
    ++report.failures;
    spdlog::error("event=job_failed job=outbox_retention error=\"{}\"",
                  storage::DescribeDatabaseError(e).value_or(e.what()));
  }
  if (!settings.freshness_key.empty()) {
    try {
      const directory::FreshnessRun freshness = directory::Freshness(db, settings.freshness_key).Run(now);
      report.freshness_requested = freshness.requested.size();
      report.freshness_stale = freshness.staled.size();
      report.failures += freshness.failed.size();
    } catch (const std::exception& e) {
      ++report.failures;
      spdlog::error("event=job_failed job=freshness error=\"{}\"",
                    storage::DescribeDatabaseError(e).value_or(e.what()));
    }
  }
  spdlog::info(
      "event=jobs_run reminded={} escalated={} expired={} content_deleted={} audit_removed={} failures={} "
      "outbox_removed={} freshness_requested={} freshness_stale={}",
      report.reminded, report.escalated, report.expired, report.content_deleted, report.audit_removed, report.failures,
      report.outbox_removed, report.freshness_requested, report.freshness_stale);
  return report;
}

Scheduler::Scheduler(storage::Database& db, Clock clock, std::chrono::milliseconds interval, JobSettings settings)
    : db_(db), clock_(std::move(clock)), interval_(interval), settings_(settings) {}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::Start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void Scheduler::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::size_t Scheduler::runs() const {
  std::lock_guard lock(mutex_);
  return runs_;
}

void Scheduler::Loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      (void)RunAll(db_, clock_(), settings_);
    } catch (const std::exception& e) {
      // Selecting the due items failed (database down): the next tick tries again.
      spdlog::error("event=jobs_run_failed error=\"{}\"", storage::DescribeDatabaseError(e).value_or(e.what()));
    }
    lock.lock();
    ++runs_;
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace passerelle::jobs
