#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "annuaire/index.h"
#include "annuaire/phrase.h"
#include "directory/model.h"
#include "directory/opening_hours.h"
#include "geo/gazetteer.h"
#include "help/engine.h"
#include "territory/model.h"

// Matching (issue 3 §5): from her answers to one recommended professional and up to three
// alternatives, each explained in one French line. The ranking itself (RankCandidates) is pure;
// ProposeProfessionals feeds it from the annuaire's in-memory index.
namespace passerelle::help {

using TimePoint = std::chrono::system_clock::time_point;

// What the matching ranks the directory's services by, taken from the answers.
struct MatchRequest {
  std::vector<std::string> needs;  // codes of node `needs`, in the flow's order
  nlohmann::json location;         // answer of node `location`, null when not given
  std::string language;            // code of node `language`, "" when not given
  bool children_at_risk = false;   // node `children` answered yes_at_risk
  std::string contact_channel;     // node `contact`: "none" means she only wants a name
  // Node `contact`: the moments when it is safe to contact her (morning, midday, afternoon,
  // evening); empty or "anytime": no preference.
  std::vector<std::string> times;
  // Codes of an `accessibility` answer (wheelchair, sign_language, interpreter), when a flow
  // asks it; the default flow does not yet.
  std::vector<directory::Accessibility> accessibility;
};

MatchRequest MatchRequestFrom(const Answers& answers);

// Categories that answer a need, best first: `primary` ones answer it, `secondary` ones can
// help (docs/help-flow.md, "Matching", has the table). Unknown need: the "other" row.
struct NeedCategories {
  std::vector<directory::Category> primary;
  std::vector<directory::Category> secondary;
};
NeedCategories CategoriesFor(std::string_view need);

enum class OpenState { kOpen, kOpensSoon, kClosed, kNotProvided };

// A piece of an explanation, worded in French with named placeholders; a page translates and
// fills it in the visitor's language. The directory's pages word their labels the same way.
using annuaire::FrenchText;
using annuaire::Phrase;
using annuaire::RenderPhrases;
using annuaire::TranslateFn;

// One service at one place, as the ranking sees it: built from the index by
// ProposeProfessionals, by hand in tests.
struct Candidate {
  std::string organization_id;
  std::string organization_name;
  std::string service_id;
  std::vector<directory::Category> categories;
  double distance_km = 0;     // from her; for a confidential place, from its commune's centre
  bool confidential = false;  // a shelter: only its commune may be shown
  std::string commune;        // "Berck"
  OpenState open = OpenState::kNotProvided;
  Phrase opening;  // "ouvert aujourd'hui jusqu'à {time}"; empty msgid when hours are unknown
  std::vector<std::string> languages;
  std::vector<directory::Accessibility> accessibility;
  bool accepts_referrals = false;
  bool handles_children = false;  // child protection, or says it takes in children
  std::string phone;              // the service's own voice number (ServicePhone), "" when none
  std::string email;              // the organization's e-mail, "" when none
  std::string address;            // "12 rue …, 62600 Berck"; "" when confidential or unknown
  // Open at some moment of each time window in the coming week (kTimeWindows codes); filled by
  // ProposeProfessionals from the hours, by hand in tests.
  std::vector<std::string> open_windows;
};

// A professional proposed to her, with the one-line explanation of why.
struct Proposal {
  std::string organization_id;
  std::string organization_name;
  std::string service_id;
  std::string explanation;                // "à 2,3 km · juriste · ouvert aujourd'hui jusqu'à 17 h · parle arabe"
  std::vector<Phrase> explanation_parts;  // the same, to render in another language
  std::string phone;
  bool call_now = false;           // open now and has a phone: "Appeler maintenant"
  bool accepts_referrals = false;  // as the directory says (a key is checked by the pages)
  std::string email;
  std::string address;
};

// Her contact time windows, Paris time: [from, to) in minutes since midnight.
struct TimeWindow {
  const char* code;
  int from_minutes;
  int to_minutes;
};
inline constexpr TimeWindow kTimeWindows[] = {{"morning", 8 * 60, 12 * 60},
                                              {"midday", 12 * 60, 14 * 60},
                                              {"afternoon", 14 * 60, 18 * 60},
                                              {"evening", 18 * 60, 22 * 60}};

// The codes of kTimeWindows in which `hours` are open at some moment of the 7 days from `now`
// (sampled every half hour).
std::vector<std::string> OpenWindows(const directory::OpeningHours& hours, TimePoint now);

// The number to show for a service: the organization's first voice number that is not an
// emergency or national short number (17, 115, 119, 3919, 116 006…: those are not the service's
// own line), else the first voice number.
std::string ServicePhone(const std::vector<directory::Phone>& phones);

// One recommended professional and up to three alternatives.
inline constexpr std::size_t kMaxProposals = 4;

enum class PlaceKnown { kYes, kNo };  // kNo: searched around the territory's centre instead

// Ranks `candidates` for `request`: need → category fit, distance band, open now or soon,
// language, accessibility, accepts_referrals, children at risk. Candidates that answer none of
// her needs are left out, and an organization is proposed once. Equivalent candidates (equal
// score) are ordered by a hash of `seed` and the organization: the same seed always gives the
// same order, different seeds spread visitors fairly over equivalent places.
std::vector<Proposal> RankCandidates(const MatchRequest& request, std::vector<Candidate> candidates, std::uint64_t seed,
                                     PlaceKnown place_known);

// "ouvert aujourd'hui jusqu'à 17 h", "ouvert jusqu'à demain 2 h", "ouvert 24 h/24",
// "ouvre aujourd'hui à 14 h", "ouvre demain à 9 h 30", "ouvre lundi à 9 h" (Europe/Paris);
// "" when hours are not provided or it does not open within a week.
Phrase OpeningPhrase(const directory::OpeningHours& hours, TimePoint now);
// kOpensSoon: opens within kSoon.
OpenState OpenStateAt(const directory::OpeningHours& hours, TimePoint now);
inline constexpr std::chrono::hours kSoon{12};

// The rotation seed of a visit: a hash of the flow token she posted to reach the end. Its
// random nonce differs between visitors; a resubmission of the same step gives the same seed.
std::uint64_t RotationSeed(std::string_view token);

// Where ProposeProfessionals looks. Both must outlive the router; null: no search.
struct MatchDirectory {
  const annuaire::ServiceIndex* index = nullptr;
  const geo::Gazetteer* gazetteer = nullptr;
};

enum class MatchOutcome {
  kUnavailable,  // no directory or no gazetteer: the search cannot be trusted (no shelters)
  kNoPlace,      // her place is unknown and the instance has no territory to search instead
  kNoMatch,      // searched, widened once, nobody
  kFound,
};

struct MatchResult {
  MatchOutcome outcome = MatchOutcome::kUnavailable;
  std::vector<Proposal> proposals;
  std::string insee_code;  // her commune, when known (statistics)
  double radius_km = 0;    // last radius searched
};

inline constexpr double kDefaultRadiusKm = 10;
inline constexpr double kMaxRadiusKm = 200;

// The nearest police stations or gendarmeries (categories police, gendarmerie) open to the public
// within 30 km of `location` (a resolved location answer), nearest first, at most `limit`: for
// the emergency page. Empty without a directory, a gazetteer or a known place.
std::vector<Proposal> NearestPolice(const MatchDirectory& directory, const nlohmann::json& location, std::size_t limit,
                                    TimePoint now);

// The distance in km from (lat, lon) to the nearest public service of a category that answers
// `need` (CategoriesFor: primary and secondary, as ProposeProfessionals searches), in any
// territory, up to `max_km` (at most geo::kMaxRadiusKm); nothing when none lies within it or
// without a directory. For the gap analysis of the territory console.
std::optional<double> NearestMatchingKm(const MatchDirectory& directory, double lat, double lon, std::string_view need,
                                        double max_km);

// Ranks the public services within the territory's default radius around her place (postal
// code, commune or coordinates; the territory's centre when her place is unknown), widening
// the radius once (× 2) when nothing fits. `territory` null: a national instance.
MatchResult ProposeProfessionals(const MatchRequest& request, const MatchDirectory& directory,
                                 const territory::Territory* territory, std::uint64_t seed, TimePoint now);

}  // namespace passerelle::help
