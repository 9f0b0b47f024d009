#include "core/paris_time.h"

#include <gtest/gtest.h>

namespace passerelle::core {
namespace {

using namespace std::chrono;

system_clock::time_point Utc(int y, unsigned m, unsigned d, int h, int min) {
  return sys_days{year{y} / month{m} / day{d}} + hours(h) + minutes(min);
}

TEST(ParisTime, WinterIsUtcPlusOne) {
  const ParisTime p = ToParisTime(Utc(2026, 11, 23, 22, 30));  // Monday 23:30 in Paris
  EXPECT_EQ(p.utc_offset_minutes, 60);
  EXPECT_EQ(p.day, 23);
  EXPECT_EQ(p.weekday, 0);
  EXPECT_EQ(p.minutes, 23 * 60 + 30);
}

TEST(ParisTime, SummerIsUtcPlusTwoAndCrossesMidnight) {
  const ParisTime p = ToParisTime(Utc(2026, 7, 14, 22, 30));  // Wednesday 15 July 00:30 in Paris
  EXPECT_EQ(p.utc_offset_minutes, 120);
  EXPECT_EQ(p.month, 7);
  EXPECT_EQ(p.day, 15);
  EXPECT_EQ(p.weekday, 2);
  EXPECT_EQ(p.minutes, 30);
  EXPECT_EQ(ParisDate(Utc(2026, 7, 14, 22, 30)), "2026-07-15");
}

TEST(ParisTime, SwitchesAtOneAmUtcOnTheLastSundays) {
  // 2026: last Sunday of March is the 29th, of October the 25th.
  EXPECT_EQ(ToParisTime(Utc(2026, 3, 29, 0, 59)).utc_offset_minutes, 60);
  EXPECT_EQ(ToParisTime(Utc(2026, 3, 29, 1, 0)).utc_offset_minutes, 120);
  EXPECT_EQ(ToParisTime(Utc(2026, 10, 25, 0, 59)).utc_offset_minutes, 120);
  EXPECT_EQ(ToParisTime(Utc(2026, 10, 25, 1, 0)).utc_offset_minutes, 60);
}

TEST(ParisTime, DayAndMidnightAroundTheClockChanges) {
  // 2026-03-29 (spring forward) starts at 23:00 UTC the day before, ends at 22:00 UTC.
  EXPECT_EQ(ParisDay(Utc(2026, 3, 29, 12, 37)), sys_days{2026y / March / 29});
  EXPECT_EQ(ParisMidnight(sys_days{2026y / March / 29}), Utc(2026, 3, 28, 23, 0));
  EXPECT_EQ(ParisMidnight(sys_days{2026y / March / 30}), Utc(2026, 3, 29, 22, 0));
  // 2026-10-25 (fall back) starts at 22:00 UTC the day before, ends at 23:00 UTC.
  EXPECT_EQ(ParisMidnight(sys_days{2026y / October / 25}), Utc(2026, 10, 24, 22, 0));
  EXPECT_EQ(ParisMidnight(sys_days{2026y / October / 26}), Utc(2026, 10, 25, 23, 0));
  // Just before and after Paris midnight in summer.
  EXPECT_EQ(ParisDay(Utc(2026, 7, 14, 21, 59)), sys_days{2026y / July / 14});
  EXPECT_EQ(ParisDay(Utc(2026, 7, 14, 22, 0)), sys_days{2026y / July / 15});
  EXPECT_EQ(ParisMidnight(ParisDay(Utc(2026, 7, 14, 22, 0))), Utc(2026, 7, 14, 22, 0));
}

}  // namespace
}  // namespace passerelle::core

namespace passerelle::core {
namespace {

TEST(ParisDateTime, DayAndTimeInParisAsThePagesShowThem) {
  using namespace std::chrono;
  const auto winter = sys_days{year{2026} / 1 / 13} + hours(13);               // 14:00 in Paris
  const auto summer = sys_days{year{2026} / 7 / 31} + hours(22) + minutes(5);  // the next day, 00:05
  EXPECT_EQ(ParisDateTime(winter), "13/01/2026 14:00");
  EXPECT_EQ(ParisDateTime(summer), "01/08/2026 00:05");
  EXPECT_EQ(ParisClock(winter), "14:00");
  EXPECT_EQ(ParisClock(summer), "00:05");
}

}  // namespace
}  // namespace passerelle::core
