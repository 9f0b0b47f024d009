#pragma once

#include <filesystem>
#include <locale>
#include <map>
#include <string>
#include <string_view>

namespace passerelle::http {

// UI strings are written in French in the templates and code (the source language) and
// translated through gettext catalogs (po/<lang>.po → <locale_dir>/<lang>/LC_MESSAGES/
// passerelle.mo) with Boost.Locale. One std::locale per supported language is built at start-up;
// a request only picks one.
class Translator {
 public:
  static constexpr std::string_view kSourceLanguage = "fr";

  explicit Translator(const std::filesystem::path& locale_dir);

  bool Supports(std::string_view language) const;
  bool IsRightToLeft(std::string_view language) const { return language == "ar"; }
  // The translation of the French `text`, or `text` itself when there is none. French (the
  // source) gets its typographic spaces (FrenchSpacing), so catalogs keep plain-space msgids.
  std::string Translate(std::string_view language, const std::string& text) const;

 private:
  std::map<std::string, std::locale, std::less<>> locales_;
};

// French typography: a narrow no-break space (U+202F) before ? ! : ; and » and after «, so that
// "?" never starts a line alone. Only the spaces the writer typed (or U+00A0) are replaced:
// "https://", "10:30" and "a?b" have none and stay as they are. A byte scan, not a regex: it runs
// on every French string a page shows.
std::string FrenchSpacing(std::string_view text);

// Directory of the compiled catalogs chosen at build time.
std::filesystem::path DefaultLocaleDir();

}  // namespace passerelle::http
