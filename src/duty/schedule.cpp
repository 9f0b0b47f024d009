#include "duty/schedule.h"

#include <algorithm>
#include <set>

#include "core/paris_time.h"
#include "core/unix_time.h"
#include "duty/repository.h"
#include "storage/database.h"

namespace passerelle::duty {

namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::sys_days;

struct Period {
  Instant start, end;
};

// Sorted, overlapping or touching intervals joined.
std::vector<Period> Merge(const std::vector<DutyInterval>& intervals) {
  std::vector<Period> merged;
  for (const DutyInterval& i : intervals) {  // sorted by start
    if (!merged.empty() && i.start <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, i.end);
    } else {
      merged.push_back(Period{i.start, i.end});
    }
  }
  return merged;
}

bool IsClosed(const ServiceRules& rules, sys_days day) {
  return std::any_of(rules.closed.begin(), rules.closed.end(),
                     [&](const ClosedDays& c) { return c.from <= day && day <= c.to; });
}

void AddClipped(std::vector<DutyInterval>& out, const std::vector<DutyInterval>& spans, Instant from, Instant to) {
  for (const DutyInterval& span : spans) {
    const Instant start = std::max(span.start, from);
    const Instant end = std::min(span.end, to);
    if (start < end) out.push_back(DutyInterval{start, end, span.account_id});
  }
}

std::optional<ServiceRules> Load(soci::session& sql, const std::string& service_id, Instant at) {
  // A day back: a slot that began the day before may still run (and exceptions are by day).
  const std::string from_day = core::ParisDate(at - days(1));
  return LoadRules(sql, service_id, from_day, core::UnixSeconds(at));
}

}  // namespace

std::vector<DutyInterval> LocalSpan(sys_days day, int start_minute, int end_minute) {
  if (start_minute < 0 || end_minute > 24 * 60 || start_minute >= end_minute) return {};
  // The offset in force before and after 01:00 UTC of `day`, when Paris changes its clocks.
  const int before = core::ToParisTime(day - days(1) + hours(12)).utc_offset_minutes;
  const int after = core::ToParisTime(day + hours(12)).utc_offset_minutes;
  const auto span = [&](int offset) {
    return Period{day + minutes(start_minute - offset), day + minutes(end_minute - offset)};
  };
  if (before == after) {
    const Period p = span(after);
    return {DutyInterval{p.start, p.end, std::nullopt}};
  }
  // Each offset holds on its side of the change: read the wall clock with each, keep the part
  // where that offset is the true one.
  const Instant change = day + hours(1);
  const Period early = span(before);
  const Period late = span(after);
  std::vector<DutyInterval> out;
  if (early.start < change) out.push_back(DutyInterval{early.start, std::min(early.end, change), std::nullopt});
  if (late.end > change) {
    const Instant start = std::max(late.start, change);
    if (!out.empty() && out.back().end == start) {
      out.back().end = late.end;
    } else {
      out.push_back(DutyInterval{start, late.end, std::nullopt});
    }
  }
  return out;
}

std::vector<DutyInterval> DutyIntervals(const ServiceRules& rules, Instant from, Instant to) {
  std::vector<DutyInterval> out;
  if (from >= to) return out;
  const sys_days first = core::ParisDay(from) - days(1);
  const sys_days last = core::ParisDay(to);
  for (sys_days day = first; day <= last; day += days(1)) {
    if (!IsClosed(rules, day)) {
      const int weekday = static_cast<int>(std::chrono::weekday(day).iso_encoding()) - 1;
      for (const WeeklySlot& slot : rules.weekly) {
        if (slot.weekday != weekday) continue;
        auto spans = LocalSpan(day, slot.start_minute, slot.end_minute);
        for (auto& s : spans) s.account_id = slot.account_id;
        AddClipped(out, spans, from, to);
      }
    }
    for (const ExtraSlot& extra : rules.extra) {
      if (extra.day != day) continue;
      auto spans = LocalSpan(day, extra.start_minute, extra.end_minute);
      for (auto& s : spans) s.account_id = extra.account_id;
      AddClipped(out, spans, from, to);
    }
  }
  for (const LiveDuty& live : rules.live) {
    AddClipped(out, {DutyInterval{live.started, live.ends, live.account_id}}, from, to);
  }
  std::sort(out.begin(), out.end(), [](const DutyInterval& a, const DutyInterval& b) {
    return a.start != b.start ? a.start < b.start : a.end < b.end;
  });
  return out;
}

std::optional<Instant> OnDutyUntil(const ServiceRules& rules, Instant at) {
  // Eight days ahead: a period longer than a week of slots end to end is cut there.
  for (const Period& p : Merge(DutyIntervals(rules, at - days(1), at + days(8)))) {
    if (p.start <= at && at < p.end) return p.end;
  }
  return std::nullopt;
}

std::optional<Instant> NextStart(const ServiceRules& rules, Instant after) {
  for (const Period& p : Merge(DutyIntervals(rules, after - days(1), after + kLookAhead))) {
    if (p.start > after) return p.start;
  }
  return std::nullopt;
}

std::vector<OnDuty> Schedule::OnDutyServices(const std::vector<std::string>& service_ids, Instant at) const {
  soci::session sql(db_.pool());
  std::vector<OnDuty> out;
  for (const std::string& id : service_ids) {
    const auto rules = Load(sql, id, at);
    if (!rules) continue;
    if (const auto until = OnDutyUntil(*rules, at)) out.push_back(OnDuty{id, rules->organization_id, *until});
  }
  return out;
}

std::vector<OnDuty> Schedule::OnDutyOrganizations(const std::vector<std::string>& organization_ids,
                                                  Instant at) const {
  std::vector<std::string> organizations = organization_ids;
  std::sort(organizations.begin(), organizations.end());
  organizations.erase(std::unique(organizations.begin(), organizations.end()), organizations.end());
  std::vector<std::string> services;
  {
    soci::session sql(db_.pool());
    for (const std::string& org : organizations) {
      for (std::string& id : ServicesOf(sql, org)) services.push_back(std::move(id));
    }
  }
  return OnDutyServices(services, at);
}

std::optional<Instant> Schedule::NextOnDutyStart(const std::vector<std::string>& service_ids, Instant after) const {
  soci::session sql(db_.pool());
  std::optional<Instant> best;
  for (const std::string& id : service_ids) {
    const auto rules = Load(sql, id, after);
    if (!rules) continue;
    const auto next = NextStart(*rules, after);
    if (next && (!best || *next < *best)) best = next;
  }
  return best;
}

std::vector<std::string> Schedule::MembersOnDuty(const std::string& organization_id, Instant at) const {
  soci::session sql(db_.pool());
  const std::vector<std::string> active = ActiveMembersOf(sql, organization_id);
  const std::set<std::string> members(active.begin(), active.end());
  std::set<std::string> on_duty;
  for (const std::string& service : ServicesOf(sql, organization_id)) {
    const auto rules = Load(sql, service, at);
    if (!rules) continue;
    for (const DutyInterval& i : DutyIntervals(*rules, at - days(1), at + days(1))) {
      if (!(i.start <= at && at < i.end)) continue;
      if (!i.account_id) return active;  // the whole team holds it
      if (members.count(*i.account_id) != 0) on_duty.insert(*i.account_id);
    }
  }
  return std::vector<std::string>(on_duty.begin(), on_duty.end());
}

}  // namespace passerelle::duty
