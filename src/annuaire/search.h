#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "annuaire/phrase.h"
#include "core/result.h"
#include "geo/gazetteer.h"

namespace passerelle::annuaire {

// A commune the person typed, resolved to a point to search around.
struct Place {
  std::string label;  // "Montreuil (62170)"
  std::string insee_code;
  double lat = 0;
  double lon = 0;
};

inline constexpr std::size_t kMaxPlaceBytes = 100;
inline constexpr std::size_t kMaxSuggestions = 10;

// Resolves what a person typed in the "commune or postal code" field: a postal code ("75010"),
// an INSEE code, a name ("montreuil sur mer", accents and case ignored; the most populous
// commune of that name first), or an autocomplete label "Name (62170)". kInvalidInput, with a
// message for the page (French msgid through `translate`), when nothing matches.
[[nodiscard]] core::Result<Place> ResolvePlace(const geo::Gazetteer& gazetteer, std::string_view typed,
                                               const TranslateFn& translate = Untranslated,
                                               std::string_view locale = "fr");

// At most `limit` (≤ kMaxSuggestions) communes for the autocomplete, labelled as ResolvePlace
// reads them back.
std::vector<Place> SuggestCommunes(const geo::Gazetteer& gazetteer, std::string_view typed, std::size_t limit);

}  // namespace passerelle::annuaire
