#include "referral/jobs.h"

#include <spdlog/spdlog.h>

#include <functional>

#include "audit/audit_log.h"
#include "core/error.h"
#include "core/paris_time.h"
#include "core/unix_time.h"
#include "notify/outbox.h"

namespace passerelle::referral {

namespace {

constexpr const char* kJobsActor = "system:jobs";

using Step = std::function<bool(soci::session&, ReferralRepository&, const ReferralRow&)>;
using Select =
    std::function<std::vector<ReferralRow>(ReferralRepository&, const std::string& territory, const Delays& delays)>;

// Runs `step` for every row `select` gives, territory by territory, each in its own transaction.
// `step` returns false when the row needed nothing after all (another run did it).
JobOutcome ForEachDue(storage::Database& db, const char* job, const Select& select, const Step& step) {
  std::vector<ReferralRow> due;
  {
    soci::session sql(db.pool());
    ReferralRepository repository(sql);
    for (const std::string& territory : repository.ReferralTerritories()) {
      const Delays delays = repository.DelaysFor(territory);
      for (ReferralRow& row : select(repository, territory, delays)) due.push_back(std::move(row));
    }
  }
  JobOutcome outcome;
  for (const ReferralRow& row : due) {
    try {
      const bool done = db.InTransaction([&](soci::session& sql) {
        ReferralRepository repository(sql);
        return step(sql, repository, row);
      });
      if (done) {
        outcome.done.push_back(row.id);
        spdlog::info("event=job_item job={} referral={}", job, row.id);
      }
    } catch (const std::exception& e) {
      // Logged without any content; the item stays due and the next run retries it.
      outcome.failed.push_back(row.id);
      spdlog::error("event=job_item_failed job={} referral={} error=\"{}\"", job, row.id,
                    storage::DescribeDatabaseError(e).value_or(e.what()));
    }
  }
  return outcome;
}

}  // namespace

std::string DayMinus(const std::string& day, int days) {
  using namespace std::chrono;
  if (day.size() != 10) throw core::InfrastructureError("referral: malformed day");
  const year_month_day ymd{year{std::stoi(day.substr(0, 4))}, month{static_cast<unsigned>(std::stoi(day.substr(5, 2)))},
                           std::chrono::day{static_cast<unsigned>(std::stoi(day.substr(8, 2)))}};
  const year_month_day shifted{sys_days{ymd} - std::chrono::days{days}};
  char out[16];  // "YYYY-MM-DD" and room for what the compiler cannot rule out
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(shifted.year()),
                static_cast<unsigned>(shifted.month()), static_cast<unsigned>(shifted.day()));
  return out;
}

JobOutcome ReferralJobs::SendReminders(TimePoint now) {
  const std::string today = core::ParisDate(now);
  return ForEachDue(
      db_, "reminder",
      [&](ReferralRepository& r, const std::string& territory, const Delays& d) {
        return r.DueForReminder(territory, DayMinus(today, d.reminder_days));
      },
      [&](soci::session& sql, ReferralRepository& r, const ReferralRow& row) {
        if (!r.MarkReminded(row.id, today)) return false;
        if (const auto address = notify::OrganizationAddress(sql, row.organization_id)) {
          notify::Enqueue(sql, *address, notify::Kind::kReminder, now);
        } else {
          spdlog::warn("event=referral_notification_skipped reason=no_address referral={} organization={}", row.id,
                       row.organization_id);
        }
        audit::Append(sql, audit::Entry{kJobsActor, "referral.reminded", "referral:" + row.id, ""}, now);
        return true;
      });
}

JobOutcome ReferralJobs::Escalate(TimePoint now) {
  const std::string today = core::ParisDate(now);
  return ForEachDue(
      db_, "escalation",
      [&](ReferralRepository& r, const std::string& territory, const Delays& d) {
        return r.DueForEscalation(territory, DayMinus(today, d.escalation_days));
      },
      [&](soci::session& sql, ReferralRepository& r, const ReferralRow& row) {
        if (!r.MarkEscalated(row.id, today)) return false;
        const auto coordinators = notify::CoordinatorAddresses(sql, row.territory_slug);
        for (const std::string& address : coordinators) notify::Enqueue(sql, address, notify::Kind::kEscalation, now);
        if (coordinators.empty()) {
          spdlog::warn("event=referral_escalation_without_coordinator referral={} territory={}", row.id,
                       row.territory_slug);
        }
        audit::Append(sql,
                      audit::Entry{kJobsActor, "referral.escalated", "referral:" + row.id,
                                   "coordinators=" + std::to_string(coordinators.size())},
                      now);
        return true;
      });
}

JobOutcome ReferralJobs::ExpireInactive(TimePoint now) {
  const std::string today = core::ParisDate(now);
  return ForEachDue(
      db_, "expiry",
      [&](ReferralRepository& r, const std::string& territory, const Delays& d) {
        return r.InactiveSince(territory, DayMinus(today, d.expiry_days));
      },
      [&](soci::session& sql, ReferralRepository& r, const ReferralRow& row) {
        // Guarded by the status read: a change (or a message) since the selection wins.
        const auto last_message = r.LastMessageDay(row.id);
        const auto current = r.FindById(row.id);
        if (!current || current->status_changed_on != row.status_changed_on ||
            (last_message && *last_message >= DayMinus(today, r.DelaysFor(row.territory_slug).expiry_days))) {
          return false;
        }
        if (!r.Expire(row.id, row.status, today)) return false;
        audit::Append(sql, audit::Entry{kJobsActor, "referral.status", "referral:" + row.id, row.status + "->expired"},
                      now);
        return true;
      });
}

JobOutcome ReferralJobs::DeleteFinishedContent(TimePoint now) {
  const std::string today = core::ParisDate(now);
  return ForEachDue(
      db_, "content_deletion",
      [&](ReferralRepository& r, const std::string& territory, const Delays& d) {
        return r.FinishedWithContentBefore(territory, DayMinus(today, d.retention_days));
      },
      [&](soci::session& sql, ReferralRepository& r, const ReferralRow& row) {
        if (!r.DeleteContent(row.id, today)) return false;
        audit::Append(sql, audit::Entry{kJobsActor, "referral.content_deleted", "referral:" + row.id, row.status}, now);
        return true;
      });
}

Delays ReferralJobs::DelaysFor(const std::string& territory_slug) {
  soci::session sql(db_.pool());
  return ReferralRepository(sql).DelaysFor(territory_slug);
}

void ReferralJobs::SetDelays(const std::string& territory_slug, const Delays& delays, TimePoint now) {
  db_.InTransaction(
      [&](soci::session& sql) { ReferralRepository(sql).SaveDelays(territory_slug, delays, core::UnixSeconds(now)); });
}

}  // namespace passerelle::referral
