// Labels and phrases of the directory's pages, and place resolution (without a database).
#include <gtest/gtest.h>

#include "annuaire/search.h"
#include "annuaire/view.h"
#include "http/i18n.h"

namespace passerelle::annuaire {
namespace {

// Monday 2025-03-03, Paris time = UTC + 1.
TimePoint Paris(int day, int hour, int minute = 0) {
  return std::chrono::sys_days{std::chrono::year{2025} / 3 / day} + std::chrono::hours(hour - 1) +
         std::chrono::minutes(minute);
}

directory::OpeningHours Hours(std::string_view text) { return directory::OpeningHours::Parse(text).value(); }

std::string Label(const Opening& opening) { return FrenchText(opening.phrases); }

TEST(AnnuaireView, DescribesOpeningInParisTime) {
  directory::PublicOrganization o;
  const auto weekdays = Hours("Mo-Fr 09:00-12:00,14:00-17:30");
  EXPECT_EQ(Label(DescribeOpening(weekdays, o, Paris(3, 10))), "Ouvert · ferme aujourd'hui à 12 h");
  EXPECT_EQ(Label(DescribeOpening(weekdays, o, Paris(3, 12, 30))), "Fermé · ouvre aujourd'hui à 14 h");
  EXPECT_EQ(Label(DescribeOpening(weekdays, o, Paris(3, 18))), "Fermé · ouvre demain à 9 h");
  EXPECT_EQ(Label(DescribeOpening(weekdays, o, Paris(7, 18))), "Fermé · ouvre lundi à 9 h");
  EXPECT_EQ(Label(DescribeOpening(Hours("Mo 09:00-17:30"), o, Paris(3, 16))), "Ouvert · ferme aujourd'hui à 17 h 30");
  EXPECT_EQ(Label(DescribeOpening(Hours("Mo 09:00-12:00"), o, Paris(3, 13))), "Fermé · ouvre le 10 mars à 9 h");
  EXPECT_EQ(Label(DescribeOpening(Hours("24/7"), o, Paris(3, 3))), "Ouvert 24 h sur 24");
  EXPECT_EQ(DescribeOpening(Hours(""), o, Paris(3, 10)).state, Opening::State::kNotProvided);

  o.status = directory::OrganizationStatus::kTemporarilyClosed;
  o.closed_from = "2025-03-01";
  o.closed_until = "2025-03-31";
  const Opening closed = DescribeOpening(weekdays, o, Paris(3, 10));
  EXPECT_EQ(closed.state, Opening::State::kTemporarilyClosed);
  EXPECT_EQ(Label(closed), "Fermé temporairement jusqu'au 31 mars 2025");
}

TEST(AnnuaireView, Labels) {
  EXPECT_EQ(FormatDistance(0.34), "340 m");
  EXPECT_EQ(FormatDistance(0.001), "10 m");
  EXPECT_EQ(FormatDistance(1.26), "1,3 km");
  EXPECT_EQ(FormatDistance(12.4), "12 km");
  EXPECT_EQ(LocalDistance(1.26, "en"), "1.3 km");
  EXPECT_EQ(LocalDate("2025-01-15", Untranslated, "fr"), "15 janvier 2025");
  EXPECT_EQ(LocalDate("2025-05-01", Untranslated, "fr"), "1er mai 2025");
  EXPECT_EQ(LocalDate("n'importe", Untranslated, "fr"), "n'importe");
  EXPECT_EQ(LocalDate("2025-13-01", Untranslated, "fr"), "2025-13-01");
  EXPECT_EQ(LocalDate("2025-0x-01", Untranslated, "fr"), "2025-0x-01");
  EXPECT_EQ(LocalClock(9 * 60, "fr"), "9 h");
  EXPECT_EQ(LocalClock(17 * 60 + 5, "fr"), "17 h 05");
  EXPECT_EQ(LocalClock(9 * 60, "ar"), "9:00");
  EXPECT_EQ(LanguageLabel("ar"), "arabe");
  EXPECT_EQ(LanguageLabel("xx"), "xx");
  for (directory::Category c : directory::kAllCategories) EXPECT_NE(CategoryLabel(c), "Autre");
}

// A temporarily closed legal-advice service, seen on Monday 3 March 2025 at 10:00.
directory::PublicServiceView ClosedLegalAdvice() {
  directory::PublicServiceView view;
  directory::PublicOrganization& o = view.organization;
  o.name = "Maison du droit";
  o.phones = {{"01 99 00 10 01", directory::PhoneType::kVoice, ""},
              {"06 99 00 10 02", directory::PhoneType::kText, ""}};
  o.assured_date = "2026-03-03";
  o.status = directory::OrganizationStatus::kTemporarilyClosed;
  o.closed_from = "2025-03-01";
  o.closed_until = "2025-03-31";
  directory::Service& s = view.service;
  s.id = "droit-s1";
  s.name = "Permanence juridique";
  s.categories = {directory::Category::kLegalAdvice};
  s.languages = {"fr", "ar", "es"};
  s.accessibility = {directory::Accessibility::kWheelchair};
  s.fees = {directory::Fee::kFree};
  s.minimum_age = 16;
  s.maximum_age = 25;
  s.opening_hours = "Mo-Fr 09:00-12:00,14:00-17:30; Sa 00:00-24:00";
  return view;
}

// The labels of a service in one language, flattened to look them up.
struct Shown {
  nlohmann::json view;
  std::string all;  // every string of `view`, one a line
};

Shown DetailIn(const http::Translator& translator, const std::string& locale, const directory::PublicServiceView& view,
               TimePoint now) {
  const TranslateFn translate = [&](const std::string& msgid) { return translator.Translate(locale, msgid); };
  Shown shown{DetailView(view, now, translate, locale), ""};
  const auto collect = [&shown](const auto& self, const nlohmann::json& value) -> void {
    if (value.is_string()) shown.all += value.get<std::string>() + "\n";
    if (value.is_structured()) {
      for (const auto& item : value) self(self, item);
    }
  };
  collect(collect, shown.view);
  return shown;
}

// French is unchanged; English and Arabic come from the real catalogs (po/*.po), with their own
// dates, times and weekdays, and no French label left.
TEST(AnnuaireView, LabelsInTheVisitorsLanguage) {
  const http::Translator translator(http::DefaultLocaleDir());
  const directory::PublicServiceView closed = ClosedLegalAdvice();

  const Shown fr = DetailIn(translator, "fr", closed, Paris(3, 10));
  EXPECT_EQ(fr.view["categories"][0], "Information juridique");
  EXPECT_EQ(fr.view["closure"], "Fermeture temporaire du 1er mars 2025 au 31 mars 2025");
  EXPECT_EQ(fr.view["opening"]["label"], "Fermé temporairement jusqu'au 31 mars 2025");
  EXPECT_EQ(fr.view["verified"], "3 mars 2026");
  EXPECT_EQ(fr.view["phones"][0]["kind"], "Téléphone\u202F:");
  EXPECT_EQ(fr.view["phones"][1]["kind"], "SMS\u202F:");
  EXPECT_EQ(fr.view["languages"], "français, arabe, espagnol");
  EXPECT_EQ(fr.view["accessibility"][0], "Accessible en fauteuil roulant");
  EXPECT_EQ(fr.view["fees"][0], "Gratuit");
  EXPECT_EQ(fr.view["ages"], "De 16 à 25 ans");
  EXPECT_EQ(fr.view["week"][0]["day"], "Lundi");
  EXPECT_EQ(fr.view["week"][0]["hours"], "9 h – 12 h, 14 h – 17 h 30");
  EXPECT_EQ(fr.view["week"][5]["hours"], "24 h sur 24");
  EXPECT_EQ(fr.view["week"][6]["hours"], "Fermé");

  const Shown en = DetailIn(translator, "en", closed, Paris(3, 10));
  EXPECT_EQ(en.view["categories"][0], "Legal information");
  EXPECT_EQ(en.view["closure"], "Temporary closure from 1 March 2025 to 31 March 2025");
  EXPECT_EQ(en.view["opening"]["label"], "Temporarily closed until 31 March 2025");
  EXPECT_EQ(en.view["verified"], "3 March 2026");
  EXPECT_EQ(en.view["phones"][0]["kind"], "Phone:");
  EXPECT_EQ(en.view["languages"], "French, Arabic, Spanish");
  EXPECT_EQ(en.view["accessibility"][0], "Wheelchair accessible");
  EXPECT_EQ(en.view["fees"][0], "Free");
  EXPECT_EQ(en.view["ages"], "From 16 to 25 years old");
  EXPECT_EQ(en.view["week"][0]["day"], "Monday");
  EXPECT_EQ(en.view["week"][0]["hours"], "9:00 – 12:00, 14:00 – 17:30");
  EXPECT_EQ(en.view["week"][5]["hours"], "24 hours a day");
  EXPECT_EQ(en.view["week"][6]["hours"], "Closed");

  const Shown ar = DetailIn(translator, "ar", closed, Paris(3, 10));
  EXPECT_EQ(ar.view["categories"][0], "معلومات قانونية");
  EXPECT_EQ(ar.view["closure"], "إغلاق مؤقت من 1 مارس 2025 إلى 31 مارس 2025");
  EXPECT_EQ(ar.view["opening"]["label"], "مغلق مؤقتًا حتى 31 مارس 2025");
  EXPECT_EQ(ar.view["verified"], "3 مارس 2026");
  EXPECT_EQ(ar.view["phones"][0]["kind"], "الهاتف:");
  EXPECT_EQ(ar.view["languages"], "الفرنسية، العربية، الإسبانية");
  EXPECT_EQ(ar.view["ages"], "من سن 16 إلى سن 25");
  EXPECT_EQ(ar.view["week"][0]["day"], "الاثنين");
  EXPECT_EQ(ar.view["week"][0]["hours"], "9:00 – 12:00، 14:00 – 17:30");

  // Open again: the next openings, in each language.
  directory::PublicServiceView open = closed;
  open.organization.status = directory::OrganizationStatus::kActive;
  EXPECT_EQ(DetailIn(translator, "fr", open, Paris(3, 10)).view["opening"]["label"],
            "Ouvert · ferme aujourd'hui à 12 h");
  EXPECT_EQ(DetailIn(translator, "en", open, Paris(3, 10)).view["opening"]["label"], "Open · closes today at 12:00");
  EXPECT_EQ(DetailIn(translator, "en", open, Paris(3, 18)).view["opening"]["label"], "Closed · opens tomorrow at 9:00");
  EXPECT_EQ(DetailIn(translator, "ar", open, Paris(3, 12, 30)).view["opening"]["label"],
            "مغلق · يفتح اليوم على الساعة 14:00");
  open.service.opening_hours = "Mo 09:00-12:00";
  EXPECT_EQ(DetailIn(translator, "en", open, Paris(4, 10)).view["opening"]["label"], "Closed · opens Monday at 9:00");
  EXPECT_EQ(DetailIn(translator, "en", open, Paris(3, 13)).view["opening"]["label"],
            "Closed · opens on 10 March at 9:00");
  EXPECT_EQ(DetailIn(translator, "ar", open, Paris(3, 13)).view["opening"]["label"],
            "مغلق · يفتح يوم 10 مارس على الساعة 9:00");

  // No French label is left in the other languages.
  for (const Shown* shown : {&en, &ar}) {
    for (const char* french : {"Information juridique", "Fermeture", "Fermé", "mars", "Téléphone", "SMS :", "fauteuil",
                               "Gratuit", "français", "arabe", "Lundi", "9 h", " ans", "sur 24"}) {
      EXPECT_EQ(shown->all.find(french), std::string::npos) << french << " in\n" << shown->all;
    }
  }
  // Every label French builds is translated (English writes "Police" and "Gendarmerie" alike).
  for (directory::Category c : directory::kAllCategories) {
    EXPECT_NE(translator.Translate("ar", CategoryLabel(c)), CategoryLabel(c));
  }
  for (const char* code : {"fr", "en", "ar", "es", "pt", "tr", "ro", "ru", "uk", "lsf", "ber"}) {
    for (const char* locale : {"en", "ar"}) {
      EXPECT_NE(translator.Translate(locale, LanguageLabel(code)), LanguageLabel(code)) << locale << " " << code;
    }
  }
}

// What she typed comes back in the message, which is in her language.
TEST(AnnuairePlaces, UnknownPlaceMessageInTheVisitorsLanguage) {
  const http::Translator translator(http::DefaultLocaleDir());
  const geo::Gazetteer none(std::vector<geo::Commune>{});
  const TranslateFn english = [&](const std::string& msgid) { return translator.Translate("en", msgid); };
  const TranslateFn arabic = [&](const std::string& msgid) { return translator.Translate("ar", msgid); };
  EXPECT_EQ(ResolvePlace(none, "Atlantide").error().public_message,
            "Nous ne trouvons pas la commune « Atlantide ». Vérifiez l'orthographe ou indiquez son code postal.");
  EXPECT_EQ(ResolvePlace(none, "Atlantide", english, "en").error().public_message,
            "We cannot find the town “Atlantide”. Check the spelling or enter its postcode.");
  EXPECT_EQ(ResolvePlace(none, "99999", english, "en").error().public_message, "No town matches the postcode “99999”.");
  const std::string in_arabic = ResolvePlace(none, "Atlantide", arabic, "ar").error().public_message;
  EXPECT_NE(in_arabic.find("«Atlantide»"), std::string::npos) << in_arabic;
  EXPECT_EQ(in_arabic.find("Nous ne trouvons"), std::string::npos) << in_arabic;
}

geo::Commune MakeCommune(std::string insee, std::string name, std::vector<std::string> postal_codes,
                         std::int64_t population, double lat, double lon, std::string parent = "") {
  geo::Commune c;
  c.insee_code = std::move(insee);
  c.name = std::move(name);
  c.postal_codes = std::move(postal_codes);
  c.population = population;
  c.lat = lat;
  c.lon = lon;
  c.departement = c.insee_code.substr(0, 2);
  c.parent_insee_code = std::move(parent);
  return c;
}

geo::Gazetteer TestGazetteer() {
  return geo::Gazetteer({MakeCommune("75056", "Paris", {"75001", "75010"}, 2100000, 48.8566, 2.3522),
                         MakeCommune("75110", "Paris 10e Arrondissement", {"75010"}, 83000, 48.876, 2.359, "75056"),
                         MakeCommune("93048", "Montreuil", {"93100"}, 110000, 48.8611, 2.4437),
                         MakeCommune("62588", "Montreuil", {"62170"}, 1900, 50.4638, 1.7633),
                         MakeCommune("62318", "Étaples", {"62630"}, 10800, 50.5127, 1.6413)});
}

TEST(AnnuairePlaces, ResolvesCodesNamesAndAutocompleteLabels) {
  const geo::Gazetteer g = TestGazetteer();
  EXPECT_EQ(ResolvePlace(g, "75010").value().insee_code, "75110");  // the arrondissement first
  EXPECT_EQ(ResolvePlace(g, " 62630 ").value().insee_code, "62318");
  EXPECT_EQ(ResolvePlace(g, "62588").value().insee_code, "62588");  // an INSEE code
  EXPECT_EQ(ResolvePlace(g, "etaples").value().insee_code, "62318");
  EXPECT_EQ(ResolvePlace(g, "Montreuil").value().insee_code, "93048");  // most populous
  EXPECT_EQ(ResolvePlace(g, "Montreuil (62170)").value().insee_code, "62588");
  EXPECT_EQ(ResolvePlace(g, "Montreuil (62170)").value().label, "Montreuil (62170)");

  const auto unknown = ResolvePlace(g, "Atlantide");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_NE(unknown.error().public_message.find("« Atlantide »"), std::string::npos);
  EXPECT_FALSE(ResolvePlace(g, "99999").ok());
  EXPECT_FALSE(ResolvePlace(g, "").ok());
  EXPECT_FALSE(ResolvePlace(g, std::string(500, 'a')).ok());

  const auto suggestions = SuggestCommunes(g, "mont", 50);
  ASSERT_EQ(suggestions.size(), 2u);
  EXPECT_EQ(suggestions[0].label, "Montreuil (93100)");
  EXPECT_EQ(SuggestCommunes(g, "75010", 10).size(), 2u);
  EXPECT_TRUE(SuggestCommunes(g, "", 10).empty());
}

}  // namespace
}  // namespace passerelle::annuaire
