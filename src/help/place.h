#pragma once

#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <variant>
#include <vector>

#include "annuaire/phrase.h"
#include "geo/gazetteer.h"
#include "help/engine.h"
#include "territory/model.h"

// The location question checks the place when she answers (issue 10 §3): an unknown place is
// refused at once, a misspelt one gets close matches ("Berck (62600) ?"), a name several
// communes share gets a choice, the instance's own communes first.
namespace passerelle::help {

// How a resolved place is stored (the location answer):
//   typed commune or picked: {"commune": "Berck (62600)", "insee": "62108"}
//   postal code:             {"postal_code": "62170", "insee": "62588"}
//   coordinates:             {"lat": 50.46, "lon": 1.76} (unchanged)
// `local` holds the INSEE codes of the communes of the territories the instance serves: they
// come first among homonyms and close matches. An empty gazetteer checks nothing (the answer is
// kept as given: the end page then says the search is not available).
std::variant<nlohmann::json, AnswerError> CheckPlace(const geo::Gazetteer& gazetteer,
                                                     const std::set<std::string>& local, const nlohmann::json& given,
                                                     const annuaire::TranslateFn& translate = annuaire::Untranslated);

// "Berck (62600)": the commune and its first postal code, as the autocomplete labels it.
std::string PlaceLabel(const geo::Commune& commune);

// The INSEE code of the communes of `territories`.
std::set<std::string> LocalCommunes(const std::vector<territory::Territory>& territories);

// The territory among `territories` whose communes include `insee_code`; null when none.
const territory::Territory* TerritoryOf(const std::vector<territory::Territory>& territories,
                                        const std::string& insee_code);

// The INSEE code of her commune in a location answer, when it was resolved ("" otherwise).
std::string InseeOf(const nlohmann::json& location);

inline constexpr std::size_t kMaxPlaceOptions = 6;

}  // namespace passerelle::help
