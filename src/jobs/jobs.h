#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "storage/database.h"

// Timed work of Passerelle (issue 4 §6, docs/jobs.md): referral reminders, escalations, expiry,
// deletion of report content, and removal of old audit entries and of old final outbox rows.
// `passerelle jobs run` runs them once; `serve` runs them every few minutes on a thread of its
// own (Scheduler). Every step is idempotent and handles each item in its own transaction, so runs
// may overlap across instances.
namespace passerelle::jobs {

using TimePoint = std::chrono::system_clock::time_point;
using Clock = std::function<TimePoint()>;

struct JobSettings {
  // Audit entries older than this are removed (audit::PruneBefore keeps the chain verifiable).
  std::chrono::hours audit_retention{24 * 365};
  // Final outbox rows (sent, failed, unknown) are removed after this many Paris days from the day
  // they became final (notify::RemoveFinalRows): long enough to look into an `unknown` one.
  std::chrono::days outbox_retention{30};
  // The key of the freshness links (core::ServerKey::Derive("fresh"), directory/freshness.h);
  // empty: the freshness step does not run (a `jobs run` without the server key).
  std::string freshness_key;
};

// Counts of one run (logged as one line; ids of the items are logged by each step).
struct RunReport {
  std::size_t reminded = 0;
  std::size_t escalated = 0;
  std::size_t expired = 0;
  std::size_t content_deleted = 0;
  std::size_t audit_removed = 0;
  std::size_t outbox_removed = 0;
  std::size_t failures = 0;             // items (or the audit step) that failed; retried next run
  std::size_t freshness_requested = 0;  // organisations asked whether their information is right
  std::size_t freshness_stale = 0;      // organisations flagged stale (no answer after 30 days)
};

// `passerelle jobs run --now`: "YYYY-MM-DD" (noon UTC that day, so the same Paris day),
// "YYYY-MM-DDTHH:MM[:SS]Z" or with an offset "+HH:MM" / "-HH:MM". Nothing for anything else.
std::optional<TimePoint> ParseInstant(std::string_view text);

// Runs every job once as of `now`. Never throws for one item's failure (counted, logged).
RunReport RunAll(storage::Database& db, TimePoint now, const JobSettings& settings);

// Calls RunAll at start and then every `interval` on its own thread, until Stop (or the
// destructor) — which wakes it at once and waits for a run in progress to finish.
class Scheduler {
 public:
  Scheduler(storage::Database& db, Clock clock, std::chrono::milliseconds interval, JobSettings settings);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  void Start();
  void Stop();
  std::size_t runs() const;  // completed runs (tests)

 private:
  void Loop();

  storage::Database& db_;
  Clock clock_;
  std::chrono::milliseconds interval_;
  JobSettings settings_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::size_t runs_ = 0;
  std::thread thread_;
};

}  // namespace passerelle::jobs
