#include "directory/opening_hours.h"

#include <gtest/gtest.h>

#include "core/paris_time.h"

namespace passerelle::directory {
namespace {

using namespace std::chrono;

system_clock::time_point Utc(int y, unsigned m, unsigned d, int h, int min) {
  return sys_days{year{y} / month{m} / day{d}} + hours(h) + minutes(min);
}

// Paris civil time in winter (UTC+1) and summer (UTC+2), for readable expectations.
system_clock::time_point Winter(int y, unsigned m, unsigned d, int h, int min) {
  return Utc(y, m, d, h, min) - hours(1);
}
system_clock::time_point Summer(int y, unsigned m, unsigned d, int h, int min) {
  return Utc(y, m, d, h, min) - hours(2);
}

OpeningHours Parsed(std::string_view text) {
  auto parsed = OpeningHours::Parse(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << (parsed.ok() ? "" : parsed.error().public_message);
  return parsed.ok() ? parsed.value() : OpeningHours{};
}

std::string ParseError(std::string_view text) {
  auto parsed = OpeningHours::Parse(text);
  if (parsed.ok()) return "<parsed>";
  EXPECT_EQ(parsed.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_EQ(parsed.error().internal_detail.rfind("opening_hours position ", 0), 0u) << parsed.error().internal_detail;
  return parsed.error().public_message;
}

// ---- parsing -------------------------------------------------------------------------------

TEST(OpeningHoursParse, EmptyTextMeansNotProvidedNeverClosed) {
  for (const char* text : {"", "   ", "\t"}) {
    const OpeningHours hours = Parsed(text);
    EXPECT_FALSE(hours.provided());
    EXPECT_EQ(hours.IsOpenAt(Winter(2026, 11, 23, 10, 0)), OpenStatus::kNotProvided);
    EXPECT_FALSE(hours.NextOpening(Winter(2026, 11, 23, 10, 0)).has_value());
    EXPECT_FALSE(hours.ClosesAt(Winter(2026, 11, 23, 10, 0)).has_value());
  }
}

TEST(OpeningHoursParse, WeekdayRangesListsAndSeveralRangesADay) {
  const OpeningHours hours = Parsed("Mo-Fr 09:00-12:00,14:00-17:30; Sa 10:00-12:00");
  const auto week = hours.WeeklyRanges();
  for (int d = 0; d < 5; ++d) {
    EXPECT_EQ(week[d], (std::vector<TimeRange>{{540, 720}, {840, 1050}})) << d;
  }
  EXPECT_EQ(week[5], (std::vector<TimeRange>{{600, 720}}));
  EXPECT_TRUE(week[6].empty());

  const auto list = Parsed("Mo,We 09:00-12:00").WeeklyRanges();
  EXPECT_FALSE(list[0].empty());
  EXPECT_TRUE(list[1].empty());
  EXPECT_FALSE(list[2].empty());
  EXPECT_TRUE(list[3].empty());
}

TEST(OpeningHoursParse, LaterRulesOverrideEarlierOnesForTheirDays) {
  const auto week = Parsed("Mo-Sa 09:00-18:00; We 09:00-12:00; Sa off").WeeklyRanges();
  EXPECT_EQ(week[0], (std::vector<TimeRange>{{540, 1080}}));
  EXPECT_EQ(week[2], (std::vector<TimeRange>{{540, 720}}));
  EXPECT_TRUE(week[5].empty());
}

TEST(OpeningHoursParse, AcceptsTheSupportedVariants) {
  EXPECT_EQ(Parsed("24/7").WeeklyRanges()[3], (std::vector<TimeRange>{{0, 1440}}));
  EXPECT_EQ(Parsed("09:00-17:00").WeeklyRanges()[6], (std::vector<TimeRange>{{540, 1020}}));
  EXPECT_EQ(Parsed("Fr-Mo 10:00-11:00").WeeklyRanges()[6], (std::vector<TimeRange>{{600, 660}}));
  EXPECT_TRUE(Parsed("Fr-Mo 10:00-11:00").WeeklyRanges()[2].empty());
  EXPECT_EQ(Parsed("Fr 22:00-02:00").WeeklyRanges()[4], (std::vector<TimeRange>{{1320, 1560}}));
  EXPECT_EQ(Parsed("mo-fr 9:00-17:00 ;  ").WeeklyRanges()[0], (std::vector<TimeRange>{{540, 1020}}));
  EXPECT_EQ(Parsed("Mo-Fr 14:00-17:00, 09:00-12:00").WeeklyRanges()[0],
            (std::vector<TimeRange>{{540, 720}, {840, 1020}}));
  EXPECT_EQ(Parsed("Mo 20:00-24:00").WeeklyRanges()[0], (std::vector<TimeRange>{{1200, 1440}}));
  EXPECT_TRUE(Parsed("Mo-Su closed").WeeklyRanges()[0].empty());
  EXPECT_TRUE(Parsed("off").provided());
  EXPECT_TRUE(Parsed("Mo-Fr 09:00-12:00,12:00-14:00").provided());  // touching is fine
  EXPECT_TRUE(Parsed("Sa,PH 10:00-12:00").provided());
}

TEST(OpeningHoursParse, ErrorsNameThePositionAndTheReason) {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"Mo-Fr 25:00-17:00", "position 7: heure invalide « 25:00 »"},
      {"Mo-Fr 09:00-17:60", "position 13: heure invalide « 17:60 »"},
      {"Mo-Fr 24:00-02:00", "position 7: heure invalide « 24:00 »"},
      {"Mo-Fr 09:00-24:30", "position 13: heure invalide « 24:30 »"},
      {"Mo-Fr 9h-17h", "position 7: heure invalide « 9h »"},
      {"Mo-Fr 09:00:00-17:00", "position 7: heure invalide « 09:00:00 »"},
      {"Mo-Fr 009:00-17:00", "position 7: heure invalide « 009:00 »"},
      {"Mo-Fx 09:00-12:00", "position 4: jour inconnu « Fx » (Mo, Tu, We, Th, Fr, Sa, Su ou PH)"},
      {"Lu-Ve 09:00-12:00", "position 1: jour inconnu « Lu » (Mo, Tu, We, Th, Fr, Sa, Su ou PH)"},
      {"Mo-Fr", "position 6: horaires attendus après les jours"},
      {"Mo-Fr ;Sa off", "position 7: horaires attendus après les jours"},
      {"Mo- 09:00-12:00", "position 4: jour attendu après « - »"},
      {"Mo-Fr 09:00", "position 12: « - » et l'heure de fermeture attendus après l'heure"},
      {"Mo-Fr 09:00-", "position 13: heure attendue (HH:MM)"},
      {"Mo-Fr 09:00-09:00", "position 7: plage horaire vide « 09:00-09:00 »"},
      {"Mo-Fr 09:00-12:00,11:00-14:00", "position 19: plages horaires qui se chevauchent"},
      {"Fr 22:00-02:00,01:00-23:00", "position 16: plages horaires qui se chevauchent"},
      {"Mo-Fr 09:00-17:00 x", "position 19: caractère inattendu « x »"},
      {"Mo-Fr 09:00-17:00 || Sa off", "position 19: caractère inattendu « | »"},
      {"Mo-Fr 09:00-17:00;;Sa off", "position 19: règle vide"},
      {";", "position 1: règle vide"},
      {"SH off", "position 1: vacances scolaires (SH) non prises en charge"},
      {"Jan-Mar 09:00-12:00", "position 1: mois non pris en charge « Jan »"},
      {"Mo-Fr sunrise-sunset", "position 7: « off » ou des heures attendus, pas « sunrise »"},
      {"Mo-Fr 24/7", "position 7: « 24/7 » s'écrit seul, sans jours"},
      {"Mo-Fr 09:00+", "position 12: heure de fermeture ouverte « + » non prise en charge"},
      {"Mo-Fr 09:00\u201317:00", "position 12: tiret « \u2013 » : utilisez le signe moins « - »"},
      // Positions count characters, not bytes: "é" is one.
      {"Mo-Fr 09:00-17:00; é", "position 20: caractère inattendu « é »"},
      {"Mo,,Tu 09:00-12:00", "position 4: caractère inattendu « , »"},
      {"Mo, 09:00-12:00", "position 5: caractère inattendu « 0 »"},
      {"PH-Mo off", "position 3: heure attendue (HH:MM)"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ParseError(c.text), c.message) << c.text;
  }
}

// ---- public holidays -----------------------------------------------------------------------

TEST(FrenchPublicHolidays, FixedDaysAndEasterBasedDays) {
  // Easter Sunday: 2024-03-31, 2025-04-20, 2026-04-05, 2027-03-28.
  EXPECT_TRUE(IsFrenchPublicHoliday(2024, 4, 1));  // Easter Monday
  EXPECT_TRUE(IsFrenchPublicHoliday(2025, 4, 21));
  EXPECT_TRUE(IsFrenchPublicHoliday(2026, 4, 6));
  EXPECT_TRUE(IsFrenchPublicHoliday(2027, 3, 29));
  EXPECT_FALSE(IsFrenchPublicHoliday(2026, 4, 5));  // Easter Sunday itself is a Sunday anyway
  EXPECT_TRUE(IsFrenchPublicHoliday(2026, 5, 14));  // Ascension
  EXPECT_TRUE(IsFrenchPublicHoliday(2025, 5, 29));
  EXPECT_TRUE(IsFrenchPublicHoliday(2026, 5, 25));  // Whit Monday
  EXPECT_TRUE(IsFrenchPublicHoliday(2025, 6, 9));
  for (const auto& [m, d] :
       std::vector<std::pair<int, int>>{{1, 1}, {5, 1}, {5, 8}, {7, 14}, {8, 15}, {11, 1}, {11, 11}, {12, 25}}) {
    EXPECT_TRUE(IsFrenchPublicHoliday(2026, m, d)) << m << "/" << d;
  }
  EXPECT_FALSE(IsFrenchPublicHoliday(2026, 12, 26));  // Alsace-Moselle only
  EXPECT_FALSE(IsFrenchPublicHoliday(2026, 4, 3));    // Good Friday: Alsace-Moselle only
  EXPECT_FALSE(IsFrenchPublicHoliday(2026, 11, 23));
}

TEST(OpeningHoursHolidays, PhOffClosesOnHolidaysOnlyWhenNamedLast) {
  const auto wednesday_armistice = Winter(2026, 11, 11, 10, 0);
  EXPECT_EQ(Parsed("Mo-Fr 09:00-17:00").IsOpenAt(wednesday_armistice), OpenStatus::kOpen);
  const OpeningHours closed_on_holidays = Parsed("Mo-Fr 09:00-17:00; PH off");
  EXPECT_EQ(closed_on_holidays.IsOpenAt(wednesday_armistice), OpenStatus::kClosed);
  EXPECT_EQ(closed_on_holidays.NextOpening(wednesday_armistice), Winter(2026, 11, 12, 9, 0));
  EXPECT_EQ(closed_on_holidays.IsOpenAt(Winter(2026, 11, 12, 10, 0)), OpenStatus::kOpen);
  // A later weekday rule takes the holiday back.
  EXPECT_EQ(Parsed("PH off; Mo-Fr 09:00-17:00").IsOpenAt(wednesday_armistice), OpenStatus::kOpen);
  // Easter Monday, Ascension, Whit Monday 2026.
  EXPECT_EQ(closed_on_holidays.IsOpenAt(Summer(2026, 4, 6, 10, 0)), OpenStatus::kClosed);
  EXPECT_EQ(closed_on_holidays.IsOpenAt(Summer(2026, 5, 14, 10, 0)), OpenStatus::kClosed);
  EXPECT_EQ(closed_on_holidays.IsOpenAt(Summer(2026, 5, 25, 10, 0)), OpenStatus::kClosed);
  EXPECT_EQ(closed_on_holidays.RangesOn(2026, 5, 25), std::vector<TimeRange>{});
  EXPECT_EQ(closed_on_holidays.RangesOn(2026, 5, 26), (std::vector<TimeRange>{{540, 1020}}));
}

TEST(OpeningHoursHolidays, HolidayOnlyScheduleOpensOnTheNextHoliday) {
  const OpeningHours hours = Parsed("off; PH 10:00-12:00");
  EXPECT_EQ(hours.NextOpening(Winter(2026, 11, 2, 9, 0)), Winter(2026, 11, 11, 10, 0));
  EXPECT_EQ(hours.IsOpenAt(Winter(2026, 11, 11, 11, 0)), OpenStatus::kOpen);
  EXPECT_EQ(hours.ClosesAt(Winter(2026, 11, 11, 11, 0)), Winter(2026, 11, 11, 12, 0));
}

// ---- computations --------------------------------------------------------------------------

TEST(OpeningHoursAt, OpenClosesAtAndNextOpeningOnAnOrdinaryWeek) {
  // 2026-11-23 is a Monday.
  const OpeningHours hours = Parsed("Mo-Fr 09:00-12:00,14:00-17:30");
  EXPECT_EQ(hours.IsOpenAt(Winter(2026, 11, 23, 8, 59)), OpenStatus::kClosed);
  EXPECT_EQ(hours.IsOpenAt(Winter(2026, 11, 23, 9, 0)), OpenStatus::kOpen);
  EXPECT_EQ(hours.IsOpenAt(Winter(2026, 11, 23, 12, 0)), OpenStatus::kClosed);  // end excluded
  EXPECT_EQ(hours.ClosesAt(Winter(2026, 11, 23, 10, 0)), Winter(2026, 11, 23, 12, 0));
  EXPECT_FALSE(hours.ClosesAt(Winter(2026, 11, 23, 12, 30)).has_value());
  EXPECT_EQ(hours.NextOpening(Winter(2026, 11, 23, 12, 30)), Winter(2026, 11, 23, 14, 0));
  EXPECT_EQ(hours.NextOpening(Winter(2026, 11, 23, 8, 0)), Winter(2026, 11, 23, 9, 0));
  // Open now: the next opening is the one after this one.
  EXPECT_EQ(hours.NextOpening(Winter(2026, 11, 23, 10, 0)), Winter(2026, 11, 23, 14, 0));
  // Friday evening: Monday 9 h.
  EXPECT_EQ(hours.NextOpening(Winter(2026, 11, 27, 18, 0)), Winter(2026, 11, 30, 9, 0));
  EXPECT_EQ(hours.IsOpenAt(Winter(2026, 11, 28, 10, 0)), OpenStatus::kClosed);
}

TEST(OpeningHoursAt, RangesPastMidnightBelongToTheDayTheyStart) {
  const OpeningHours hours = Parsed("Fr,Sa 22:00-02:00");
  EXPECT_EQ(hours.IsOpenAt(Winter(2026, 11, 27, 21, 0)), OpenStatus::kClosed);  // Friday
  EXPECT_EQ(hours.NextOpening(Winter(2026, 11, 27, 21, 0)), Winter(2026, 11, 27, 22, 0));
  EXPECT_EQ(hours.IsOpenAt(Winter(2026, 11, 28, 1, 0)), OpenStatus::kOpen);  // Saturday night
  EXPECT_EQ(hours.ClosesAt(Winter(2026, 11, 28, 1, 0)), Winter(2026, 11, 28, 2, 0));
  EXPECT_EQ(hours.IsOpenAt(Winter(2026, 11, 29, 1, 0)), OpenStatus::kOpen);    // Sunday, from Sa
  EXPECT_EQ(hours.IsOpenAt(Winter(2026, 11, 30, 1, 0)), OpenStatus::kClosed);  // Monday
  EXPECT_EQ(hours.NextOpening(Winter(2026, 11, 29, 1, 0)), Winter(2026, 12, 4, 22, 0));
}

TEST(OpeningHoursAt, ClosesAtFollowsRangesThatContinueNextDay) {
  const OpeningHours hours = Parsed("Mo 20:00-24:00; Tu 00:00-03:00,08:00-10:00");
  EXPECT_EQ(hours.ClosesAt(Winter(2026, 11, 23, 21, 0)), Winter(2026, 11, 24, 3, 0));
  EXPECT_EQ(hours.NextOpening(Winter(2026, 11, 23, 21, 0)), Winter(2026, 11, 24, 8, 0));
  const OpeningHours weekdays_round_the_clock = Parsed("Mo-Fr 00:00-24:00");
  EXPECT_EQ(weekdays_round_the_clock.ClosesAt(Winter(2026, 11, 23, 21, 0)), Winter(2026, 11, 28, 0, 0));
}

TEST(OpeningHoursAt, TwentyFourSevenNeverCloses) {
  for (const char* text : {"24/7", "Mo-Su 00:00-24:00"}) {
    const OpeningHours hours = Parsed(text);
    EXPECT_EQ(hours.IsOpenAt(Winter(2026, 12, 25, 3, 0)), OpenStatus::kOpen) << text;
    EXPECT_FALSE(hours.ClosesAt(Winter(2026, 12, 25, 3, 0)).has_value()) << text;
    EXPECT_FALSE(hours.NextOpening(Winter(2026, 12, 25, 3, 0)).has_value()) << text;
  }
  const OpeningHours but_holidays = Parsed("24/7; PH off");
  EXPECT_EQ(but_holidays.IsOpenAt(Winter(2026, 12, 25, 3, 0)), OpenStatus::kClosed);
  EXPECT_EQ(but_holidays.ClosesAt(Winter(2026, 12, 24, 3, 0)), Winter(2026, 12, 25, 0, 0));
  EXPECT_EQ(but_holidays.NextOpening(Winter(2026, 12, 25, 3, 0)), Winter(2026, 12, 26, 0, 0));
}

TEST(OpeningHoursAt, NeverOpenIsClosedWithoutNextOpening) {
  const OpeningHours hours = Parsed("Mo-Su off");
  EXPECT_TRUE(hours.provided());
  EXPECT_EQ(hours.IsOpenAt(Winter(2026, 11, 23, 10, 0)), OpenStatus::kClosed);
  EXPECT_FALSE(hours.NextOpening(Winter(2026, 11, 23, 10, 0)).has_value());
}

// ---- daylight saving time ------------------------------------------------------------------

TEST(OpeningHoursDst, SpringForwardDay) {
  // 2026-03-29: clocks go from 02:00 to 03:00 (01:00 UTC).
  const OpeningHours night = Parsed("Su 01:00-05:00");
  EXPECT_EQ(night.IsOpenAt(Utc(2026, 3, 29, 0, 30)), OpenStatus::kOpen);   // 01:30 CET
  EXPECT_EQ(night.IsOpenAt(Utc(2026, 3, 29, 2, 30)), OpenStatus::kOpen);   // 04:30 CEST
  EXPECT_EQ(night.IsOpenAt(Utc(2026, 3, 29, 3, 0)), OpenStatus::kClosed);  // 05:00 CEST
  EXPECT_EQ(night.ClosesAt(Utc(2026, 3, 29, 0, 30)), Utc(2026, 3, 29, 3, 0));
  EXPECT_EQ(night.NextOpening(Utc(2026, 3, 28, 12, 0)), Utc(2026, 3, 29, 0, 0));
  // An opening inside the skipped hour happens when the clocks show 03:00.
  EXPECT_EQ(Parsed("Su 02:30-06:00").NextOpening(Utc(2026, 3, 28, 12, 0)), Utc(2026, 3, 29, 1, 0));
  // Friday before the change (UTC+1) to Monday after it (UTC+2).
  const OpeningHours office = Parsed("Mo-Fr 09:00-17:00");
  EXPECT_EQ(office.NextOpening(Winter(2026, 3, 27, 18, 0)), Summer(2026, 3, 30, 9, 0));
  EXPECT_EQ(office.IsOpenAt(Summer(2026, 3, 30, 9, 0)), OpenStatus::kOpen);
  EXPECT_EQ(office.IsOpenAt(Summer(2026, 3, 30, 8, 30)), OpenStatus::kClosed);
}

TEST(OpeningHoursDst, FallBackDay) {
  // 2026-10-25: clocks go from 03:00 back to 02:00 (01:00 UTC); 02:30 happens twice.
  const OpeningHours night = Parsed("Su 01:00-04:00");
  EXPECT_EQ(night.IsOpenAt(Utc(2026, 10, 25, 0, 30)), OpenStatus::kOpen);   // 02:30 CEST
  EXPECT_EQ(night.IsOpenAt(Utc(2026, 10, 25, 1, 30)), OpenStatus::kOpen);   // 02:30 CET
  EXPECT_EQ(night.IsOpenAt(Utc(2026, 10, 25, 3, 0)), OpenStatus::kClosed);  // 04:00 CET
  EXPECT_EQ(night.ClosesAt(Utc(2026, 10, 25, 0, 30)), Utc(2026, 10, 25, 3, 0));
  EXPECT_EQ(night.NextOpening(Utc(2026, 10, 24, 12, 0)), Utc(2026, 10, 24, 23, 0));  // 01:00 CEST
  const OpeningHours office = Parsed("Mo-Fr 09:00-17:00");
  EXPECT_EQ(office.NextOpening(Summer(2026, 10, 23, 18, 0)), Winter(2026, 10, 26, 9, 0));
  EXPECT_EQ(office.ClosesAt(Winter(2026, 10, 26, 9, 0)), Winter(2026, 10, 26, 17, 0));
}

}  // namespace
}  // namespace passerelle::directory
