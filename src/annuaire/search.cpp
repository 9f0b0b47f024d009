#include "annuaire/search.h"

#include <algorithm>
#include <cctype>

#include "geo/folding.h"

namespace passerelle::annuaire {

namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

bool IsCode(std::string_view text) {
  // Postal codes are 5 digits; INSEE codes too, except Corsica's "2A004" / "2B033".
  if (text.size() != 5) return false;
  for (std::size_t i = 0; i < 5; ++i) {
    const char c = text[i];
    const bool corsica = i == 1 && (c == 'A' || c == 'B' || c == 'a' || c == 'b');
    if (!std::isdigit(static_cast<unsigned char>(c)) && !corsica) return false;
  }
  return true;
}

Place PlaceOf(const geo::Commune& commune, std::string_view postal_code) {
  std::string code(postal_code);
  if (code.empty() && !commune.postal_codes.empty()) code = commune.postal_codes.front();
  return Place{code.empty() ? commune.name : commune.name + " (" + code + ")", commune.insee_code, commune.lat,
               commune.lon};
}

// The page's message: what she typed is shown back, never translated.
core::Error PlaceError(const char* msgid, std::string_view typed, const TranslateFn& translate, std::string_view locale,
                       const char* internal_detail) {
  Phrase message{msgid};
  message.values = {{"{place}", std::string(typed)}};
  return core::Error{core::ErrorCode::kInvalidInput, RenderPhrase(message, translate, locale), internal_detail};
}

constexpr const char* kUnknownCommune =
    "Nous ne trouvons pas la commune « {place} ». Vérifiez l'orthographe ou indiquez son code postal.";

}  // namespace

core::Result<Place> ResolvePlace(const geo::Gazetteer& gazetteer, std::string_view typed, const TranslateFn& translate,
                                 std::string_view locale) {
  typed = Trim(typed);
  if (typed.empty() || typed.size() > kMaxPlaceBytes) {
    return PlaceError(kUnknownCommune, typed.substr(0, kMaxPlaceBytes), translate, locale, "unknown commune");
  }

  // "Name (62170)": the autocomplete's label; the code decides, the name picks among its communes.
  std::string_view name = typed;
  std::string_view code;
  if (typed.size() > 8 && typed.back() == ')' && typed[typed.size() - 7] == '(') {
    code = typed.substr(typed.size() - 6, 5);
    name = Trim(typed.substr(0, typed.size() - 7));
  } else if (IsCode(typed)) {
    code = typed;
    name = {};
  }
  if (!code.empty()) {
    const auto communes = gazetteer.FindByPostalCode(code);
    if (!communes.empty()) {
      const std::string folded = geo::FoldForSearch(name);
      for (const geo::Commune* c : communes) {
        if (!folded.empty() && geo::FoldForSearch(c->name) == folded) return PlaceOf(*c, code);
      }
      return PlaceOf(*communes.front(), code);
    }
    std::string insee(code);
    std::transform(insee.begin(), insee.end(), insee.begin(), [](unsigned char c) { return std::toupper(c); });
    if (const geo::Commune* c = gazetteer.FindByInsee(insee)) return PlaceOf(*c, "");
    if (name.empty()) {
      return PlaceError("Aucune commune ne correspond au code postal « {place} ».", code, translate, locale,
                        "unknown postal code");
    }
  }

  const auto matches = gazetteer.Complete(name, geo::kMaxCompletions);
  if (matches.empty()) return PlaceError(kUnknownCommune, typed, translate, locale, "unknown commune");
  // A name typed in full wins over a longer name it begins ("Montreuil" before
  // "Montreuil-sur-Mer"); otherwise the most populous match.
  const std::string folded = geo::FoldForSearch(name);
  for (const geo::NameMatch& m : matches) {
    if (geo::FoldForSearch(m.matched_name) == folded) return PlaceOf(*m.commune, "");
  }
  return PlaceOf(*matches.front().commune, "");
}

std::vector<Place> SuggestCommunes(const geo::Gazetteer& gazetteer, std::string_view typed, std::size_t limit) {
  typed = Trim(typed);
  std::vector<Place> out;
  if (typed.empty() || typed.size() > kMaxPlaceBytes) return out;
  limit = std::min(limit, kMaxSuggestions);
  if (IsCode(typed)) {
    for (const geo::Commune* c : gazetteer.FindByPostalCode(typed)) {
      if (out.size() == limit) break;
      out.push_back(PlaceOf(*c, typed));
    }
    return out;
  }
  for (const geo::NameMatch& m : gazetteer.Complete(typed, limit)) out.push_back(PlaceOf(*m.commune, ""));
  return out;
}

}  // namespace passerelle::annuaire
