#include "help/matching.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

#include "annuaire/search.h"
#include "annuaire/view.h"
#include "core/paris_time.h"
#include "directory/public_view.h"

namespace passerelle::help {

namespace {

using directory::Accessibility;
using directory::Category;

bool Contains(const std::vector<Category>& categories, Category c) {
  return std::find(categories.begin(), categories.end(), c) != categories.end();
}

// Short French role of a category, for the explanation line.
std::string RoleLabel(Category category) {
  switch (category) {
    case Category::kLegalAdvice:
      return "juriste";
    case Category::kLawyer:
      return "avocat";
    case Category::kVictimSupportAssociation:
      return "association d'aide aux victimes";
    case Category::kPsychologist:
      return "psychologue";
    case Category::kDoctor:
      return "médecin";
    case Category::kForensicUnit:
      return "unité médico-judiciaire";
    case Category::kSocialWorker:
      return "travail social";
    case Category::kPolice:
      return "police";
    case Category::kGendarmerie:
      return "gendarmerie";
    case Category::kShelter:
      return "hébergement";
    case Category::kChildProtection:
      return "protection de l'enfance";
    case Category::kYouthService:
      return "service jeunesse";
    case Category::kInterpreter:
      return "interprétariat";
    case Category::kFinancialAid:
      return "aide financière";
  }
  return "";
}

// Score weights. Integers, so that "equivalent" (equal score) is exact and the rotation applies.
constexpr int kPrimaryFit = 3;
constexpr int kSecondaryFit = 1;
constexpr int kOpenNow = 2;
constexpr int kOpensSoon = 1;
constexpr int kSpeaksHerLanguage = 3;
constexpr int kAccessibilityMet = 2;
constexpr int kAcceptsReferrals = 1;
constexpr int kHandlesChildren = 2;
constexpr int kOpenInHerTimes = 3;
constexpr int kNeverOpenInHerTimes = -2;  // hours known, closed whenever she can be reached

// Her time windows, when she gave some ("anytime" or nothing: no preference).
std::vector<std::string> HerWindows(const MatchRequest& request) {
  if (std::find(request.times.begin(), request.times.end(), "anytime") != request.times.end()) return {};
  std::vector<std::string> out;
  for (const TimeWindow& w : kTimeWindows) {
    if (std::find(request.times.begin(), request.times.end(), w.code) != request.times.end()) out.push_back(w.code);
  }
  return out;
}

// Her windows in which the candidate is open, in the day's order.
std::vector<std::string> WindowsMet(const MatchRequest& request, const Candidate& c) {
  std::vector<std::string> out;
  for (const std::string& w : HerWindows(request)) {
    if (std::find(c.open_windows.begin(), c.open_windows.end(), w) != c.open_windows.end()) out.push_back(w);
  }
  return out;
}

const char* WindowPhrase(const std::string& window) {
  if (window == "morning") return "ouvert le matin";
  if (window == "midday") return "ouvert à l'heure du déjeuner";
  if (window == "afternoon") return "ouvert l'après-midi";
  return "ouvert le soir";
}

// Places in the same band are equally near: 0 under 2 km, then -1 per band.
int DistancePenalty(double km) {
  constexpr double kBands[] = {2, 5, 10, 20, 40, 80};
  int penalty = 0;
  for (double limit : kBands) {
    if (km < limit) return penalty;
    --penalty;
  }
  return penalty;
}

bool SpeaksHerLanguage(const MatchRequest& request, const Candidate& c) {
  if (request.language.empty() || request.language == "fr" || request.language == "other") return false;
  return std::find(c.languages.begin(), c.languages.end(), request.language) != c.languages.end();
}

// "Autre langue": an interpreter on request helps.
bool OffersInterpreter(const MatchRequest& request, const Candidate& c) {
  return request.language == "other" && std::find(c.accessibility.begin(), c.accessibility.end(),
                                                  Accessibility::kInterpreter) != c.accessibility.end();
}

std::vector<Accessibility> AccessibilityMet(const MatchRequest& request, const Candidate& c) {
  std::vector<Accessibility> met;
  for (Accessibility a : request.accessibility) {
    if (std::find(c.accessibility.begin(), c.accessibility.end(), a) != c.accessibility.end()) met.push_back(a);
  }
  return met;
}

struct Scored {
  Candidate candidate;
  int score = 0;
  Category role = Category::kVictimSupportAssociation;  // the category shown
  std::uint64_t rotation = 0;
};

// The need fit: for each of her needs, the best of primary / secondary; nothing if none fits.
std::optional<std::pair<int, Category>> NeedFit(const std::vector<std::string>& needs, const Candidate& c) {
  int fit = 0;
  std::optional<Category> role;
  std::optional<Category> secondary_role;
  for (const std::string& need : needs) {
    const NeedCategories wanted = CategoriesFor(need);
    const auto primary = std::find_if(wanted.primary.begin(), wanted.primary.end(),
                                      [&](Category w) { return Contains(c.categories, w); });
    if (primary != wanted.primary.end()) {
      fit += kPrimaryFit;
      if (!role) role = *primary;
      continue;
    }
    const auto secondary = std::find_if(wanted.secondary.begin(), wanted.secondary.end(),
                                        [&](Category w) { return Contains(c.categories, w); });
    if (secondary != wanted.secondary.end()) {
      fit += kSecondaryFit;
      if (!secondary_role) secondary_role = *secondary;
    }
  }
  if (fit == 0) return std::nullopt;
  return std::pair{fit, role ? *role : *secondary_role};
}

// SplitMix64 finaliser: a well-spread 64-bit mix.
std::uint64_t Mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// FNV-1a: stable across builds and instances (std::hash is not), so that every instance gives
// the same answer to the same token.
std::uint64_t Fnv1a(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char ch : text) {
    h ^= ch;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::vector<Phrase> Explain(const MatchRequest& request, const Scored& s, PlaceKnown place_known) {
  const Candidate& c = s.candidate;
  std::vector<Phrase> parts;
  if (c.confidential) {
    // A shelter: the commune only, never an address or a distance finer than the commune.
    if (!c.commune.empty())
      parts.push_back(Phrase{"à {commune} (adresse confidentielle)", c.commune});
    else
      parts.push_back(Phrase{"adresse confidentielle"});
  } else if (place_known == PlaceKnown::kYes) {
    parts.push_back(Phrase{"à {distance}", "", c.distance_km});
  } else if (!c.commune.empty()) {
    parts.push_back(Phrase{"à {commune}", c.commune});
  }
  parts.push_back(Phrase{RoleLabel(s.role)});
  if (!c.opening.msgid.empty()) parts.push_back(c.opening);
  for (const std::string& window : WindowsMet(request, c)) parts.push_back(Phrase{WindowPhrase(window)});
  if (SpeaksHerLanguage(request, c)) {
    parts.push_back(Phrase{"parle {language}", "", -1, -1, annuaire::LanguageLabel(request.language)});
  }
  if (OffersInterpreter(request, c)) parts.push_back(Phrase{"interprète sur demande"});
  for (Accessibility a : AccessibilityMet(request, c)) {
    if (a == Accessibility::kWheelchair) parts.push_back(Phrase{"accessible en fauteuil roulant"});
    if (a == Accessibility::kSignLanguage) parts.push_back(Phrase{"langue des signes"});
  }
  if (request.children_at_risk && c.handles_children) parts.push_back(Phrase{"accueille aussi les enfants"});
  return parts;
}

int DayNumber(const core::ParisTime& t) {
  return static_cast<int>(
      std::chrono::sys_days{std::chrono::year{t.year} / std::chrono::month{static_cast<unsigned>(t.month)} /
                            std::chrono::day{static_cast<unsigned>(t.day)}}
          .time_since_epoch()
          .count());
}

// "aujourd'hui", "demain", "lundi" for the Paris day of `when`; "" a week or more ahead.
std::string DayWord(TimePoint when, TimePoint now) {
  static constexpr const char* kWeekdays[] = {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"};
  const core::ParisTime w = core::ToParisTime(when);
  const int days = DayNumber(w) - DayNumber(core::ToParisTime(now));
  if (days == 0) return "aujourd'hui";
  if (days == 1) return "demain";
  if (days < 7) return kWeekdays[w.weekday];
  return "";
}

bool MentionsChildren(const directory::Service& service) {
  std::string text = service.name + " " + service.description + " " + service.eligibility_description;
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return text.find("enfant") != std::string::npos;
}

std::optional<Candidate> CandidateOf(const annuaire::Hit& hit, const geo::Gazetteer& gazetteer, TimePoint now) {
  const annuaire::ServicePoint& p = *hit.point;
  if (!p.organization) return std::nullopt;
  const directory::PublicOrganization& o = *p.organization;
  if (directory::IsClosedOn(o, core::ParisDate(now))) return std::nullopt;  // temporarily closed today
  Candidate c;
  c.organization_id = o.id;
  c.organization_name = o.name;
  c.service_id = p.point.service_id;
  c.categories = p.point.categories;
  c.distance_km = hit.distance_km;
  c.confidential = p.point.confidential;
  for (const directory::PublicLocation& l : o.locations) {
    if (l.id != p.point.location_id) continue;
    c.commune = l.city;
    if (!l.confidential && !l.address.empty()) c.address = l.address + ", " + l.postal_code + " " + l.city;
  }
  if (c.commune.empty()) {
    if (const geo::Commune* commune = gazetteer.FindByInsee(p.point.insee_code)) c.commune = commune->name;
  }
  c.open = OpenStateAt(p.hours, now);
  c.opening = OpeningPhrase(p.hours, now);
  c.languages = p.point.languages;
  c.accessibility = p.point.accessibility;
  c.accepts_referrals = p.point.accepts_referrals;
  c.handles_children = Contains(c.categories, Category::kChildProtection);
  for (const directory::Service& s : o.services) {
    if (s.id == p.point.service_id && MentionsChildren(s)) c.handles_children = true;
  }
  c.phone = ServicePhone(o.phones);
  c.email = o.email;
  c.open_windows = OpenWindows(p.hours, now);
  return c;
}

struct Located {
  double lat = 0;
  double lon = 0;
  std::string insee_code;
};

std::optional<Located> Locate(const nlohmann::json& location, const geo::Gazetteer& gazetteer) {
  if (!location.is_object()) return std::nullopt;
  // Resolved when she answered (help/place.h): her commune itself.
  if (location.contains("insee") && location["insee"].is_string()) {
    if (const geo::Commune* c = gazetteer.FindByInsee(location["insee"].get<std::string>())) {
      return Located{c->lat, c->lon, c->insee_code};
    }
  }
  if (location.contains("lat") && location.contains("lon") && location["lat"].is_number() &&
      location["lon"].is_number()) {
    Located at{location["lat"].get<double>(), location["lon"].get<double>(), ""};
    if (const auto nearest = gazetteer.FindNearest(at.lat, at.lon, 20)) at.insee_code = nearest->commune->insee_code;
    return at;
  }
  for (const char* field : {"postal_code", "commune"}) {
    if (!location.contains(field) || !location[field].is_string()) continue;
    const auto place = annuaire::ResolvePlace(gazetteer, location[field].get<std::string>());
    if (place) return Located{place.value().lat, place.value().lon, place.value().insee_code};
  }
  return std::nullopt;
}

std::vector<Category> SearchedCategories(const std::vector<std::string>& needs) {
  std::vector<Category> out;
  auto add = [&out](const std::vector<Category>& categories) {
    for (Category c : categories) {
      if (!Contains(out, c)) out.push_back(c);
    }
  };
  for (const std::string& need : needs) {
    const NeedCategories wanted = CategoriesFor(need);
    add(wanted.primary);
    add(wanted.secondary);
  }
  return out;
}

// The candidates within `radius_km`, nearest first, at most kMaxCandidates.
std::vector<Candidate> FindCandidates(const MatchDirectory& directory, const annuaire::ServiceQuery& base,
                                      TimePoint now) {
  constexpr std::size_t kMaxCandidates = 200;
  std::vector<Candidate> out;
  annuaire::ServiceQuery query = base;
  query.limit = geo::kMaxPageSize;
  for (query.offset = 0; query.offset < kMaxCandidates; query.offset += query.limit) {
    const auto page = directory.index->Find(query);
    if (!page) break;  // an invalid query (radius): nothing to propose, never an invented one
    for (const annuaire::Hit& hit : page.value().items) {
      if (auto c = CandidateOf(hit, *directory.gazetteer, now)) out.push_back(std::move(*c));
    }
    if (!page.value().has_more) break;
  }
  return out;
}

}  // namespace

MatchRequest MatchRequestFrom(const Answers& answers) {
  MatchRequest request;
  auto find = [&answers](const char* id) -> const nlohmann::json* {
    const auto it = answers.find(id);
    return it == answers.end() ? nullptr : &it->second;
  };
  if (const auto* needs = find("needs"); needs && needs->is_array()) {
    request.needs = needs->get<std::vector<std::string>>();
  }
  if (const auto* location = find("location"); location && location->is_object()) request.location = *location;
  if (const auto* language = find("language"); language && language->is_string()) {
    request.language = language->get<std::string>();
  }
  if (const auto* children = find("children"); children && children->is_string()) {
    request.children_at_risk = children->get<std::string>() == "yes_at_risk";
  }
  if (const auto* contact = find("contact"); contact && contact->is_object() && contact->contains("channel")) {
    request.contact_channel = contact->at("channel").get<std::string>();
    if (contact->contains("times") && contact->at("times").is_array()) {
      for (const auto& t : contact->at("times")) {
        if (t.is_string()) request.times.push_back(t.get<std::string>());
      }
    }
  }
  if (const auto* accessibility = find("accessibility"); accessibility && accessibility->is_array()) {
    for (const auto& code : *accessibility) {
      if (!code.is_string()) continue;
      if (const auto a = directory::FromCode(code.get<std::string>(), directory::kAllAccessibilities)) {
        request.accessibility.push_back(*a);
      }
    }
  }
  return request;
}

NeedCategories CategoriesFor(std::string_view need) {
  using C = Category;
  if (need == "listen") return {{C::kVictimSupportAssociation}, {C::kPsychologist, C::kSocialWorker}};
  if (need == "legal") return {{C::kLegalAdvice, C::kVictimSupportAssociation}, {C::kLawyer}};
  if (need == "lawyer") return {{C::kLawyer}, {C::kLegalAdvice}};
  if (need == "complaint") return {{C::kPolice, C::kGendarmerie}, {C::kVictimSupportAssociation, C::kLegalAdvice}};
  if (need == "protection_order") return {{C::kLawyer, C::kLegalAdvice}, {C::kVictimSupportAssociation}};
  if (need == "housing") return {{C::kShelter}, {C::kSocialWorker}};
  if (need == "medical") return {{C::kForensicUnit, C::kDoctor}, {}};
  if (need == "psychological") return {{C::kPsychologist}, {C::kVictimSupportAssociation}};
  if (need == "children") return {{C::kChildProtection}, {C::kSocialWorker}};
  if (need == "financial") return {{C::kFinancialAid}, {C::kSocialWorker}};
  return {{C::kVictimSupportAssociation}, {C::kSocialWorker}};  // "other", or nothing said
}

std::vector<Proposal> RankCandidates(const MatchRequest& request, std::vector<Candidate> candidates, std::uint64_t seed,
                                     PlaceKnown place_known) {
  const std::vector<std::string> needs = request.needs.empty() ? std::vector<std::string>{"other"} : request.needs;
  // Best candidate per organization: an organization is proposed once.
  std::map<std::string, Scored> best;
  for (Candidate& c : candidates) {
    const auto fit = NeedFit(needs, c);
    if (!fit) continue;
    Scored s;
    s.role = fit->second;
    s.score = fit->first + DistancePenalty(c.distance_km);
    if (!HerWindows(request).empty()) {
      // She said when it is safe: being open then matters, being open right now does not.
      if (!WindowsMet(request, c).empty()) {
        s.score += kOpenInHerTimes;
      } else if (c.open != OpenState::kNotProvided) {
        s.score += kNeverOpenInHerTimes;
      }
    } else {
      if (c.open == OpenState::kOpen) s.score += kOpenNow;
      if (c.open == OpenState::kOpensSoon) s.score += kOpensSoon;
    }
    if (SpeaksHerLanguage(request, c) || OffersInterpreter(request, c)) s.score += kSpeaksHerLanguage;
    s.score += kAccessibilityMet * static_cast<int>(AccessibilityMet(request, c).size());
    // A referral through Passerelle only matters when she wants to be contacted.
    if (c.accepts_referrals && request.contact_channel != "none") s.score += kAcceptsReferrals;
    if (request.children_at_risk && c.handles_children) s.score += kHandlesChildren;
    s.rotation = Mix(seed ^ Fnv1a(c.organization_id));
    s.candidate = std::move(c);
    const auto [it, inserted] = best.try_emplace(s.candidate.organization_id, s);
    if (!inserted && (s.score > it->second.score ||
                      (s.score == it->second.score && s.candidate.distance_km < it->second.candidate.distance_km))) {
      it->second = std::move(s);
    }
  }
  std::vector<Scored> ranked;
  ranked.reserve(best.size());
  for (auto& [id, s] : best) ranked.push_back(std::move(s));
  std::sort(ranked.begin(), ranked.end(), [](const Scored& a, const Scored& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.rotation != b.rotation) return a.rotation < b.rotation;
    return a.candidate.organization_id < b.candidate.organization_id;
  });
  if (ranked.size() > kMaxProposals) ranked.resize(kMaxProposals);
  std::vector<Proposal> out;
  for (const Scored& s : ranked) {
    const Candidate& c = s.candidate;
    std::vector<Phrase> parts = Explain(request, s, place_known);
    std::string french = FrenchText(parts);
    out.push_back(Proposal{c.organization_id, c.organization_name, c.service_id, std::move(french), std::move(parts),
                           c.phone, c.open == OpenState::kOpen && !c.phone.empty(), c.accepts_referrals, c.email,
                           c.address});
  }
  return out;
}

OpenState OpenStateAt(const directory::OpeningHours& hours, TimePoint now) {
  switch (hours.IsOpenAt(now)) {
    case directory::OpenStatus::kOpen:
      return OpenState::kOpen;
    case directory::OpenStatus::kNotProvided:
      return OpenState::kNotProvided;
    case directory::OpenStatus::kClosed:
      break;
  }
  const auto next = hours.NextOpening(now);
  return next && *next - now <= kSoon ? OpenState::kOpensSoon : OpenState::kClosed;
}

Phrase OpeningPhrase(const directory::OpeningHours& hours, TimePoint now) {
  switch (hours.IsOpenAt(now)) {
    case directory::OpenStatus::kNotProvided:
      return {};
    case directory::OpenStatus::kOpen: {
      const auto closes = hours.ClosesAt(now);
      if (!closes) return Phrase{"ouvert 24 h/24"};
      const std::string day = DayWord(*closes, now);
      const int minutes = core::ToParisTime(*closes).minutes;
      if (day == "aujourd'hui") return Phrase{"ouvert aujourd'hui jusqu'à {time}", "", -1, minutes};
      if (day == "demain") return Phrase{"ouvert jusqu'à demain {time}", "", -1, minutes};
      return day.empty() ? Phrase{"ouvert"} : Phrase{"ouvert jusqu'à {day} {time}", "", -1, minutes, day};
    }
    case directory::OpenStatus::kClosed:
      break;
  }
  const auto next = hours.NextOpening(now);
  if (!next) return {};
  const std::string day = DayWord(*next, now);
  const int minutes = core::ToParisTime(*next).minutes;
  if (day.empty()) return {};
  if (day == "aujourd'hui") return Phrase{"ouvre aujourd'hui à {time}", "", -1, minutes};
  if (day == "demain") return Phrase{"ouvre demain à {time}", "", -1, minutes};
  return Phrase{"ouvre {day} à {time}", "", -1, minutes, day};
}

std::uint64_t RotationSeed(std::string_view token) { return Fnv1a(token); }

std::vector<std::string> OpenWindows(const directory::OpeningHours& hours, TimePoint now) {
  std::vector<std::string> out;
  const core::ParisTime today = core::ToParisTime(now);
  // Paris midnight of today, as a time point: now minus the Paris time of day (a change of
  // daylight saving time within the week shifts the later days by an hour: fine for a hint).
  const TimePoint midnight = std::chrono::floor<std::chrono::minutes>(now) - std::chrono::minutes(today.minutes);
  for (const TimeWindow& w : kTimeWindows) {
    bool open = false;
    for (int day = 0; day < 7 && !open; ++day) {
      for (int minute = w.from_minutes; minute < w.to_minutes && !open; minute += 30) {
        const TimePoint at = midnight + std::chrono::hours(24 * day) + std::chrono::minutes(minute);
        open = hours.IsOpenAt(at) == directory::OpenStatus::kOpen;
      }
    }
    if (open) out.push_back(w.code);
  }
  return out;
}

std::string ServicePhone(const std::vector<directory::Phone>& phones) {
  std::string first;
  for (const directory::Phone& phone : phones) {
    if (phone.type != directory::PhoneType::kVoice) continue;
    if (first.empty()) first = phone.number;
    const auto digits =
        std::count_if(phone.number.begin(), phone.number.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (digits >= 10) return phone.number;
  }
  return first;
}

std::vector<Proposal> NearestPolice(const MatchDirectory& directory, const nlohmann::json& location, std::size_t limit,
                                    TimePoint now) {
  std::vector<Proposal> out;
  if (directory.index == nullptr || directory.gazetteer == nullptr || directory.gazetteer->size() == 0) return out;
  const auto at = Locate(location, *directory.gazetteer);
  if (!at) return out;
  annuaire::ServiceQuery query;
  query.lat = at->lat;
  query.lon = at->lon;
  query.radius_km = 30;
  query.categories = {Category::kPolice, Category::kGendarmerie};
  query.now = now;
  query.limit = 20;
  const auto page = directory.index->Find(query);
  if (!page) return out;
  std::vector<std::string> seen;
  for (const annuaire::Hit& hit : page.value().items) {
    if (out.size() == limit) break;
    auto c = CandidateOf(hit, *directory.gazetteer, now);
    // A place she can walk into: not a confidential one, not a phone line only.
    if (!c || c->confidential || c->address.empty()) continue;
    if (std::find(seen.begin(), seen.end(), c->organization_id) != seen.end()) continue;
    seen.push_back(c->organization_id);
    std::vector<Phrase> parts{Phrase{"à {distance}", "", c->distance_km}};
    if (!c->opening.msgid.empty()) parts.push_back(c->opening);
    std::string french = FrenchText(parts);
    out.push_back(Proposal{c->organization_id, c->organization_name, c->service_id, std::move(french), std::move(parts),
                           c->phone, c->open == OpenState::kOpen && !c->phone.empty(), c->accepts_referrals, c->email,
                           c->address});
  }
  return out;
}

std::optional<double> NearestMatchingKm(const MatchDirectory& directory, double lat, double lon, std::string_view need,
                                        double max_km) {
  if (directory.index == nullptr) return std::nullopt;
  annuaire::ServiceQuery query;
  query.lat = lat;
  query.lon = lon;
  query.radius_km = std::clamp(max_km, 1.0, geo::kMaxRadiusKm);
  query.categories = SearchedCategories({std::string(need)});
  query.limit = 1;
  const auto page = directory.index->Find(query);
  if (!page || page.value().items.empty()) return std::nullopt;
  return page.value().items.front().distance_km;
}

MatchResult ProposeProfessionals(const MatchRequest& request, const MatchDirectory& directory,
                                 const territory::Territory* territory, std::uint64_t seed, TimePoint now) {
  MatchResult result;
  // Without the gazetteer confidential places cannot be placed: a search would leave every
  // shelter out, so it is not offered at all.
  if (directory.index == nullptr || directory.gazetteer == nullptr || directory.gazetteer->size() == 0) return result;
  annuaire::ServiceQuery query;
  PlaceKnown place_known = PlaceKnown::kYes;
  if (const auto at = Locate(request.location, *directory.gazetteer)) {
    query.lat = at->lat;
    query.lon = at->lon;
    result.insee_code = at->insee_code;
  } else if (territory != nullptr) {
    query.lat = territory->centre_lat;
    query.lon = territory->centre_lon;
    place_known = PlaceKnown::kNo;
  } else {
    result.outcome = MatchOutcome::kNoPlace;
    return result;
  }
  if (territory != nullptr) query.territory = territory->slug;
  query.categories = SearchedCategories(request.needs.empty() ? std::vector<std::string>{"other"} : request.needs);
  query.now = now;
  const double radius =
      std::clamp(territory != nullptr ? territory->default_radius_km : kDefaultRadiusKm, 1.0, kMaxRadiusKm);
  for (const double r : {radius, std::min(radius * 2, kMaxRadiusKm)}) {
    query.radius_km = r;
    result.radius_km = r;
    result.proposals = RankCandidates(request, FindCandidates(directory, query, now), seed, place_known);
    if (!result.proposals.empty()) break;
  }
  result.outcome = result.proposals.empty() ? MatchOutcome::kNoMatch : MatchOutcome::kFound;
  return result;
}

}  // namespace passerelle::help
