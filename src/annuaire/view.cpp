#include "annuaire/view.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "core/paris_time.h"

namespace passerelle::annuaire {

namespace {

using directory::Accessibility;
using directory::Category;
using directory::Fee;

std::chrono::sys_days DayOf(const core::ParisTime& t) {
  return std::chrono::sys_days{std::chrono::year{t.year} / std::chrono::month{static_cast<unsigned>(t.month)} /
                               std::chrono::day{static_cast<unsigned>(t.day)}};
}

// The catalogs translate the French weekdays (msgids shared with the help flow).
constexpr const char* kWeekdays[] = {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"};

// "Lundi" for a table's row header; a script without capitals (Arabic) is left as it is.
std::string Capitalized(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
  return text;
}

std::string ListSeparator(std::string_view locale) { return locale == "ar" ? "، " : ", "; }

enum class Moment { kOpens, kCloses };

// "ouvre aujourd'hui à 9 h", "ferme demain à 14 h", "ouvre lundi à 9 h", "ouvre le 3 mars à 9 h".
Phrase MomentPhrase(Moment what, TimePoint moment, TimePoint now) {
  const core::ParisTime at = core::ToParisTime(moment);
  const auto days = (DayOf(at) - DayOf(core::ToParisTime(now))).count();
  const bool opens = what == Moment::kOpens;
  Phrase phrase;
  phrase.minutes = at.minutes;
  if (days == 0) {
    phrase.msgid = opens ? "ouvre aujourd'hui à {time}" : "ferme aujourd'hui à {time}";
  } else if (days == 1) {
    phrase.msgid = opens ? "ouvre demain à {time}" : "ferme demain à {time}";
  } else if (days < 7) {
    phrase.msgid = opens ? "ouvre {day} à {time}" : "ferme {day} à {time}";
    phrase.word = kWeekdays[at.weekday];
  } else {
    phrase.msgid = opens ? "ouvre le {day_month} à {time}" : "ferme le {day_month} à {time}";
    phrase.date = core::ParisDate(moment);
  }
  return phrase;
}

nlohmann::json PhoneView(const directory::Phone& phone, const TranslateFn& translate) {
  std::string digits;
  for (char c : phone.number) {
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '+') digits.push_back(c);
  }
  nlohmann::json out = {{"number", phone.number}, {"description", phone.description}};
  switch (phone.type) {
    case directory::PhoneType::kVoice:
      out["href"] = "tel:" + digits;
      out["kind"] = translate("Téléphone :");
      break;
    case directory::PhoneType::kText:
      out["href"] = "sms:" + digits;
      out["kind"] = translate("SMS :");
      break;
    case directory::PhoneType::kFax:
      out["kind"] = translate("Fax :");
      break;
  }
  return out;
}

nlohmann::json PhonesView(const std::vector<directory::Phone>& phones, const TranslateFn& translate) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : phones) out.push_back(PhoneView(p, translate));
  return out;
}

// A place as shown: a confidential one keeps only its commune.
nlohmann::json LocationView(const directory::PublicLocation& l) {
  if (l.confidential) {
    return {{"confidential", true}, {"postal_code", l.postal_code}, {"city", l.city}};
  }
  return {{"confidential", false},        {"name", l.name}, {"address", l.address},
          {"postal_code", l.postal_code}, {"city", l.city}, {"transportation", l.transportation}};
}

template <typename Enum, typename Label>
nlohmann::json Labels(const std::vector<Enum>& values, Label label, const TranslateFn& translate) {
  nlohmann::json out = nlohmann::json::array();
  for (const Enum& v : values) out.push_back(translate(label(v)));
  return out;
}

std::string Join(const std::vector<std::string>& values, const std::string& separator) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : separator) + v;
  return out;
}

std::string LanguagesLabel(const std::vector<std::string>& codes, const TranslateFn& translate,
                           std::string_view locale) {
  std::vector<std::string> labels;
  for (const auto& c : codes) labels.push_back(translate(LanguageLabel(c)));
  return Join(labels, ListSeparator(locale));
}

nlohmann::json OpeningView(const Opening& opening, const TranslateFn& translate, std::string_view locale) {
  return {{"label", RenderPhrases(opening.phrases, translate, locale)},
          {"open", opening.state == Opening::State::kOpen},
          {"closed", opening.state == Opening::State::kClosed || opening.state == Opening::State::kTemporarilyClosed},
          {"not_provided", opening.state == Opening::State::kNotProvided}};
}

// "Fermeture temporaire du 1er mars 2025 au 31 mars 2025"; "" when not temporarily closed.
std::string ClosureText(const directory::PublicOrganization& o, const TranslateFn& translate, std::string_view locale) {
  if (o.status != directory::OrganizationStatus::kTemporarilyClosed) return "";
  const bool from = !o.closed_from.empty();
  const bool until = !o.closed_until.empty();
  Phrase phrase{from && until ? "Fermeture temporaire du {start} au {end}"
                : from        ? "Fermeture temporaire du {start} jusqu'à nouvel ordre"
                : until       ? "Fermeture temporaire au {end}"
                              : "Fermeture temporaire jusqu'à nouvel ordre"};
  phrase.values = {{"{start}", LocalDate(o.closed_from, translate, locale)},
                   {"{end}", LocalDate(o.closed_until, translate, locale)}};
  return RenderPhrase(phrase, translate, locale);
}

// Common to a result and the detail page.
nlohmann::json OrganizationFacts(const directory::PublicOrganization& o, const directory::Service& s, TimePoint now,
                                 const TranslateFn& translate, std::string_view locale) {
  const bool closed_today = directory::IsClosedOn(o, core::ParisDate(now));
  return {{"service_id", s.id},
          {"name", s.name},
          {"organization_name", o.name},
          {"show_organization", o.name != s.name},
          {"categories", Labels(s.categories, CategoryLabel, translate)},
          {"phones", PhonesView(o.phones, translate)},
          {"has_phones", !o.phones.empty()},
          {"languages", LanguagesLabel(s.languages, translate, locale)},
          {"has_languages", !s.languages.empty()},
          {"accessibility", Labels(s.accessibility, AccessibilityLabel, translate)},
          {"has_accessibility", !s.accessibility.empty()},
          {"fees", Labels(s.fees, FeeLabel, translate)},
          {"has_fees", !s.fees.empty()},
          {"verified", LocalDate(o.assured_date, translate, locale)},
          {"verified_iso", o.assured_date},
          {"has_verified", !o.assured_date.empty()},
          {"verified_by", o.verified_by},
          {"closure", ClosureText(o, translate, locale)},
          {"closed_today", closed_today},
          {"alert", o.alert},
          {"is_demo", o.is_demo}};
}

// "De 16 à 25 ans", "À partir de 18 ans", "Jusqu'à 25 ans"; "" without an age limit.
std::string AgesText(const directory::Service& s, const TranslateFn& translate, std::string_view locale) {
  Phrase phrase;
  if (s.minimum_age && s.maximum_age) {
    phrase.msgid = "De {min} à {max} ans";
  } else if (s.minimum_age) {
    phrase.msgid = "À partir de {min} ans";
  } else if (s.maximum_age) {
    phrase.msgid = "Jusqu'à {max} ans";
  }
  if (s.minimum_age) phrase.values.emplace_back("{min}", std::to_string(*s.minimum_age));
  if (s.maximum_age) phrase.values.emplace_back("{max}", std::to_string(*s.maximum_age));
  return RenderPhrase(phrase, translate, locale);
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
    case Category::kLegalAdvice:
      return "Information juridique";
    case Category::kLawyer:
      return "Avocat ou avocate";
    case Category::kVictimSupportAssociation:
      return "Association d'aide aux victimes";
    case Category::kPsychologist:
      return "Psychologue";
    case Category::kDoctor:
      return "Médecin";
    case Category::kForensicUnit:
      return "Unité médico-judiciaire (UMJ)";
    case Category::kSocialWorker:
      return "Travail social";
    case Category::kPolice:
      return "Police";
    case Category::kGendarmerie:
      return "Gendarmerie";
    case Category::kShelter:
      return "Hébergement, mise à l'abri";
    case Category::kChildProtection:
      return "Protection de l'enfance";
    case Category::kYouthService:
      return "Service pour les jeunes";
    case Category::kInterpreter:
      return "Interprétariat";
    case Category::kFinancialAid:
      return "Aide financière";
  }
  return "Autre";
}

std::string AccessibilityLabel(Accessibility accessibility) {
  switch (accessibility) {
    case Accessibility::kWheelchair:
      return "Accessible en fauteuil roulant";
    case Accessibility::kSignLanguage:
      return "Langue des signes (LSF)";
    case Accessibility::kInterpreter:
      return "Interprète sur demande";
  }
  return "";
}

std::string FeeLabel(Fee fee) {
  switch (fee) {
    case Fee::kFree:
      return "Gratuit";
    case Fee::kPaid:
      return "Payant";
    case Fee::kLegalAid:
      return "Aide juridictionnelle acceptée";
  }
  return "";
}

std::string LanguageLabel(std::string_view code) {
  static constexpr std::pair<std::string_view, std::string_view> kLabels[] = {{"fr", "français"},
                                                                              {"en", "anglais"},
                                                                              {"ar", "arabe"},
                                                                              {"es", "espagnol"},
                                                                              {"pt", "portugais"},
                                                                              {"de", "allemand"},
                                                                              {"it", "italien"},
                                                                              {"tr", "turc"},
                                                                              {"ro", "roumain"},
                                                                              {"ru", "russe"},
                                                                              {"uk", "ukrainien"},
                                                                              {"pl", "polonais"},
                                                                              {"zh", "chinois"},
                                                                              {"vi", "vietnamien"},
                                                                              {"ta", "tamoul"},
                                                                              {"fa", "persan"},
                                                                              {"ps", "pachto"},
                                                                              {"so", "somali"},
                                                                              {"wo", "wolof"},
                                                                              {"bm", "bambara"},
                                                                              {"kab", "kabyle"},
                                                                              {"ber", "berbère"},
                                                                              {"sq", "albanais"},
                                                                              {"ka", "géorgien"},
                                                                              {"hy", "arménien"},
                                                                              {"bn", "bengali"},
                                                                              {"ur", "ourdou"},
                                                                              {"hi", "hindi"},
                                                                              {"ln", "lingala"},
                                                                              {"sw", "swahili"},
                                                                              {"lsf", "langue des signes française"}};
  for (const auto& [c, label] : kLabels) {
    if (c == code) return std::string(label);
  }
  return std::string(code);
}

Opening DescribeOpening(const directory::OpeningHours& hours, const directory::PublicOrganization& organization,
                        TimePoint now) {
  if (directory::IsClosedOn(organization, core::ParisDate(now))) {
    if (organization.closed_until.empty())
      return {Opening::State::kTemporarilyClosed, {Phrase{"Fermé temporairement"}}};
    Phrase until{"Fermé temporairement jusqu'au {date}"};
    until.date = organization.closed_until;
    return {Opening::State::kTemporarilyClosed, {until}};
  }
  if (!hours.provided()) return {Opening::State::kNotProvided, {Phrase{"Horaires non communiqués"}}};
  if (hours.IsOpenAt(now) == directory::OpenStatus::kOpen) {
    const auto closes = hours.ClosesAt(now);
    if (!closes) return {Opening::State::kOpen, {Phrase{"Ouvert 24 h sur 24"}}};
    return {Opening::State::kOpen, {Phrase{"Ouvert"}, MomentPhrase(Moment::kCloses, *closes, now)}};
  }
  const auto next = hours.NextOpening(now);
  if (!next) return {Opening::State::kClosed, {Phrase{"Fermé"}}};
  return {Opening::State::kClosed, {Phrase{"Fermé"}, MomentPhrase(Moment::kOpens, *next, now)}};
}

// Below this distance from a confidential place's commune centre, she is in that commune.
constexpr double kInTheCommuneKm = 1.0;

nlohmann::json ResultView(const Hit& hit, TimePoint now, const TranslateFn& translate, std::string_view locale) {
  const ServicePoint& p = *hit.point;
  const directory::PublicOrganization& o = *p.organization;
  const auto service = std::find_if(o.services.begin(), o.services.end(),
                                    [&](const directory::Service& s) { return s.id == p.point.service_id; });
  directory::Service s = service == o.services.end() ? directory::Service{} : *service;
  s.id = p.point.service_id;
  nlohmann::json out = OrganizationFacts(o, s, now, translate, locale);
  out["distance"] = LocalDistance(hit.distance_km, locale);
  out["opening"] = OpeningView(DescribeOpening(p.hours, o, now), translate, locale);
  for (const directory::PublicLocation& l : o.locations) {
    if (l.id != p.point.location_id) continue;
    out["location"] = LocationView(l);
    // A confidential place stands at its commune's centre: a distance of a few metres would read
    // as a real one. Near it, "in the commune"; further away, the distance to that centre.
    if (l.confidential) {
      if (hit.distance_km < kInTheCommuneKm) {
        out["distance"] = translate("dans la commune");
      } else {
        out["distance_to_centre"] = true;
      }
    }
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

nlohmann::json DetailView(const directory::PublicServiceView& view, TimePoint now, const TranslateFn& translate,
                          std::string_view locale) {
  const directory::Service& s = view.service;
  nlohmann::json out = OrganizationFacts(view.organization, s, now, translate, locale);
  directory::OpeningHours hours;
  if (auto parsed = directory::OpeningHours::Parse(s.opening_hours)) hours = std::move(parsed).value();
  out["opening"] = OpeningView(DescribeOpening(hours, view.organization, now), translate, locale);
  nlohmann::json week = nlohmann::json::array();
  if (hours.provided()) {
    const auto ranges = hours.WeeklyRanges();
    for (int d = 0; d < 7; ++d) {
      std::vector<std::string> parts;
      for (const auto& r : ranges[static_cast<std::size_t>(d)]) {
        parts.push_back(r.start_minutes == 0 && r.end_minutes >= 24 * 60
                            ? translate("24 h sur 24")
                            : LocalClock(r.start_minutes, locale) + " – " + LocalClock(r.end_minutes, locale));
      }
      week.push_back({{"day", Capitalized(translate(kWeekdays[d]))},
                      {"hours", parts.empty() ? translate("Fermé") : Join(parts, ListSeparator(locale))}});
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
  out["ages"] = AgesText(s, translate, locale);
  out["application_process"] = s.application_process;
  out["email"] = view.organization.email;
  out["website"] = view.organization.website;
  NullEmptyStrings(out);
  return out;
}

}  // namespace passerelle::annuaire
