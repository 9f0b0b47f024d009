#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "referral/repository.h"
#include "storage/database.h"

// The referral's timed work (issue 4 §6, docs/jobs.md): reminders, escalations, expiry and
// deletion of content. Run by src/jobs (CLI and the scheduler of `serve`). Each step handles
// every due referral in its own transaction, which marks it done (so a second run, or another
// instance running at the same time, does nothing twice), appends its audit entry and queues its
// content-free notification. Delays are Paris days per territory (referral_delays): a step acts
// when MORE than the delay has passed since the day counted from.
namespace passerelle::referral {

struct JobOutcome {
  std::vector<std::string> done;    // referral ids handled
  std::vector<std::string> failed;  // referral ids whose transaction failed (logged, retried next run)
};

class ReferralJobs {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  explicit ReferralJobs(storage::Database& db) : db_(db) {}

  // `new` for more than reminder_days: one content-free reminder to the organization.
  JobOutcome SendReminders(TimePoint now);
  // `new` for more than escalation_days: one content-free escalation to each coordinator of the
  // referral's territory.
  JobOutcome Escalate(TimePoint now);
  // Open (new, acknowledged, contacted) with no status change and no message for more than
  // expiry_days: `expired`.
  JobOutcome ExpireInactive(TimePoint now);
  // Finished (closed, refused, expired, handed over) for more than retention_days: report,
  // summary, refusal note and messages deleted; the row keeps its status and days.
  JobOutcome DeleteFinishedContent(TimePoint now);

  Delays DelaysFor(const std::string& territory_slug);
  // kInvalidInput-free: callers validate (every delay ≥ 1 day, escalation ≥ reminder).
  void SetDelays(const std::string& territory_slug, const Delays& delays, TimePoint now);

 private:
  storage::Database& db_;
};

// "YYYY-MM-DD" minus `days` calendar days.
std::string DayMinus(const std::string& day, int days);

}  // namespace passerelle::referral
