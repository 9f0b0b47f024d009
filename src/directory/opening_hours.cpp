#include "directory/opening_hours.h"

#include <algorithm>
#include <string>
#include <utility>

#include "core/paris_time.h"

namespace passerelle::directory {

namespace {

using namespace std::chrono;

constexpr int kMinutesPerDay = 24 * 60;
constexpr std::uint8_t kEveryWeekday = 0x7F;
// NextOpening looks this far ahead, so that a holidays-only schedule still finds its next day.
constexpr int kHorizonDays = 400;
// A place open longer than this without a break is treated as never closing (24/7).
constexpr int kLongestStretchDays = 8;

constexpr std::array<std::string_view, 7> kWeekdayCodes = {"mo", "tu", "we", "th", "fr", "sa", "su"};
constexpr std::array<std::string_view, 12> kMonthCodes = {"jan", "feb", "mar", "apr", "may", "jun",
                                                          "jul", "aug", "sep", "oct", "nov", "dec"};

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::optional<int> WeekdayIndex(std::string_view word) {
  const std::string lower = Lower(word);
  for (int i = 0; i < 7; ++i) {
    if (kWeekdayCodes[i] == lower) return i;
  }
  return std::nullopt;
}

sys_days EasterSunday(int y) {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
  const int f = (b + 8) / 25, g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4, k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month_number = (h + l - 7 * m + 114) / 31;
  const int day_number = (h + l - 7 * m + 114) % 31 + 1;
  return sys_days{year{y} / month{static_cast<unsigned>(month_number)} / day{static_cast<unsigned>(day_number)}};
}

sys_days DateOf(const core::ParisTime& p) {
  return sys_days{year{p.year} / month{static_cast<unsigned>(p.month)} / day{static_cast<unsigned>(p.day)}};
}

// The instant at which Paris clocks show `minutes` after midnight of `date` (minutes may pass
// 1440). An hour that occurs twice (last Sunday of October) gives its first occurrence; a time
// that does not exist (02:00–03:00 on the last Sunday of March) gives 03:00.
system_clock::time_point LocalToUtc(sys_days date, long minutes_after_midnight) {
  const sys_days local_day = date + days(minutes_after_midnight / kMinutesPerDay);
  const sys_seconds local = local_day + minutes(minutes_after_midnight % kMinutesPerDay);
  for (const int offset : {120, 60}) {
    const sys_seconds utc = local - minutes(offset);
    if (core::ToParisTime(utc).utc_offset_minutes == offset) return utc;
  }
  return local_day + hours(1);  // the spring gap ends at 01:00 UTC
}

}  // namespace

// Recursive descent over the text; positions in messages count characters from 1.
class OpeningHoursParser {
 public:
  explicit OpeningHoursParser(std::string_view text) : text_(text) {}

  core::Result<OpeningHours> Run() {
    OpeningHours hours;
    SkipSpaces();
    if (AtEnd()) return hours;
    hours.provided_ = true;
    while (true) {
      SkipSpaces();
      if (AtEnd()) break;  // a trailing ';' is tolerated
      if (Peek() == ';') return Fail(i_, "règle vide", "empty rule");
      auto rule = ParseRule();
      if (!rule) return rule.error();
      hours.rules_.push_back(std::move(rule).value());
      SkipSpaces();
      if (AtEnd()) break;
      if (Peek() != ';') return Unexpected();
      ++i_;
    }
    return hours;
  }

 private:
  using Rule = OpeningHours::Rule;

  bool AtEnd() const { return i_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[i_]; }
  void SkipSpaces() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t')) ++i_;
  }
  bool LooksAt(std::string_view token) const { return text_.substr(i_).starts_with(token); }

  std::string ReadWord() {
    const std::size_t start = i_;
    while (!AtEnd() && IsAsciiLetter(Peek())) ++i_;
    return std::string(text_.substr(start, i_ - start));
  }

  // 1-based position of the character starting at byte `at` (UTF-8 aware).
  int PositionOf(std::size_t at) const {
    int position = 1;
    for (std::size_t b = 0; b < at && b < text_.size(); ++b) {
      if ((static_cast<unsigned char>(text_[b]) & 0xC0) != 0x80) ++position;
    }
    return position;
  }

  core::Error Fail(std::size_t at, const std::string& reason_fr, const std::string& reason_en) const {
    const std::string position = "position " + std::to_string(PositionOf(at));
    return core::Error{core::ErrorCode::kInvalidInput, position + ": " + reason_fr,
                       "opening_hours " + position + ": " + reason_en};
  }

  // The character at the cursor, whole even when it takes several bytes.
  std::string CharacterAt(std::size_t at) const {
    std::size_t end = at + 1;
    while (end < text_.size() && (static_cast<unsigned char>(text_[end]) & 0xC0) == 0x80) ++end;
    return std::string(text_.substr(at, end - at));
  }

  core::Error Unexpected() const {
    const std::string c = CharacterAt(i_);
    if (c == "\u2013" || c == "\u2014") {  // copied from a word processor
      return Fail(i_, "tiret « " + c + " » : utilisez le signe moins « - »", "en or em dash instead of '-'");
    }
    return Fail(i_, "caractère inattendu « " + c + " »", "unexpected character");
  }

  core::Error UnknownWord(std::size_t at, const std::string& word) const {
    const std::string lower = Lower(word);
    if (lower == "sh") {
      return Fail(at, "vacances scolaires (SH) non prises en charge", "school holidays not supported");
    }
    if (std::find(kMonthCodes.begin(), kMonthCodes.end(), lower) != kMonthCodes.end()) {
      return Fail(at, "mois non pris en charge « " + word + " »", "month selectors not supported");
    }
    if (lower == "sunrise" || lower == "sunset" || lower == "dawn" || lower == "dusk") {
      return Fail(at, "heures solaires non prises en charge « " + word + " »", "solar times not supported");
    }
    if (lower == "week") {
      return Fail(at, "numéros de semaine non pris en charge", "week selectors not supported");
    }
    return Fail(at, "jour inconnu « " + word + " » (Mo, Tu, We, Th, Fr, Sa, Su ou PH)", "unknown weekday");
  }

  static bool IsOffWord(const std::string& word) {
    const std::string lower = Lower(word);
    return lower == "off" || lower == "closed";
  }

  core::Result<Rule> ParseRule() {
    Rule rule;
    if (LooksAt("24/7")) {
      i_ += 4;
      rule.weekdays = kEveryWeekday;
      rule.ranges = {{0, kMinutesPerDay}};
      return rule;
    }
    if (IsAsciiLetter(Peek())) {
      const std::size_t word_start = i_;
      if (IsOffWord(ReadWord())) {  // "off" alone: closed every day
        rule.weekdays = kEveryWeekday;
        return rule;
      }
      i_ = word_start;
      if (auto selected = ParseSelector(rule); !selected) return selected.error();
      SkipSpaces();
      if (AtEnd() || Peek() == ';') {
        return Fail(i_, "horaires attendus après les jours", "times expected after the day selector");
      }
    } else {
      rule.weekdays = kEveryWeekday;
    }
    if (LooksAt("24/7")) {
      return Fail(i_, "« 24/7 » s'écrit seul, sans jours", "24/7 after a day selector");
    }
    if (IsAsciiLetter(Peek())) {
      const std::size_t word_start = i_;
      const std::string word = ReadWord();
      if (IsOffWord(word)) return rule;
      return Fail(word_start, "« off » ou des heures attendus, pas « " + word + " »", "times or off expected");
    }
    if (auto ranges = ParseRanges(rule.ranges); !ranges) return ranges.error();
    return rule;
  }

  core::Result<core::Ok> ParseSelector(Rule& rule) {
    while (true) {
      const std::size_t item_start = i_;
      const std::string word = ReadWord();
      if (word.empty()) {
        if (AtEnd()) return Fail(i_, "jour attendu", "weekday expected");
        return Unexpected();
      }
      if (Lower(word) == "ph") {
        rule.holidays = true;
      } else {
        const auto first = WeekdayIndex(word);
        if (!first) return UnknownWord(item_start, word);
        int last = *first;
        if (Peek() == '-') {
          ++i_;
          const std::size_t second_start = i_;
          const std::string second_word = ReadWord();
          if (second_word.empty()) return Fail(i_, "jour attendu après « - »", "weekday expected after '-'");
          const auto second = WeekdayIndex(second_word);
          if (!second) return UnknownWord(second_start, second_word);
          last = *second;
        }
        // Ranges may wrap around the week: Fr-Mo is Friday to Monday.
        for (int d = *first;; d = (d + 1) % 7) {
          rule.weekdays = static_cast<std::uint8_t>(rule.weekdays | (1u << d));
          if (d == last) break;
        }
      }
      if (Peek() != ',') return core::Ok{};
      ++i_;
      SkipSpaces();
    }
  }

  // HH:MM (or H:MM); 24:00 only as an end.
  core::Result<int> ParseTime(bool is_end) {
    const std::size_t start = i_;
    if (!IsDigit(Peek())) {
      if (AtEnd() || Peek() == '-' || Peek() == ',' || Peek() == ';' || Peek() == ' ') {
        return Fail(i_, "heure attendue (HH:MM)", "time expected");
      }
      return Unexpected();
    }
    // The token as written, for the message: up to the next separator.
    std::size_t token_end = start;
    while (token_end < text_.size()) {
      const char c = text_[token_end];
      if (c == ' ' || c == '\t' || c == ',' || c == ';' || c == '-' || c == '+' ||
          (static_cast<unsigned char>(c) & 0x80) != 0) {
        break;
      }
      ++token_end;
    }
    const std::string token(text_.substr(start, token_end - start));
    const auto invalid = [&] { return Fail(start, "heure invalide « " + token + " »", "invalid time"); };
    std::size_t j = start;
    int hour = 0;
    int digits = 0;
    while (j < text_.size() && IsDigit(text_[j]) && digits < 3) {
      hour = hour * 10 + (text_[j] - '0');
      ++j;
      ++digits;
    }
    if (digits == 0 || digits > 2 || j >= text_.size() || text_[j] != ':') return invalid();
    ++j;
    if (j + 2 > text_.size() || !IsDigit(text_[j]) || !IsDigit(text_[j + 1])) return invalid();
    const int minute = (text_[j] - '0') * 10 + (text_[j + 1] - '0');
    j += 2;
    if (j != token_end) return invalid();
    if (minute > 59 || hour > 24 || (hour == 24 && (minute != 0 || !is_end))) return invalid();
    i_ = j;
    return hour * 60 + minute;
  }

  core::Result<core::Ok> ParseRanges(std::vector<TimeRange>& ranges) {
    std::vector<std::size_t> starts;  // where each range was written, for messages
    while (true) {
      const std::size_t range_start = i_;
      const auto open = ParseTime(false);
      if (!open) return open.error();
      SkipSpaces();
      if (Peek() == '+') {
        return Fail(i_, "heure de fermeture ouverte « + » non prise en charge", "open end not supported");
      }
      if (Peek() != '-') {
        if (AtEnd() || Peek() == ';' || Peek() == ',') {
          return Fail(i_, "« - » et l'heure de fermeture attendus après l'heure", "'-' expected after the time");
        }
        return Unexpected();
      }
      ++i_;
      SkipSpaces();
      const auto close = ParseTime(true);
      if (!close) return close.error();
      TimeRange range{open.value(), close.value()};
      if (range.end_minutes == range.start_minutes) {
        return Fail(range_start,
                    "plage horaire vide « " + std::string(text_.substr(range_start, i_ - range_start)) + " »",
                    "empty time range");
      }
      if (range.end_minutes < range.start_minutes) range.end_minutes += kMinutesPerDay;  // past midnight
      for (const TimeRange& other : ranges) {
        if (range.start_minutes < other.end_minutes && other.start_minutes < range.end_minutes) {
          return Fail(range_start, "plages horaires qui se chevauchent", "overlapping time ranges");
        }
      }
      ranges.push_back(range);
      starts.push_back(range_start);
      if (Peek() != ',') break;
      ++i_;
      SkipSpaces();
    }
    std::sort(ranges.begin(), ranges.end(),
              [](const TimeRange& a, const TimeRange& b) { return a.start_minutes < b.start_minutes; });
    return core::Ok{};
  }

  std::string_view text_;
  std::size_t i_ = 0;
};

core::Result<OpeningHours> OpeningHours::Parse(std::string_view text) { return OpeningHoursParser(text).Run(); }

const std::vector<TimeRange>& OpeningHours::RangesOf(int weekday, DayKind kind) const {
  const bool holiday = kind == DayKind::kPublicHoliday;
  static const std::vector<TimeRange> kClosed;
  const std::vector<TimeRange>* ranges = &kClosed;
  for (const Rule& rule : rules_) {
    if (((rule.weekdays >> weekday) & 1) != 0 || (holiday && rule.holidays)) ranges = &rule.ranges;
  }
  return *ranges;
}

std::vector<TimeRange> OpeningHours::RangesOn(int y, int m, int d) const {
  const sys_days date{year{y} / month{static_cast<unsigned>(m)} / day{static_cast<unsigned>(d)}};
  const int weekday_index = static_cast<int>(weekday{date}.iso_encoding()) - 1;
  return RangesOf(weekday_index, IsFrenchPublicHoliday(y, m, d) ? DayKind::kPublicHoliday : DayKind::kOrdinary);
}

std::array<std::vector<TimeRange>, 7> OpeningHours::WeeklyRanges() const {
  std::array<std::vector<TimeRange>, 7> week;
  for (int d = 0; d < 7; ++d) week[d] = RangesOf(d, DayKind::kOrdinary);
  return week;
}

namespace {

std::vector<TimeRange> RangesOnDate(const OpeningHours& hours, sys_days date) {
  const year_month_day ymd{date};
  return hours.RangesOn(static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                        static_cast<int>(static_cast<unsigned>(ymd.day())));
}

// Open at `minute` after midnight of `date` (Paris clocks), counting the previous day's ranges
// that run past midnight.
bool OpenAtLocal(const OpeningHours& hours, sys_days date, int minute) {
  for (const TimeRange& r : RangesOnDate(hours, date)) {
    if (r.start_minutes <= minute && minute < r.end_minutes) return true;
  }
  for (const TimeRange& r : RangesOnDate(hours, date - days(1))) {
    if (minute + kMinutesPerDay < r.end_minutes) return true;
  }
  return false;
}

}  // namespace

OpenStatus OpeningHours::IsOpenAt(TimePoint t) const {
  if (!provided_) return OpenStatus::kNotProvided;
  const core::ParisTime p = core::ToParisTime(t);
  return OpenAtLocal(*this, DateOf(p), p.minutes) ? OpenStatus::kOpen : OpenStatus::kClosed;
}

std::optional<OpeningHours::TimePoint> OpeningHours::ClosesAt(TimePoint t) const {
  if (IsOpenAt(t) != OpenStatus::kOpen) return std::nullopt;
  const core::ParisTime p = core::ToParisTime(t);
  const sys_days today = DateOf(p);
  // Ranges from yesterday on, in minutes from today's midnight, merged where they touch.
  std::vector<std::pair<long, long>> spans;
  for (int k = -1; k <= kLongestStretchDays; ++k) {
    for (const TimeRange& r : RangesOnDate(*this, today + days(k))) {
      spans.emplace_back(long{k} * kMinutesPerDay + r.start_minutes, long{k} * kMinutesPerDay + r.end_minutes);
    }
  }
  std::sort(spans.begin(), spans.end());
  // IsOpenAt said open: one merged stretch contains the present minute.
  const auto contains_now = [&](long start, long end) { return start <= p.minutes && p.minutes < end; };
  long stretch_start = spans.front().first, stretch_end = spans.front().second;
  for (const auto& [start, end] : spans) {
    if (start <= stretch_end) {
      stretch_end = std::max(stretch_end, end);
      continue;
    }
    if (contains_now(stretch_start, stretch_end)) break;
    stretch_start = start;
    stretch_end = end;
  }
  if (stretch_end >= long{kLongestStretchDays} * kMinutesPerDay) return std::nullopt;
  return LocalToUtc(today, stretch_end);
}

std::optional<OpeningHours::TimePoint> OpeningHours::NextOpening(TimePoint t) const {
  if (!provided_) return std::nullopt;
  TimePoint from = t;
  if (IsOpenAt(t) == OpenStatus::kOpen) {
    const auto closes = ClosesAt(t);
    if (!closes) return std::nullopt;
    from = *closes;
  }
  const core::ParisTime p = core::ToParisTime(from);
  const sys_days today = DateOf(p);
  for (int k = 0; k <= kHorizonDays; ++k) {
    for (const TimeRange& r : RangesOnDate(*this, today + days(k))) {
      if (long{k} * kMinutesPerDay + r.start_minutes <= p.minutes) continue;
      return LocalToUtc(today + days(k), r.start_minutes);
    }
  }
  return std::nullopt;
}

bool IsFrenchPublicHoliday(int y, int m, int d) {
  static constexpr std::pair<int, int> kFixed[] = {{1, 1},  {5, 1},  {5, 8},   {7, 14},
                                                   {8, 15}, {11, 1}, {11, 11}, {12, 25}};
  for (const auto& [fixed_month, fixed_day] : kFixed) {
    if (m == fixed_month && d == fixed_day) return true;
  }
  const sys_days date{year{y} / month{static_cast<unsigned>(m)} / day{static_cast<unsigned>(d)}};
  const sys_days easter = EasterSunday(y);
  return date == easter + days(1) || date == easter + days(39) || date == easter + days(50);
}

}  // namespace passerelle::directory
