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

bool Translator::Supports(std::string_view language) const {
  return locales_.find(language) != locales_.end();
}

std::string Translator::Translate(std::string_view language, const std::string& text) const {
  if (language == kSourceLanguage) return text;
  const auto it = locales_.find(language);
  if (it == locales_.end()) return text;
  return boost::locale::translate(text).str(it->second);
}

}  // namespace passerelle::http
