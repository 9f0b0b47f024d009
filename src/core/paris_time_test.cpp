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

}  // namespace
}  // namespace passerelle::core
