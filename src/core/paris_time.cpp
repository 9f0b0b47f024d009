#include "core/paris_time.h"

#include <cstdio>

namespace passerelle::core {

namespace {

using namespace std::chrono;

// 01:00 UTC on the last Sunday of `m` in `y`.
sys_seconds LastSundayOneAmUtc(year y, month m) {
  const sys_days last_day{y / m / last};
  const weekday wd{last_day};
  const sys_days last_sunday = last_day - (wd - Sunday);
  return last_sunday + hours(1);
}

}  // namespace

ParisTime ToParisTime(system_clock::time_point utc) {
  const sys_seconds t = floor<seconds>(utc);
  const year y = year_month_day{floor<days>(t)}.year();
  const bool summer = t >= LastSundayOneAmUtc(y, March) && t < LastSundayOneAmUtc(y, October);
  const minutes offset = summer ? minutes(120) : minutes(60);
  const sys_seconds local = t + offset;  // a sys_time read as local civil time
  const sys_days local_day = floor<days>(local);
  const year_month_day ymd{local_day};
  const weekday wd{local_day};
  return ParisTime{static_cast<int>(ymd.year()),
                   static_cast<int>(static_cast<unsigned>(ymd.month())),
                   static_cast<int>(static_cast<unsigned>(ymd.day())),
                   static_cast<int>(wd.iso_encoding()) - 1,
                   static_cast<int>(duration_cast<minutes>(local - local_day).count()),
                   static_cast<int>(offset.count())};
}

std::string ParisDate(system_clock::time_point utc) {
  const ParisTime p = ToParisTime(utc);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", p.year, p.month, p.day);
  return buffer;
}

std::string ParisDateTime(system_clock::time_point utc) {
  const ParisTime p = ToParisTime(utc);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%02d/%02d/%04d %02d:%02d", p.day, p.month, p.year, p.minutes / 60,
                p.minutes % 60);
  return buffer;
}

std::string ParisClock(system_clock::time_point utc) {
  const ParisTime p = ToParisTime(utc);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d", p.minutes / 60, p.minutes % 60);
  return buffer;
}

sys_days ParisDay(system_clock::time_point utc) {
  const ParisTime p = ToParisTime(utc);
  return sys_days{year{p.year} / month{static_cast<unsigned>(p.month)} / day{static_cast<unsigned>(p.day)}};
}

system_clock::time_point ParisMidnight(sys_days date) {
  // 23:00 UTC the day before if Paris is then on UTC+1, else 22:00 UTC; no change of offset
  // falls between the two (changes happen at 01:00 UTC).
  const sys_seconds winter = date - minutes(60);
  if (ToParisTime(winter).utc_offset_minutes == 60) return winter;
  return date - minutes(120);
}

}  // namespace passerelle::core
