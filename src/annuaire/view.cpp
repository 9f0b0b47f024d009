#include "annuaire/view.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/paris_time.h"

namespace passerelle::annuaire {

namespace {

using directory::Accessibility;
using directory::Category;
using directory::Fee;

// "9 h", "17 h 30".
std::string ClockLabel(int minutes) {
  minutes %= 24 * 60;
  const int h = minutes / 60;
  const int m = minutes % 60;
  if (m == 0) return std::to_string(h) + " h";
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%d h %02d", h, m);
  return buffer;
}

std::chrono::sys_days DayOf(const core::ParisTime& t) {
  return std::chrono::sys_days{std::chrono::year{t.year} / std::chrono::month{static_cast<unsigned>(t.month)} /
                               std::chrono::day{static_cast<unsigned>(t.day)}};
}

constexpr const char* kWeekdays[] = {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"};
constexpr const char* kWeekdaysCapitalized[] = {"Lundi", "Mardi", "Mercredi", "Jeudi",
                                                "Vendredi", "Samedi", "Dimanche"};
constexpr const char* kMonths[] = {"janvier", "février", "mars",      "avril",   "mai",      "juin",
                                   "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};

// "aujourd'hui à 9 h", "demain à 14 h", "lundi à 9 h", "le 3 mars à 9 h".
std::string MomentLabel(TimePoint moment, TimePoint now) {
  const core::ParisTime at = core::ToParisTime(moment);
  const auto days = (DayOf(at) - DayOf(core::ToParisTime(now))).count();
  std::string day;
  if (days == 0) {
    day = "aujourd'hui";
  } else if (days == 1) {
    day = "demain";
  } else if (days < 7) {
    day = kWeekdays[at.weekday];
  } else {
    day = "le " + (at.day == 1 ? std::string("1er") : std::to_string(at.day)) + " " + kMonths[at.month - 1];
  }
  return day + " à " + ClockLabel(at.minutes);
}

nlohmann::json PhoneView(const directory::Phone& phone) {
  std::string digits;
  for (char c : phone.number) {
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '+') digits.push_back(c);
  }
  nlohmann::json out = {{"number", phone.number}, {"description", phone.description}};
  switch (phone.type) {
    case directory::PhoneType::kVoice:
      out["href"] = "tel:" + digits;
      out["kind"] = "Téléphone";
      break;
    case directory::PhoneType::kText:
      out["href"] = "sms:" + digits;
      out["kind"] = "SMS";
      break;
    case directory::PhoneType::kFax:
      out["kind"] = "Fax";
      break;
  }
  return out;
}

nlohmann::json PhonesView(const std::vector<directory::Phone>& phones) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : phones) out.push_back(PhoneView(p));
  return out;
}

// A place as shown: a confidential one keeps only its commune.
nlohmann::json LocationView(const directory::PublicLocation& l) {
  if (l.confidential) {
    return {{"confidential", true}, {"postal_code", l.postal_code}, {"city", l.city}};
  }
  return {{"confidential", false}, {"name", l.name},         {"address", l.address},
          {"postal_code", l.postal_code}, {"city", l.city}, {"transportation", l.transportation}};
}

template <typename Enum, typename Label>
nlohmann::json Labels(const std::vector<Enum>& values, Label label) {
  nlohmann::json out = nlohmann::json::array();
  for (const Enum& v : values) out.push_back(label(v));
  return out;
}

std::string Join(const std::vector<std::string>& values, const std::string& separator) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : separator) + v;
  return out;
}

std::string LanguagesLabel(const std::vector<std::string>& codes) {
  std::vector<std::string> labels;
  for (const auto& c : codes) labels.push_back(LanguageLabel(c));
  return Join(labels, ", ");
}

nlohmann::json OpeningView(const Opening& opening) {
  return {{"label", opening.label},
          {"open", opening.state == Opening::State::kOpen},
          {"closed", opening.state == Opening::State::kClosed ||
                         opening.state == Opening::State::kTemporarilyClosed},
          {"not_provided", opening.state == Opening::State::kNotProvided}};
}

// Common to a result and the detail page.
nlohmann::json OrganizationFacts(const directory::PublicOrganization& o, const directory::Service& s, TimePoint now) {
  const bool closed_today = directory::IsClosedOn(o, core::ParisDate(now));
  std::string closure;
  if (o.status == directory::OrganizationStatus::kTemporarilyClosed) {
    closure = "Fermeture temporaire";
    if (!o.closed_from.empty()) closure += " du " + FrenchDate(o.closed_from);
    closure += o.closed_until.empty() ? " jusqu'à nouvel ordre" : " au " + FrenchDate(o.closed_until);
  }
  return {{"service_id", s.id},
          {"name", s.name},
          {"organization_name", o.name},
          {"show_organization", o.name != s.name},
          {"categories", Labels(s.categories, CategoryLabel)},
          {"phones", PhonesView(o.phones)},
          {"has_phones", !o.phones.empty()},
          {"languages", LanguagesLabel(s.languages)},
          {"has_languages", !s.languages.empty()},
          {"accessibility", Labels(s.accessibility, AccessibilityLabel)},
          {"has_accessibility", !s.accessibility.empty()},
          {"fees", Labels(s.fees, FeeLabel)},
          {"has_fees", !s.fees.empty()},
          {"verified", FrenchDate(o.assured_date)},
          {"verified_iso", o.assured_date},
          {"has_verified", !o.assured_date.empty()},
          {"verified_by", o.verified_by},
          {"closure", closure},
          {"closed_today", closed_today},
          {"alert", o.alert},
          {"is_demo", o.is_demo}};
}

// Mustache sections treat "" as true: an empty text becomes null, so that `{{#email}}…{{/email}}`
// shows nothing for an organization without e-mail.
void NullEmptyStrings(nlohmann::json& value) {
  if (value.is_string() && value.get_ref<const std::string&>().empty()) {
    value = nullptr;
  } else if (value.is_structured()) {
    for (auto& item : value) NullEmptyStrings(item);
  }
}

}  // namespace

std::string CategoryLabel(Category category) {
  switch (category) {
    case Category::kLegalAdvice: return "Information juridique";
    case Category::kLawyer: return "Avocat ou avocate";
    case Category::kVictimSupportAssociation: return "Association d'aide aux victimes";
    case Category::kPsychologist: return "Psychologue";
    case Category::kDoctor: return "Médecin";
    case Category::kForensicUnit: return "Unité médico-judiciaire (UMJ)";
    case Category::kSocialWorker: return "Travail social";
    case Category::kPolice: return "Police";
    case Category::kGendarmerie: return "Gendarmerie";
    case Category::kShelter: return "Hébergement, mise à l'abri";
    case Category::kChildProtection: return "Protection de l'enfance";
    case Category::kYouthService: return "Service pour les jeunes";
    case Category::kInterpreter: return "Interprétariat";
    case Category::kFinancialAid: return "Aide financière";
  }
  return "Autre";
}

std::string AccessibilityLabel(Accessibility accessibility) {
  switch (accessibility) {
    case Accessibility::kWheelchair: return "Accessible en fauteuil roulant";
    case Accessibility::kSignLanguage: return "Langue des signes (LSF)";
    case Accessibility::kInterpreter: return "Interprète sur demande";
  }
  return "";
}

std::string FeeLabel(Fee fee) {
  switch (fee) {
    case Fee::kFree: return "Gratuit";
    case Fee::kPaid: return "Payant";
    case Fee::kLegalAid: return "Aide juridictionnelle acceptée";
  }
  return "";
}

std::string LanguageLabel(std::string_view code) {
  static constexpr std::pair<std::string_view, std::string_view> kLabels[] = {
      {"fr", "français"}, {"en", "anglais"},  {"ar", "arabe"},     {"es", "espagnol"}, {"pt", "portugais"},
      {"de", "allemand"}, {"it", "italien"},  {"tr", "turc"},      {"ro", "roumain"},  {"ru", "russe"},
      {"uk", "ukrainien"}, {"pl", "polonais"}, {"zh", "chinois"},  {"vi", "vietnamien"}, {"ta", "tamoul"},
      {"fa", "persan"},   {"ps", "pachto"},   {"so", "somali"},    {"wo", "wolof"},    {"bm", "bambara"},
      {"kab", "kabyle"},  {"ber", "berbère"}, {"sq", "albanais"},  {"ka", "géorgien"}, {"hy", "arménien"},
      {"bn", "bengali"},  {"ur", "ourdou"},   {"hi", "hindi"},     {"ln", "lingala"},  {"sw", "swahili"},
      {"lsf", "langue des signes française"}};
  for (const auto& [c, label] : kLabels) {
    if (c == code) return std::string(label);
  }
  return std::string(code);
}

std::string FrenchDate(std::string_view iso_date) {
  if (iso_date.size() != 10 || iso_date[4] != '-' || iso_date[7] != '-') return std::string(iso_date);
  const int month = (iso_date[5] - '0') * 10 + (iso_date[6] - '0');
  const int day = (iso_date[8] - '0') * 10 + (iso_date[9] - '0');
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::string(iso_date);
  return (day == 1 ? std::string("1er") : std::to_string(day)) + " " + kMonths[month - 1] + " " +
         std::string(iso_date.substr(0, 4));
}

std::string FormatDistance(double km) {
  if (km < 1) return std::to_string(std::max(10, static_cast<int>(std::lround(km * 100)) * 10)) + " m";
  if (km < 10) {
    const long tenths = std::lround(km * 10);
    return std::to_string(tenths / 10) + "," + std::to_string(tenths % 10) + " km";
  }
  return std::to_string(std::lround(km)) + " km";
}

Opening DescribeOpening(const directory::OpeningHours& hours, const directory::PublicOrganization& organization,
                        TimePoint now) {
  if (directory::IsClosedOn(organization, core::ParisDate(now))) {
    return {Opening::State::kTemporarilyClosed,
            organization.closed_until.empty() ? "Fermé temporairement"
                                              : "Fermé temporairement jusqu'au " + FrenchDate(organization.closed_until)};
  }
  if (!hours.provided()) return {Opening::State::kNotProvided, "Horaires non communiqués"};
  if (hours.IsOpenAt(now) == directory::OpenStatus::kOpen) {
    const auto closes = hours.ClosesAt(now);
    if (!closes) return {Opening::State::kOpen, "Ouvert 24 h sur 24"};
    return {Opening::State::kOpen, "Ouvert · ferme " + MomentLabel(*closes, now)};
  }
  const auto next = hours.NextOpening(now);
  if (!next) return {Opening::State::kClosed, "Fermé"};
  return {Opening::State::kClosed, "Fermé · ouvre " + MomentLabel(*next, now)};
}

nlohmann::json ResultView(const Hit& hit, TimePoint now) {
  const ServicePoint& p = *hit.point;
  const directory::PublicOrganization& o = *p.organization;
  const auto service = std::find_if(o.services.begin(), o.services.end(),
                                    [&](const directory::Service& s) { return s.id == p.point.service_id; });
  directory::Service s = service == o.services.end() ? directory::Service{} : *service;
  s.id = p.point.service_id;
  nlohmann::json out = OrganizationFacts(o, s, now);
  out["distance"] = FormatDistance(hit.distance_km);
  out["opening"] = OpeningView(DescribeOpening(p.hours, o, now));
  for (const directory::PublicLocation& l : o.locations) {
    if (l.id != p.point.location_id) continue;
    out["location"] = LocationView(l);
    // The map's marker: only for a place the public may know.
    if (!l.confidential && l.latitude && l.longitude) {
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, "%.5f", *l.latitude);
      out["lat"] = buffer;
      std::snprintf(buffer, sizeof buffer, "%.5f", *l.longitude);
      out["lon"] = buffer;
    }
  }
  NullEmptyStrings(out);
  return out;
}

nlohmann::json DetailView(const directory::PublicServiceView& view, TimePoint now) {
  const directory::Service& s = view.service;
  nlohmann::json out = OrganizationFacts(view.organization, s, now);
  directory::OpeningHours hours;
  if (auto parsed = directory::OpeningHours::Parse(s.opening_hours)) hours = std::move(parsed).value();
  out["opening"] = OpeningView(DescribeOpening(hours, view.organization, now));
  nlohmann::json week = nlohmann::json::array();
  if (hours.provided()) {
    const auto ranges = hours.WeeklyRanges();
    for (int d = 0; d < 7; ++d) {
      std::vector<std::string> parts;
      for (const auto& r : ranges[static_cast<std::size_t>(d)]) {
        parts.push_back(r.start_minutes == 0 && r.end_minutes >= 24 * 60
                            ? std::string("24 h sur 24")
                            : ClockLabel(r.start_minutes) + " – " + ClockLabel(r.end_minutes));
      }
      week.push_back({{"day", kWeekdaysCapitalized[d]}, {"hours", parts.empty() ? "Fermé" : Join(parts, ", ")}});
    }
  }
  out["week"] = week;
  out["has_week"] = !week.empty();
  nlohmann::json locations = nlohmann::json::array();
  for (const auto& l : view.locations) locations.push_back(LocationView(l));
  out["locations"] = locations;
  out["has_locations"] = !locations.empty();
  out["description"] = s.description.empty() ? view.organization.description : s.description;
  out["eligibility"] = s.eligibility_description;
  std::string ages;
  if (s.minimum_age && s.maximum_age) {
    ages = "De " + std::to_string(*s.minimum_age) + " à " + std::to_string(*s.maximum_age) + " ans";
  } else if (s.minimum_age) {
    ages = "À partir de " + std::to_string(*s.minimum_age) + " ans";
  } else if (s.maximum_age) {
    ages = "Jusqu'à " + std::to_string(*s.maximum_age) + " ans";
  }
  out["ages"] = ages;
  out["application_process"] = s.application_process;
  out["email"] = view.organization.email;
  out["website"] = view.organization.website;
  NullEmptyStrings(out);
  return out;
}

}  // namespace passerelle::annuaire
