#include "directory/validation.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <set>

#include "directory/opening_hours.h"

namespace passerelle::directory {

namespace {

constexpr std::size_t kMaxIdLength = 100;
constexpr std::size_t kMaxNameLength = 200;
constexpr std::size_t kMaxLongTextLength = 4000;
constexpr std::size_t kMaxShortTextLength = 1000;
constexpr std::size_t kMaxUrlLength = 2000;
constexpr std::size_t kMaxEmailLength = 254;
constexpr int kMaxAge = 120;

// ISO 639-1 (two-letter) language codes.
constexpr std::array<std::string_view, 184> kLanguageCodes = {
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh", "bi", "bm", "bn",
    "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de", "dv", "dz", "ee", "el", "en",
    "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he",
    "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv",
    "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li",
    "ln", "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd", "ne",
    "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl", "ps", "pt", "qu", "rm",
    "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "ss", "st",
    "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk",
    "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu",
};

// Latitude and longitude boxes of the French territories.
struct Box {
  double min_lat, max_lat, min_lon, max_lon;
};
constexpr Box kFrance[] = {
    {41.3, 51.15, -5.2, 9.6},          // metropolitan France and Corsica
    {15.8, 16.55, -61.85, -60.95},     // Guadeloupe
    {17.85, 18.15, -63.2, -62.75},     // Saint-Martin, Saint-Barthélemy
    {14.35, 14.9, -61.25, -60.8},      // Martinique
    {2.1, 5.8, -54.65, -51.6},         // Guyane
    {-21.4, -20.85, 55.2, 55.85},      // La Réunion
    {-13.05, -12.6, 44.95, 45.35},     // Mayotte
    {46.7, 47.15, -56.45, -56.1},      // Saint-Pierre-et-Miquelon
    {-22.8, -19.5, 163.5, 168.2},      // Nouvelle-Calédonie
    {-28.0, -7.8, -155.0, -134.0},     // Polynésie française
    {-14.4, -13.15, -178.25, -176.1},  // Wallis-et-Futuna
};

FieldError Error(Entity entity, std::optional<std::size_t> index, std::string field, std::string reason) {
  return FieldError{entity, index, std::move(field), std::move(reason)};
}

std::string Quoted(std::string_view value) { return "« " + std::string(value) + " »"; }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool AllDigits(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), IsDigit); }

// Characters a user counts (UTF-8 code points).
std::size_t Length(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool HasLineBreakOrControl(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F;
  });
}

bool HasControlOtherThanLineBreaks(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\n' && c != '\r' && c != '\t') || u == 0x7F;
  });
}

// A one-line text: a name, a city, an address.
std::optional<std::string> CheckLine(std::string_view text, std::size_t max_length) {
  if (HasLineBreakOrControl(text)) return "une seule ligne, sans caractère de contrôle";
  if (Length(text) > max_length) return "trop long (" + std::to_string(max_length) + " caractères au plus)";
  return std::nullopt;
}

std::optional<std::string> CheckText(std::string_view text, std::size_t max_length) {
  if (HasControlOtherThanLineBreaks(text)) return "caractère de contrôle interdit";
  if (Length(text) > max_length) return "trop long (" + std::to_string(max_length) + " caractères au plus)";
  return std::nullopt;
}

bool IsHostName(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  std::size_t labels = 0;
  std::string_view last;
  for (std::size_t start = 0; start <= host.size();) {
    std::size_t end = host.find('.', start);
    if (end == std::string_view::npos) end = host.size();
    const std::string_view label = host.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    if (!std::all_of(label.begin(), label.end(), [](char c) { return IsAlnum(c) || c == '-'; })) return false;
    ++labels;
    last = label;
    start = end + 1;
  }
  const bool alphabetic_tld = last.size() >= 2 && std::all_of(last.begin(), last.end(), [](char c) {
                                return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
                              });
  return labels >= 2 && (alphabetic_tld || last.starts_with("xn--"));
}

std::string StripPhoneSeparators(std::string_view number) {
  std::string out;
  for (std::size_t i = 0; i < number.size(); ++i) {
    const char c = number[i];
    if (c == ' ' || c == '.' || c == '-') continue;
    // No-break spaces of French typography: U+00A0 (C2 A0) and U+202F (E2 80 AF).
    if (number.substr(i, 2) == "\xC2\xA0") {
      ++i;
      continue;
    }
    if (number.substr(i, 3) == "\xE2\x80\xAF") {
      i += 2;
      continue;
    }
    out += c;
  }
  return out;
}

const char* const kPhoneHint = " (10 chiffres commençant par 0, +33, ou numéro court comme 17, 114, 3919, 116 006)";

}  // namespace

core::Error ToError(const FieldError& error) {
  static constexpr const char* kEntityNames[] = {"organization", "phone", "location", "service"};
  std::string detail = std::string("directory.") + kEntityNames[static_cast<int>(error.entity)];
  if (error.index) detail += "[" + std::to_string(*error.index) + "]";
  detail += "." + error.field + ": invalid";
  return core::Error{core::ErrorCode::kInvalidInput, error.field + " : " + error.reason, detail};
}

bool IsValidId(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdLength || !IsAlnum(id.front())) return false;
  return std::all_of(id.begin(), id.end(),
                     [](char c) { return IsAlnum(c) || c == '.' || c == '_' || c == ':' || c == '-'; });
}

bool IsValidFrenchPhone(std::string_view number) {
  const std::string digits = StripPhoneSeparators(number);
  if (digits.starts_with("+33")) {
    const std::string_view rest = std::string_view(digits).substr(3);
    return rest.size() == 9 && AllDigits(rest) && rest.front() != '0';
  }
  if (!AllDigits(digits)) return false;
  switch (digits.size()) {
    case 10:
      return digits[0] == '0' && digits[1] != '0';
    case 2:  // SAMU, police, pompiers
      return digits == "15" || digits == "17" || digits == "18";
    case 3:  // urgences européen, urgences par SMS, SAMU social, enfance en danger, 191, 196
      return digits == "112" || digits == "114" || digits == "115" || digits == "119" || digits == "191" ||
             digits == "196";
    case 4:
      return digits[0] == '3';  // 3919, 3020
    case 6:
      return digits.starts_with("116");  // 116 006, 116 000
    default:
      return false;
  }
}

bool IsValidHttpUrl(std::string_view url) {
  if (url.size() > kMaxUrlLength) return false;
  std::string scheme;
  for (char c : url.substr(0, 8)) scheme += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  std::size_t rest_start;
  if (scheme.starts_with("https://")) {
    rest_start = 8;
  } else if (scheme.starts_with("http://")) {
    rest_start = 7;
  } else {
    return false;
  }
  const std::string_view rest = url.substr(rest_start);
  const std::size_t authority_end = std::min(rest.find_first_of("/?#"), rest.size());
  std::string_view host = rest.substr(0, authority_end);
  if (const std::size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    const std::string_view port = host.substr(colon + 1);
    if (!AllDigits(port) || port.size() > 5) return false;
    host = host.substr(0, colon);
  }
  if (!IsHostName(host)) return false;  // also refuses credentials (`@`)
  return std::none_of(rest.begin() + static_cast<std::ptrdiff_t>(authority_end), rest.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7F || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' ||
           c == '{' || c == '|' || c == '}';
  });
}

bool IsValidEmail(std::string_view email) {
  if (email.size() > kMaxEmailLength) return false;
  const std::size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64 || email.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view local = email.substr(0, at);
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
  static constexpr std::string_view kLocalSpecials = ".!#$%&'*+/=?^_`{|}~-";
  const bool local_ok = std::all_of(local.begin(), local.end(), [](char c) {
    return IsAlnum(c) || kLocalSpecials.find(c) != std::string_view::npos;
  });
  return local_ok && IsHostName(email.substr(at + 1));
}

bool IsInFrance(double latitude, double longitude) {
  if (!std::isfinite(latitude) || !std::isfinite(longitude)) return false;
  return std::any_of(std::begin(kFrance), std::end(kFrance), [&](const Box& b) {
    return latitude >= b.min_lat && latitude <= b.max_lat && longitude >= b.min_lon && longitude <= b.max_lon;
  });
}

bool IsLanguageCode(std::string_view code) {
  return std::binary_search(kLanguageCodes.begin(), kLanguageCodes.end(), code);
}

bool IsValidDate(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
  const std::string_view y = date.substr(0, 4), m = date.substr(5, 2), d = date.substr(8, 2);
  if (!AllDigits(y) || !AllDigits(m) || !AllDigits(d)) return false;
  const std::chrono::year_month_day ymd{std::chrono::year{std::stoi(std::string(y))},
                                        std::chrono::month{static_cast<unsigned>(std::stoi(std::string(m)))},
                                        std::chrono::day{static_cast<unsigned>(std::stoi(std::string(d)))}};
  return ymd.ok();
}

std::optional<FieldError> CheckOrganizationFields(const Organization& o) {
  const auto invalid = [](std::string field, std::string reason) {
    return Error(Entity::kOrganization, std::nullopt, std::move(field), std::move(reason));
  };
  if (!IsValidId(o.id)) return invalid("id", "identifiant invalide " + Quoted(o.id) + " (lettres, chiffres, . _ : -)");
  if (o.territory_slug.empty()) return invalid("territory_slug", "le territoire est obligatoire");
  if (o.name.empty()) return invalid("name", "le nom est obligatoire");
  if (auto bad = CheckLine(o.name, kMaxNameLength)) return invalid("name", *bad);
  if (auto bad = CheckText(o.description, kMaxLongTextLength)) return invalid("description", *bad);
  if (!o.website.empty() && !IsValidHttpUrl(o.website)) {
    return invalid("website", "adresse web invalide " + Quoted(o.website) + " (http:// ou https:// seulement)");
  }
  if (!o.email.empty() && !IsValidEmail(o.email)) {
    return invalid("email", "adresse e-mail invalide " + Quoted(o.email));
  }
  for (std::size_t i = 0; i < o.phones.size(); ++i) {
    const Phone& phone = o.phones[i];
    if (!IsValidFrenchPhone(phone.number)) {
      return Error(Entity::kPhone, i, "number", "numéro invalide " + Quoted(phone.number) + kPhoneHint);
    }
    if (auto bad = CheckLine(phone.description, kMaxNameLength)) return Error(Entity::kPhone, i, "description", *bad);
    // The CSV format writes "number (description)" in a ';'-separated list.
    if (phone.description.find_first_of(";()") != std::string::npos) {
      return Error(Entity::kPhone, i, "description", "les caractères ; ( ) ne sont pas admis");
    }
  }
  if (!o.assured_date.empty() && !IsValidDate(o.assured_date)) {
    return invalid("assured_date", "date invalide " + Quoted(o.assured_date) + " (AAAA-MM-JJ)");
  }
  if (auto bad = CheckLine(o.verified_by, kMaxNameLength)) return invalid("verified_by", *bad);
  if (o.status == OrganizationStatus::kTemporarilyClosed) {
    if (o.closed_from.empty()) return invalid("closed_from", "date de fermeture obligatoire (AAAA-MM-JJ)");
    if (!IsValidDate(o.closed_from)) {
      return invalid("closed_from", "date invalide " + Quoted(o.closed_from) + " (AAAA-MM-JJ)");
    }
    if (!o.closed_until.empty() && !IsValidDate(o.closed_until)) {
      return invalid("closed_until", "date invalide " + Quoted(o.closed_until) + " (AAAA-MM-JJ)");
    }
    // ISO dates compare as text.
    if (!o.closed_until.empty() && o.closed_until < o.closed_from) {
      return invalid("closed_until", "avant la date de fermeture " + Quoted(o.closed_from));
    }
  } else {
    if (!o.closed_from.empty()) return invalid("closed_from", "seulement pour une structure temporairement fermée");
    if (!o.closed_until.empty()) return invalid("closed_until", "seulement pour une structure temporairement fermée");
  }
  if (auto bad = CheckText(o.alert, kMaxShortTextLength)) return invalid("alert", *bad);
  return std::nullopt;
}

std::optional<FieldError> CheckLocation(const Location& l) {
  const auto invalid = [](std::string field, std::string reason) {
    return Error(Entity::kLocation, std::nullopt, std::move(field), std::move(reason));
  };
  static constexpr const char* kLineFields[] = {"name", "address", "city", "transportation"};
  const std::string_view lines[] = {l.name, l.address, l.city, l.transportation};
  if (!IsValidId(l.id)) return invalid("id", "identifiant invalide " + Quoted(l.id) + " (lettres, chiffres, . _ : -)");
  for (std::size_t i = 0; i < std::size(lines); ++i) {
    if (auto bad = CheckLine(lines[i], kMaxShortTextLength)) return invalid(kLineFields[i], *bad);
  }
  if (l.address.empty() && !l.confidential) {
    return invalid("address", "l'adresse est obligatoire (sauf adresse confidentielle)");
  }
  if (l.postal_code.size() != 5 || !AllDigits(l.postal_code)) {
    return invalid("postal_code", "code postal invalide " + Quoted(l.postal_code) + " (5 chiffres)");
  }
  if (l.city.empty()) return invalid("city", "la commune est obligatoire");
  const bool insee_ok =
      l.insee_code.size() == 5 &&
      (AllDigits(l.insee_code) || (l.insee_code[0] == '2' && (l.insee_code[1] == 'A' || l.insee_code[1] == 'B') &&
                                   AllDigits(l.insee_code.substr(2))));
  if (!insee_ok) return invalid("insee_code", "code INSEE invalide " + Quoted(l.insee_code) + " (ex. 75110, 2A004)");
  if (l.latitude.has_value() != l.longitude.has_value()) {
    return invalid(l.latitude ? "longitude" : "latitude", "latitude et longitude vont ensemble");
  }
  if (!l.latitude) {
    if (!l.confidential) return invalid("latitude", "coordonnées obligatoires (sauf adresse confidentielle)");
  } else if (!IsInFrance(*l.latitude, *l.longitude)) {
    return invalid("latitude", "coordonnées hors de France (" + std::to_string(*l.latitude) + ", " +
                                   std::to_string(*l.longitude) + ")");
  }
  return std::nullopt;
}

std::optional<FieldError> CheckService(const Service& s) {
  const auto invalid = [](std::string field, std::string reason) {
    return Error(Entity::kService, std::nullopt, std::move(field), std::move(reason));
  };
  if (!IsValidId(s.id)) return invalid("id", "identifiant invalide " + Quoted(s.id) + " (lettres, chiffres, . _ : -)");
  if (s.name.empty()) return invalid("name", "le nom est obligatoire");
  if (auto bad = CheckLine(s.name, kMaxNameLength)) return invalid("name", *bad);
  if (auto bad = CheckText(s.description, kMaxLongTextLength)) return invalid("description", *bad);
  if (s.categories.empty()) return invalid("categories", "au moins une catégorie");
  for (std::size_t i = 0; i < s.categories.size(); ++i) {
    if (std::find(s.categories.begin(), s.categories.begin() + static_cast<std::ptrdiff_t>(i), s.categories[i]) !=
        s.categories.begin() + static_cast<std::ptrdiff_t>(i)) {
      return invalid("categories", "catégorie en double " + Quoted(CodeOf(s.categories[i])));
    }
  }
  const auto bad_age = [](const std::optional<int>& age) { return age && (*age < 0 || *age > kMaxAge); };
  if (bad_age(s.minimum_age)) return invalid("minimum_age", "âge invalide (0 à 120)");
  if (bad_age(s.maximum_age)) return invalid("maximum_age", "âge invalide (0 à 120)");
  if (s.minimum_age && s.maximum_age && *s.minimum_age > *s.maximum_age) {
    return invalid("minimum_age", "supérieur à l'âge maximum");
  }
  if (auto bad = CheckText(s.eligibility_description, kMaxShortTextLength))
    return invalid("eligibility_description", *bad);
  for (const std::string& language : s.languages) {
    if (!IsLanguageCode(language)) {
      return invalid("languages", "code de langue inconnu " + Quoted(language) + " (ISO 639-1 : fr, en, ar…)");
    }
  }
  if (auto bad = CheckText(s.application_process, kMaxShortTextLength)) return invalid("application_process", *bad);
  if (auto hours = OpeningHours::Parse(s.opening_hours); !hours) {
    return invalid("opening_hours", hours.error().public_message);
  }
  for (const std::string& id : s.location_ids) {
    if (!IsValidId(id)) return invalid("location_ids", "identifiant de lieu invalide " + Quoted(id));
  }
  return std::nullopt;
}

std::optional<FieldError> CheckOrganization(const Organization& o) {
  if (auto error = CheckOrganizationFields(o)) return error;
  std::set<std::string> location_ids;
  for (std::size_t i = 0; i < o.locations.size(); ++i) {
    if (auto error = CheckLocation(o.locations[i])) {
      error->index = i;
      return error;
    }
    if (!location_ids.insert(o.locations[i].id).second) {
      return Error(Entity::kLocation, i, "id", "identifiant en double " + Quoted(o.locations[i].id));
    }
  }
  std::set<std::string> service_ids;
  for (std::size_t i = 0; i < o.services.size(); ++i) {
    const Service& service = o.services[i];
    if (auto error = CheckService(service)) {
      error->index = i;
      return error;
    }
    if (!service_ids.insert(service.id).second) {
      return Error(Entity::kService, i, "id", "identifiant en double " + Quoted(service.id));
    }
    for (const std::string& id : service.location_ids) {
      if (!location_ids.contains(id)) {
        return Error(Entity::kService, i, "location_ids", "lieu inconnu " + Quoted(id) + " dans cette organisation");
      }
    }
  }
  return std::nullopt;
}

}  // namespace passerelle::directory
