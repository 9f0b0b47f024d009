#include "stats/period.h"

#include <charconv>
#include <cstdio>

namespace passerelle::stats {

namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

constexpr int kMaxCustomDays = 3 * 366;

int ParseNumber(std::string_view text) {
  int value = -1;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return -1;
  return value;
}

}  // namespace

std::string IsoDay(sys_days day) {
  const year_month_day ymd(day);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return text;
}

bool ParseIsoDay(std::string_view text, sys_days& day) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  const int y = ParseNumber(text.substr(0, 4)), m = ParseNumber(text.substr(5, 2)), d = ParseNumber(text.substr(8, 2));
  const year_month_day ymd{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(m)),
                           std::chrono::day(static_cast<unsigned>(d))};
  if (y < 2000 || !ymd.ok()) return false;
  day = sys_days(ymd);
  return true;
}

std::string Period::FirstIso() const { return IsoDay(first); }
std::string Period::LastIso() const { return IsoDay(last); }
int Period::days() const { return static_cast<int>((last - first).count()) + 1; }

Bucket Period::bucket() const {
  if (days() <= 31) return Bucket::kDay;
  if (days() <= 184) return Bucket::kWeek;
  return Bucket::kMonth;
}

std::variant<Period, PeriodError> ParsePeriod(const PeriodForm& form, sys_days today) {
  const std::string kind = form.period.empty() ? "month" : form.period;
  const year_month_day ymd(today);
  Period period{kind, today, today};
  if (kind == "week") {
    period.first = today - days(6);
  } else if (kind == "month") {
    period.first = sys_days(ymd.year() / ymd.month() / 1);
  } else if (kind == "quarter") {
    const unsigned first_month = (static_cast<unsigned>(ymd.month()) - 1) / 3 * 3 + 1;
    period.first = sys_days(ymd.year() / std::chrono::month(first_month) / 1);
  } else if (kind == "year") {
    period.first = sys_days(ymd.year() / std::chrono::January / 1);
  } else if (kind == "custom") {
    if (!ParseIsoDay(form.from, period.first)) {
      return PeriodError{"du", "Indiquez la date de début au format AAAA-MM-JJ, par exemple 2026-01-31."};
    }
    if (!ParseIsoDay(form.to, period.last)) {
      return PeriodError{"au", "Indiquez la date de fin au format AAAA-MM-JJ, par exemple 2026-03-31."};
    }
    if (period.last < period.first) {
      return PeriodError{"au", "La date de fin doit être le même jour que la date de début ou après."};
    }
    if (period.last > today) return PeriodError{"au", "La date de fin ne peut pas être dans le futur."};
    if (period.days() > kMaxCustomDays) {
      return PeriodError{"au", "La période choisie doit durer au plus trois ans."};
    }
  } else {
    return PeriodError{"period", "Choisissez une période : semaine, mois, trimestre, année ou dates choisies."};
  }
  return period;
}

sys_days BucketStart(sys_days day, Bucket bucket) {
  switch (bucket) {
    case Bucket::kDay:
      return day;
    case Bucket::kWeek: {
      // ISO weeks start on Monday; 1970-01-01 was a Thursday.
      const std::chrono::weekday wd(day);
      return day - days((wd.c_encoding() + 6) % 7);
    }
    case Bucket::kMonth: {
      const year_month_day ymd(day);
      return sys_days(ymd.year() / ymd.month() / 1);
    }
  }
  return day;
}

std::vector<sys_days> BucketStarts(const Period& period) {
  std::vector<sys_days> starts;
  const Bucket bucket = period.bucket();
  for (sys_days start = BucketStart(period.first, bucket); start <= period.last;) {
    starts.push_back(start);
    if (bucket == Bucket::kDay) {
      start += days(1);
    } else if (bucket == Bucket::kWeek) {
      start += days(7);
    } else {
      const year_month_day ymd(start);
      start = sys_days((ymd.year() / ymd.month() + std::chrono::months(1)) / 1);
    }
  }
  return starts;
}

}  // namespace passerelle::stats
