#include "http/i18n.h"

#include <boost/locale.hpp>

namespace passerelle::http {

namespace {

constexpr const char* kDomain = "passerelle";

struct LanguageLocale {
  const char* language;
  const char* locale_name;
};
constexpr LanguageLocale kLanguages[] = {
    {"fr", "fr_FR.UTF-8"},
    {"en", "en_GB.UTF-8"},
    {"ar", "ar.UTF-8"},
};

}  // namespace

std::filesystem::path DefaultLocaleDir() { return PASSERELLE_LOCALE_DIR; }

Translator::Translator(const std::filesystem::path& locale_dir) {
  boost::locale::generator generator;
  generator.add_messages_path(locale_dir.string());
  generator.add_messages_domain(kDomain);
  for (const auto& [language, locale_name] : kLanguages) {
    locales_.emplace(language, generator(locale_name));
  }
}

bool Translator::Supports(std::string_view language) const { return locales_.find(language) != locales_.end(); }

std::string Translator::Translate(std::string_view language, const std::string& text) const {
  if (language == kSourceLanguage) return FrenchSpacing(text);
  const auto it = locales_.find(language);
  if (it == locales_.end()) return text;
  return boost::locale::translate(text).str(it->second);
}

std::string FrenchSpacing(std::string_view text) {
  static constexpr std::string_view kNarrow = "\xE2\x80\xAF";
  static constexpr std::string_view kNoBreak = "\xC2\xA0";
  static constexpr std::string_view kOpenQuote = "\xC2\xAB";
  static constexpr std::string_view kCloseQuote = "\xC2\xBB";
  // The length of the space at `i` (a plain space or U+00A0), or 0.
  const auto space_at = [&](std::size_t i) -> std::size_t {
    if (i < text.size() && text[i] == ' ') return 1;
    return text.substr(i, kNoBreak.size()) == kNoBreak ? kNoBreak.size() : 0;
  };
  const auto high_punctuation_at = [&](std::size_t i) {
    if (i >= text.size()) return false;
    const char c = text[i];
    return c == '?' || c == '!' || c == ':' || c == ';' || text.substr(i, kCloseQuote.size()) == kCloseQuote;
  };
  std::string out;
  out.reserve(text.size() + 8);
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.substr(i, kOpenQuote.size()) == kOpenQuote) {
      out += kOpenQuote;
      i += kOpenQuote.size();
      if (const std::size_t n = space_at(i); n > 0) {
        out += kNarrow;
        i += n;
      }
      continue;
    }
    if (const std::size_t n = space_at(i); n > 0 && high_punctuation_at(i + n)) {
      out += kNarrow;
      i += n;
      continue;
    }
    out += text[i];
    ++i;
  }
  return out;
}

}  // namespace passerelle::http
