// Labels and phrases of the directory's pages, and place resolution (without a database).
#include <gtest/gtest.h>

#include "annuaire/search.h"
#include "annuaire/view.h"

namespace passerelle::annuaire {
namespace {

// Monday 2025-03-03, Paris time = UTC + 1.
TimePoint Paris(int day, int hour, int minute = 0) {
  return std::chrono::sys_days{std::chrono::year{2025} / 3 / day} + std::chrono::hours(hour - 1) +
         std::chrono::minutes(minute);
}

directory::OpeningHours Hours(std::string_view text) { return directory::OpeningHours::Parse(text).value(); }

TEST(AnnuaireView, DescribesOpeningInParisTime) {
  directory::PublicOrganization o;
  const auto weekdays = Hours("Mo-Fr 09:00-12:00,14:00-17:30");
  EXPECT_EQ(DescribeOpening(weekdays, o, Paris(3, 10)).label, "Ouvert · ferme aujourd'hui à 12 h");
  EXPECT_EQ(DescribeOpening(weekdays, o, Paris(3, 12, 30)).label, "Fermé · ouvre aujourd'hui à 14 h");
  EXPECT_EQ(DescribeOpening(weekdays, o, Paris(3, 18)).label, "Fermé · ouvre demain à 9 h");
  EXPECT_EQ(DescribeOpening(weekdays, o, Paris(7, 18)).label, "Fermé · ouvre lundi à 9 h");
  EXPECT_EQ(DescribeOpening(Hours("Mo 09:00-17:30"), o, Paris(3, 16)).label, "Ouvert · ferme aujourd'hui à 17 h 30");
  EXPECT_EQ(DescribeOpening(Hours("24/7"), o, Paris(3, 3)).label, "Ouvert 24 h sur 24");
  EXPECT_EQ(DescribeOpening(Hours(""), o, Paris(3, 10)).state, Opening::State::kNotProvided);

  o.status = directory::OrganizationStatus::kTemporarilyClosed;
  o.closed_from = "2025-03-01";
  o.closed_until = "2025-03-31";
  const Opening closed = DescribeOpening(weekdays, o, Paris(3, 10));
  EXPECT_EQ(closed.state, Opening::State::kTemporarilyClosed);
  EXPECT_EQ(closed.label, "Fermé temporairement jusqu'au 31 mars 2025");
}

TEST(AnnuaireView, Labels) {
  EXPECT_EQ(FormatDistance(0.34), "340 m");
  EXPECT_EQ(FormatDistance(0.001), "10 m");
  EXPECT_EQ(FormatDistance(1.26), "1,3 km");
  EXPECT_EQ(FormatDistance(12.4), "12 km");
  EXPECT_EQ(FrenchDate("2025-01-15"), "15 janvier 2025");
  EXPECT_EQ(FrenchDate("2025-05-01"), "1er mai 2025");
  EXPECT_EQ(FrenchDate("n'importe"), "n'importe");
  EXPECT_EQ(LanguageLabel("ar"), "arabe");
  EXPECT_EQ(LanguageLabel("xx"), "xx");
  for (directory::Category c : directory::kAllCategories) EXPECT_NE(CategoryLabel(c), "Autre");
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
