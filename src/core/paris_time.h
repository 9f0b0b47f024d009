#pragma once

#include <chrono>
#include <string>

namespace passerelle::core {

// Civil time in Europe/Paris. GCC 12's library has no time-zone database, so the offset follows
// the EU rule in force since 1996: UTC+2 from the last Sunday of March 01:00 UTC to the last
// Sunday of October 01:00 UTC, UTC+1 otherwise.
struct ParisTime {
  int year, month, day;  // calendar date
  int weekday;           // 0 = Monday … 6 = Sunday
  int minutes;           // minutes since local midnight
  int utc_offset_minutes;
};

ParisTime ToParisTime(std::chrono::system_clock::time_point utc);

// "YYYY-MM-DD" of the Paris calendar day.
std::string ParisDate(std::chrono::system_clock::time_point utc);

// "13/01/2026 14:00": the Paris day and time of `utc`, as the pages show it.
std::string ParisDateTime(std::chrono::system_clock::time_point utc);
// "14:00": the Paris time of day of `utc`.
std::string ParisClock(std::chrono::system_clock::time_point utc);

// The Paris calendar day of `utc`, as a date (for day arithmetic: `ParisDay(now) - days(30)`).
std::chrono::sys_days ParisDay(std::chrono::system_clock::time_point utc);

// 00:00 in Paris on `date`: 23:00 UTC the day before in winter, 22:00 UTC in summer. Midnight
// always exists in Paris (the clocks change at 02:00 and 03:00).
std::chrono::system_clock::time_point ParisMidnight(std::chrono::sys_days date);

}  // namespace passerelle::core
