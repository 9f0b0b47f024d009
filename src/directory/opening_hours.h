#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>  // core/error.h uses std::runtime_error without including it
#include <string_view>
#include <vector>

#include "core/result.h"

namespace passerelle::directory {

// An opening range of one day, in minutes since local midnight. `end_minutes` passes 1440 for a
// range that ends after midnight ("22:00-02:00" is 1320–1560).
struct TimeRange {
  int start_minutes = 0;
  int end_minutes = 0;

  bool operator==(const TimeRange&) const = default;
};

enum class OpenStatus { kOpen, kClosed, kNotProvided };

// Opening hours in a subset of OpenStreetMap's `opening_hours` syntax, evaluated in
// Europe/Paris civil time:
//   Mo-Fr 09:00-12:00,14:00-17:30; Sa 10:00-12:00; PH off
//   24/7            Fr,Sa 22:00-02:00            Mo,We 09:00-12:00; Sa off
// Rules are separated by `;`; a later rule replaces earlier ones on the days it names. A day no
// rule names is closed. `PH` (French public holidays) is an ordinary day unless a rule names it.
// An empty text means "hours not provided", which is never shown as closed.
class OpeningHours {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  // Errors name the 1-based character position and the reason, e.g.
  // "position 7: heure invalide « 25:00 »" (internal detail in English).
  static core::Result<OpeningHours> Parse(std::string_view text);

  bool provided() const { return provided_; }

  OpenStatus IsOpenAt(TimePoint t) const;

  // The next moment it opens after `t`: the next opening after the current one when open at
  // `t`. Nothing when hours are not provided, when it never closes, or when it does not open
  // within a year.
  std::optional<TimePoint> NextOpening(TimePoint t) const;

  // When open at `t`, the moment it closes, following ranges that continue into the next day.
  // Nothing when not open at `t`, or when open without end (24/7).
  std::optional<TimePoint> ClosesAt(TimePoint t) const;

  // Ranges of a Paris calendar date, public holidays applied, in start order.
  std::vector<TimeRange> RangesOn(int year, int month, int day) const;

  // Ranges of an ordinary week (no holiday), Monday first: for a week table.
  std::array<std::vector<TimeRange>, 7> WeeklyRanges() const;

 private:
  struct Rule {
    std::uint8_t weekdays = 0;  // bit 0 = Monday … bit 6 = Sunday
    bool holidays = false;      // names PH
    std::vector<TimeRange> ranges;
  };
  friend class OpeningHoursParser;

  enum class DayKind { kOrdinary, kPublicHoliday };
  const std::vector<TimeRange>& RangesOf(int weekday, DayKind kind) const;

  bool provided_ = false;
  std::vector<Rule> rules_;
};

// French public holidays (jours fériés) common to the whole country: 1 January, Easter Monday,
// 1 May, 8 May, Ascension, Whit Monday, 14 July, 15 August, 1 November, 11 November,
// 25 December. Alsace-Moselle's and overseas departments' extra days are not included.
bool IsFrenchPublicHoliday(int year, int month, int day);

}  // namespace passerelle::directory
