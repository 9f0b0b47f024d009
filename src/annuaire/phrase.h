#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Text built in C++ for the public pages, in the visitor's language. It is worded in French (the
// catalogs' source language) with named placeholders; a page translates it through the catalog
// of the visitor's locale and fills the placeholders in that language's conventions. Used by the
// directory's pages and by the help flow's explanations (help::Phrase is this type).
namespace passerelle::annuaire {

struct Phrase {
  Phrase() = default;
  explicit Phrase(std::string msgid_text, std::string commune_name = {}, double km = -1,
                  int minutes_after_midnight = -1, std::string french_word = {})
      : msgid(std::move(msgid_text)),
        commune(std::move(commune_name)),
        distance_km(km),
        minutes(minutes_after_midnight),
        word(std::move(french_word)) {}

  std::string msgid;        // "à {distance}", "ouvre {day} à {time}", "psychologue"; "" = nothing
  std::string commune;      // {commune}: a place name, never translated
  double distance_km = -1;  // {distance}: "2,3 km" in French, "2.3 km" otherwise
  int minutes = -1;         // {time}: minutes after midnight, "17 h 30" in French, "17:30" otherwise
  std::string word;         // {day}, {language}: a French word that the catalogs translate
  std::string date;         // {date}: an ISO date, "1er mars 2025" in French, "1 March 2025" in English;
                            // {day_month}: the same without the year ("1er mars", "1 March")
  // Any other placeholder, filled as given (numbers, dates already written): {"{number}", "01 23"}.
  std::vector<std::pair<std::string, std::string>> values;
};

// Translates a French msgid (identity for French).
using TranslateFn = std::function<std::string(const std::string&)>;

// The French "translation": the msgid itself.
inline std::string Untranslated(const std::string& msgid) { return msgid; }

// The phrases joined with " · ", each translated by `translate` and filled for `locale`.
std::string RenderPhrases(const std::vector<Phrase>& phrases, const TranslateFn& translate, std::string_view locale);
inline std::string RenderPhrase(const Phrase& phrase, const TranslateFn& translate, std::string_view locale) {
  return RenderPhrases(std::vector<Phrase>{phrase}, translate, locale);
}
// The French rendering (no catalog).
std::string FrenchText(const std::vector<Phrase>& phrases);
inline std::string FrenchText(const Phrase& phrase) { return FrenchText(std::vector<Phrase>{phrase}); }

// "350 m", "1,2 km", "12 km" (French).
std::string FormatDistance(double km);
// FormatDistance with the decimal point of `locale`: "1,2 km" in French, "1.2 km" otherwise.
std::string LocalDistance(double km, std::string_view locale);
// Minutes after midnight: "9 h", "17 h 30" in French, "9:00", "17:30" otherwise.
std::string LocalClock(int minutes, std::string_view locale);
// An ISO date ("2025-03-01") in `locale`: "1er mars 2025", "1 March 2025", "1 مارس 2025" (the
// month's name through the catalog); anything else unchanged.
std::string LocalDate(std::string_view iso_date, const TranslateFn& translate, std::string_view locale);

}  // namespace passerelle::annuaire
