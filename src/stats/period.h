#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

// The periods of the statistics pages (issue 11 §4; docs/territory-console.md "Statistics"):
// Paris calendar days only, never a time of day, so that daylight saving time changes nothing.
namespace passerelle::stats {

// How the time series of a period is cut: by day up to 31 days, by week up to 6 months, else
// by month.
enum class Bucket { kDay, kWeek, kMonth };

struct Period {
  std::string kind;  // "week", "month", "quarter", "year", "custom" (the form's value)
  std::chrono::sys_days first;
  std::chrono::sys_days last;  // inclusive
  std::string FirstIso() const;
  std::string LastIso() const;
  Bucket bucket() const;
  int days() const;
};

// The form as typed (query parameters `period`, `du`, `au`).
struct PeriodForm {
  std::string period;  // empty: "month"
  std::string from;    // "YYYY-MM-DD", custom only
  std::string to;
};

struct PeriodError {
  std::string field;    // "period", "du" or "au"
  std::string message;  // French
};

// The period ending on `today` (the Paris day): the last 7 days, the current calendar month,
// quarter or year up to today; custom: `from`..`to`, both valid dates, from <= to, at most 3 years
// and not after today.
std::variant<Period, PeriodError> ParsePeriod(const PeriodForm& form, std::chrono::sys_days today);

// "YYYY-MM-DD" of a day; a strict parse of one (the day must exist).
std::string IsoDay(std::chrono::sys_days day);
bool ParseIsoDay(std::string_view text, std::chrono::sys_days& day);

// The first day of the bucket holding `day` (a Monday for weeks, the 1st for months).
std::chrono::sys_days BucketStart(std::chrono::sys_days day, Bucket bucket);
// The starts of every bucket of the period, in order (the first may start before the period).
std::vector<std::chrono::sys_days> BucketStarts(const Period& period);

}  // namespace passerelle::stats
