#pragma once
// On-duty time ("permanence", issue 12 §1, docs/immediate-connection.md): who is on duty, until
// when, and when duty next starts. The stable interface other domains (the help result, the
// live conversation, the call-backs) use; writing the slots is duty/service.h.
//
// A service is on duty at an instant when
//   - the wall clock in Paris then reads a time inside one of its weekly slots (weekday, start,
//     end in Europe/Paris local time), on a day no "closed" exception covers; or
//   - the wall clock reads a time inside one of its "extra" slots of that day; or
//   - a member said "je suis disponible maintenant" and the automatic end has not passed.
// So on the last Sunday of March a slot 01:30–03:30 lasts one hour (02:00–03:00 does not exist)
// and on the last Sunday of October it lasts three (02:00–03:00 happens twice).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace passerelle::storage {
class Database;
}

namespace passerelle::duty {

using Instant = std::chrono::system_clock::time_point;

// How far ahead NextOnDutyStart looks.
inline constexpr std::chrono::days kLookAhead{14};

// A service with someone on duty at the instant asked about.
struct OnDuty {
  std::string service_id;
  std::string organization_id;
  Instant until;  // end of the continuous on-duty period (slots that touch count as one)
};

// Reads the duty tables. Each call reads in its own short transaction; safe from any thread.
class Schedule {
 public:
  explicit Schedule(storage::Database& db) : db_(db) {}

  // Those of `service_ids` on duty at `at` (in the order given; the others are left out).
  std::vector<OnDuty> OnDutyServices(const std::vector<std::string>& service_ids, Instant at) const;

  // The services of `organization_ids` on duty at `at`, by organization then service id.
  std::vector<OnDuty> OnDutyOrganizations(const std::vector<std::string>& organization_ids, Instant at) const;

  // The first instant strictly after `after` at which one of `service_ids` comes on duty (within
  // kLookAhead), or nothing. A service already on duty at `after` counts from its next start.
  std::optional<Instant> NextOnDutyStart(const std::vector<std::string>& service_ids, Instant after) const;

  // The account ids of the active members of `organization_id` on duty at `at`, sorted: those
  // available now, those holding a current slot, and every active member when a current slot is
  // held by the whole team. Empty when nobody is on duty.
  std::vector<std::string> MembersOnDuty(const std::string& organization_id, Instant at) const;

 private:
  storage::Database& db_;
};

// ---- The pure rules, without a database (tested across the DST days) ----

struct WeeklySlot {
  int weekday;       // 0 = Monday … 6 = Sunday
  int start_minute;  // minutes since Paris local midnight, 0 ≤ start < end ≤ 1440
  int end_minute;
  std::optional<std::string> account_id;  // the member holding it; none: the whole team
};

struct ClosedDays {
  std::chrono::sys_days from, to;  // Paris calendar days, both included
};

struct ExtraSlot {
  std::chrono::sys_days day;  // Paris calendar day
  int start_minute, end_minute;
  std::optional<std::string> account_id;
};

struct LiveDuty {
  std::string account_id;
  Instant started, ends;
};

struct ServiceRules {
  std::string service_id;
  std::string organization_id;
  std::vector<WeeklySlot> weekly;
  std::vector<ClosedDays> closed;
  std::vector<ExtraSlot> extra;
  std::vector<LiveDuty> live;
};

struct DutyInterval {
  Instant start, end;                     // [start, end)
  std::optional<std::string> account_id;  // none: the whole team
};

// The instants of Paris day `day` whose wall-clock time lies in [start_minute, end_minute): one
// interval, none when it falls wholly in the spring gap, two when part of it is repeated in
// autumn (and not adjacent).
std::vector<DutyInterval> LocalSpan(std::chrono::sys_days day, int start_minute, int end_minute);

// Every on-duty interval of `rules` within [from, to), clipped, one per slot occurrence or live
// toggle (not merged), sorted by start.
std::vector<DutyInterval> DutyIntervals(const ServiceRules& rules, Instant from, Instant to);

// The end of the continuous on-duty period holding `at`, or nothing when off duty at `at`.
std::optional<Instant> OnDutyUntil(const ServiceRules& rules, Instant at);

// The first start of an on-duty period strictly after `after`, within kLookAhead.
std::optional<Instant> NextStart(const ServiceRules& rules, Instant after);

}  // namespace passerelle::duty
