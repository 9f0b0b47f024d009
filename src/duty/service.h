#pragma once
// Declaring on-duty time (issue 12 §1): the weekly slots, the exceptions and the live toggle of
// an organization's services, and the week's coverage of a territory. Access is the pages'
// (accounts' policy); every use case here checks that the service is the organization's.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "duty/schedule.h"

namespace passerelle::storage {
class Database;
}

namespace passerelle::duty {

// How long "je suis disponible maintenant" lasts when nobody ends it, and the longest one.
inline constexpr std::chrono::minutes kDefaultLive{120};
inline constexpr std::chrono::minutes kMaxLive{12 * 60};

// "14:30" → 870; "24:00" → 1440 (an end only). Nothing when malformed.
std::optional<int> ParseClock(const std::string& text);
// 870 → "14:30".
std::string FormatClock(int minutes);

struct SlotRow {
  std::string id;
  std::string service_id;
  std::string service_name;
  int weekday;
  int start_minute, end_minute;
  std::optional<std::string> account_id;
  std::string holder_email;  // "" for the team
};

struct ExceptionRow {
  std::string id;
  std::string service_id;
  std::string service_name;
  std::string kind;  // "closed" | "extra"
  std::string from_day, to_day;
  std::optional<int> start_minute, end_minute;
};

struct LiveRow {
  std::string account_id;
  std::string email;
  std::string service_id;
  Instant ends;
};

struct ServiceRow {
  std::string id;
  std::string name;
};

struct OrganizationDuty {
  std::vector<ServiceRow> services;
  std::vector<SlotRow> slots;           // by service, weekday, start
  std::vector<ExceptionRow> exceptions;  // not yet over, by day
  std::vector<LiveRow> live;             // not yet ended
};

// A service of a territory and, per day of the week asked about (Monday first), the minutes of
// on-duty time and the hours as "14:00–17:00" ranges.
struct CoverageRow {
  std::string organization_name;
  std::string service_name;
  int minutes[7] = {0, 0, 0, 0, 0, 0, 0};
  std::vector<std::string> ranges[7];
};

// The e-mail addresses of the members of `organization_id` on duty at `now`
// (Schedule::MembersOnDuty), sorted: where a call-back's content-free e-mail goes first.
std::vector<std::string> OnDutyEmails(storage::Database& db, const std::string& organization_id, Instant now);

class DutyService {
 public:
  explicit DutyService(storage::Database& db) : db_(db) {}

  OrganizationDuty ForOrganization(const std::string& organization_id, Instant now) const;

  // Each returns the new row's id; kInvalidInput names the field ("weekday", "start", "end",
  // "from", "to", "day"); kNotFound when the service is not the organization's.
  core::Result<std::string> AddWeeklySlot(const std::string& organization_id, const std::string& service_id,
                                          int weekday, const std::string& start, const std::string& end,
                                          std::optional<std::string> holder, Instant now);
  core::Result<std::string> AddClosedDays(const std::string& organization_id, const std::string& service_id,
                                          const std::string& from_day, const std::string& to_day, Instant now);
  core::Result<std::string> AddExtraSlot(const std::string& organization_id, const std::string& service_id,
                                         const std::string& day, const std::string& start, const std::string& end,
                                         std::optional<std::string> holder, Instant now);
  // A slot or an exception of the organization; kNotFound otherwise.
  core::Result<core::Ok> Remove(const std::string& organization_id, const std::string& id);

  // "Je suis disponible maintenant" for `service_id` until now + `length` (1 minute to kMaxLive);
  // returns the automatic end. Replaces the member's earlier toggle for that service.
  core::Result<Instant> GoLive(const std::string& organization_id, const std::string& service_id,
                               const std::string& account_id, std::chrono::minutes length, Instant now);
  // "Je ne le suis plus": ends the member's toggles of the organization's services.
  void EndLive(const std::string& organization_id, const std::string& account_id);

  // The week starting on the Monday of Paris day `monday` (any day of it), for every service of
  // the territory's active organizations, those with no duty included.
  std::vector<CoverageRow> TerritoryWeek(const std::string& territory_slug, std::chrono::sys_days monday) const;

 private:
  storage::Database& db_;
};

}  // namespace passerelle::duty
