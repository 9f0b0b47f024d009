#include "annuaire/phrase.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace passerelle::annuaire {

namespace {

// The catalogs translate the French month names, as they do the weekdays.
constexpr const char* kMonths[] = {"janvier", "février", "mars",      "avril",   "mai",      "juin",
                                   "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};

enum class WithYear { kYes, kNo };

std::string DateText(std::string_view iso_date, const TranslateFn& translate, std::string_view locale,
                     WithYear with_year) {
  const bool iso = iso_date.size() == 10 && iso_date[4] == '-' && iso_date[7] == '-' &&
                   std::all_of(iso_date.begin(), iso_date.end(),
                               [](char c) { return c == '-' || std::isdigit(static_cast<unsigned char>(c)); });
  if (!iso) return std::string(iso_date);
  const int month = (iso_date[5] - '0') * 10 + (iso_date[6] - '0');
  const int day = (iso_date[8] - '0') * 10 + (iso_date[9] - '0');
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::string(iso_date);
  // "1er mars" in French; English and Arabic write the day's number alone.
  std::string text =
      (day == 1 && locale == "fr" ? std::string("1er") : std::to_string(day)) + " " + translate(kMonths[month - 1]);
  if (with_year == WithYear::kYes) text += " " + std::string(iso_date.substr(0, 4));
  return text;
}

void ReplaceAll(std::string& text, std::string_view placeholder, const std::string& value) {
  for (std::size_t at = text.find(placeholder); at != std::string::npos;
       at = text.find(placeholder, at + value.size())) {
    text.replace(at, placeholder.size(), value);
  }
}

}  // namespace

std::string RenderPhrases(const std::vector<Phrase>& phrases, const TranslateFn& translate, std::string_view locale) {
  std::string line;
  for (const Phrase& phrase : phrases) {
    if (phrase.msgid.empty()) continue;
    std::string text = translate(phrase.msgid);
    ReplaceAll(text, "{commune}", phrase.commune);
    if (phrase.distance_km >= 0) ReplaceAll(text, "{distance}", LocalDistance(phrase.distance_km, locale));
    if (phrase.minutes >= 0) ReplaceAll(text, "{time}", LocalClock(phrase.minutes, locale));
    if (!phrase.word.empty()) {
      const std::string word = translate(phrase.word);
      ReplaceAll(text, "{day}", word);
      ReplaceAll(text, "{language}", word);
    }
    if (!phrase.date.empty()) {
      ReplaceAll(text, "{date}", DateText(phrase.date, translate, locale, WithYear::kYes));
      ReplaceAll(text, "{day_month}", DateText(phrase.date, translate, locale, WithYear::kNo));
    }
    for (const auto& [placeholder, value] : phrase.values) ReplaceAll(text, placeholder, value);
    line += (line.empty() ? "" : " · ") + text;
  }
  return line;
}

std::string FrenchText(const std::vector<Phrase>& phrases) { return RenderPhrases(phrases, Untranslated, "fr"); }

std::string FormatDistance(double km) {
  if (km < 1) return std::to_string(std::max(10, static_cast<int>(std::lround(km * 100)) * 10)) + " m";
  if (km < 10) {
    const long tenths = std::lround(km * 10);
    return std::to_string(tenths / 10) + "," + std::to_string(tenths % 10) + " km";
  }
  return std::to_string(std::lround(km)) + " km";
}

std::string LocalDistance(double km, std::string_view locale) {
  std::string text = FormatDistance(km);
  if (locale != "fr") std::replace(text.begin(), text.end(), ',', '.');
  return text;
}

std::string LocalClock(int minutes, std::string_view locale) {
  minutes %= 24 * 60;
  const int h = minutes / 60;
  const int m = minutes % 60;
  char buffer[16];
  if (locale != "fr") {
    std::snprintf(buffer, sizeof buffer, "%d:%02d", h, m);
  } else if (m == 0) {
    std::snprintf(buffer, sizeof buffer, "%d h", h);
  } else {
    std::snprintf(buffer, sizeof buffer, "%d h %02d", h, m);
  }
  return buffer;
}

std::string LocalDate(std::string_view iso_date, const TranslateFn& translate, std::string_view locale) {
  return DateText(iso_date, translate, locale, WithYear::kYes);
}

}  // namespace passerelle::annuaire
