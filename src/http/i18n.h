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
  // The translation of the French `text`, or `text` itself when there is none.
  std::string Translate(std::string_view language, const std::string& text) const;

 private:
  std::map<std::string, std::locale, std::less<>> locales_;
};

// Directory of the compiled catalogs chosen at build time.
std::filesystem::path DefaultLocaleDir();

}  // namespace passerelle::http
