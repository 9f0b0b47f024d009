#include "help/place.h"

#include <gtest/gtest.h>

namespace passerelle::help {
namespace {

geo::Commune Make(std::string insee, std::string name, std::string postal_code, std::int64_t population) {
  geo::Commune c;
  c.insee_code = std::move(insee);
  c.name = std::move(name);
  c.postal_codes = {std::move(postal_code)};
  c.population = population;
  c.lat = 50;
  c.lon = 2;
  c.departement = c.insee_code.substr(0, 2);
  return c;
}

class CheckPlaceTest : public ::testing::Test {
 protected:
  geo::Gazetteer gazetteer_{{
      Make("62108", "Berck", "62600", 12951),
      Make("67030", "Berg", "67320", 400),
      Make("03024", "Bert", "03130", 300),
      Make("62588", "Montreuil-sur-Mer", "62170", 1912),
      Make("93048", "Montreuil", "93100", 111934),
      Make("28267", "Montreuil", "28500", 538),
      Make("85148", "Montreuil", "85200", 818),
      Make("62826", "Le Touquet-Paris-Plage", "62520", 4224),
      Make("62318", "Étaples", "62630", 10710),
      Make("62758", "Saint-Josse", "62170", 1041),
  }};
  std::set<std::string> montreuillois_{"62108", "62588", "62826", "62318", "62758"};

  static std::vector<std::string> Labels(const AnswerError& error) {
    std::vector<std::string> out;
    for (const PlaceOption& o : error.places) out.push_back(o.label);
    return out;
  }
  std::variant<nlohmann::json, AnswerError> Check(const nlohmann::json& given, const std::set<std::string>& local) {
    return CheckPlace(gazetteer_, local, given);
  }
};

TEST_F(CheckPlaceTest, AcceptsAKnownCommuneAndStoresItsCode) {
  const auto checked = Check({{"commune", "étaples"}}, montreuillois_);
  ASSERT_TRUE(std::holds_alternative<nlohmann::json>(checked));
  EXPECT_EQ(std::get<nlohmann::json>(checked), (nlohmann::json{{"commune", "Étaples (62630)"}, {"insee", "62318"}}));
  // Without its article, and the only commune whose name begins with it.
  const auto touquet = Check({{"commune", "le touquet"}}, {});
  ASSERT_TRUE(std::holds_alternative<nlohmann::json>(touquet));
  EXPECT_EQ(std::get<nlohmann::json>(touquet)["insee"], "62826");
}

TEST_F(CheckPlaceTest, RefusesAnUnknownPlaceWithAClearMessage) {
  for (const char* typed : {"ABCDE", "Xyzzyville"}) {
    const auto checked = Check({{"commune", typed}}, montreuillois_);
    ASSERT_TRUE(std::holds_alternative<AnswerError>(checked)) << typed;
    const AnswerError& error = std::get<AnswerError>(checked);
    EXPECT_EQ(error.field, "place");
    EXPECT_NE(error.message.find(std::string("« ") + typed + " »"), std::string::npos) << error.message;
    EXPECT_TRUE(error.places.empty());
  }
  const auto zero = Check({{"postal_code", "00000"}}, montreuillois_);
  ASSERT_TRUE(std::holds_alternative<AnswerError>(zero));
  EXPECT_NE(std::get<AnswerError>(zero).message.find("00000"), std::string::npos);
}

TEST_F(CheckPlaceTest, OffersCloseMatchesForATypoTheTerritoryFirst) {
  const auto berk = Check({{"commune", "Berk"}}, montreuillois_);
  ASSERT_TRUE(std::holds_alternative<AnswerError>(berk));
  EXPECT_EQ(Labels(std::get<AnswerError>(berk)),
            (std::vector<std::string>{"Berck (62600)", "Berg (67320)", "Bert (03130)"}));
  EXPECT_EQ(std::get<AnswerError>(berk).places.front().insee_code, "62108");
  // A longer spelling of the name: Berck-sur-Mer is called Berck.
  const auto longer = Check({{"commune", "berck sur mer"}}, {});
  ASSERT_TRUE(std::holds_alternative<AnswerError>(longer));
  EXPECT_EQ(Labels(std::get<AnswerError>(longer)), (std::vector<std::string>{"Berck (62600)"}));
  const auto swapped = Check({{"commune", "Etpales"}}, {});
  ASSERT_TRUE(std::holds_alternative<AnswerError>(swapped));
  EXPECT_EQ(Labels(std::get<AnswerError>(swapped)), (std::vector<std::string>{"Étaples (62630)"}));
}

TEST_F(CheckPlaceTest, HomonymsAreAChoiceWithTheTerritorysCommunesFirst) {
  const auto local = Check({{"commune", "Montreuil"}}, montreuillois_);
  ASSERT_TRUE(std::holds_alternative<AnswerError>(local));
  EXPECT_EQ(Labels(std::get<AnswerError>(local)),
            (std::vector<std::string>{"Montreuil-sur-Mer (62170)", "Montreuil (93100)", "Montreuil (85200)",
                                      "Montreuil (28500)"}));
  // Elsewhere: the three communes of that very name, most populous first.
  const auto national = Check({{"commune", "montreuil"}}, {});
  ASSERT_TRUE(std::holds_alternative<AnswerError>(national));
  EXPECT_EQ(Labels(std::get<AnswerError>(national)),
            (std::vector<std::string>{"Montreuil (93100)", "Montreuil (85200)", "Montreuil (28500)"}));
}

TEST_F(CheckPlaceTest, APickedCommuneOrItsLabelIsAccepted) {
  const auto picked = Check({{"insee", "28267"}}, montreuillois_);
  ASSERT_TRUE(std::holds_alternative<nlohmann::json>(picked));
  EXPECT_EQ(std::get<nlohmann::json>(picked), (nlohmann::json{{"commune", "Montreuil (28500)"}, {"insee", "28267"}}));
  const auto label = Check({{"commune", "Montreuil (93100)"}}, montreuillois_);
  ASSERT_TRUE(std::holds_alternative<nlohmann::json>(label));
  EXPECT_EQ(std::get<nlohmann::json>(label)["insee"], "93048");
  EXPECT_TRUE(std::holds_alternative<AnswerError>(Check({{"insee", "99999"}}, montreuillois_)));
}

TEST_F(CheckPlaceTest, PostalCodesPreferTheTerritorysCommune) {
  const auto checked = Check({{"postal_code", "62170"}}, {"62758"});
  ASSERT_TRUE(std::holds_alternative<nlohmann::json>(checked));
  EXPECT_EQ(std::get<nlohmann::json>(checked), (nlohmann::json{{"postal_code", "62170"}, {"insee", "62758"}}));
  EXPECT_EQ(std::get<nlohmann::json>(Check({{"postal_code", "62170"}}, {}))["insee"], "62588");
}

TEST_F(CheckPlaceTest, WithoutAGazetteerNothingIsChecked) {
  const geo::Gazetteer empty({});
  const nlohmann::json given = {{"commune", "ABCDE"}};
  const auto checked = CheckPlace(empty, {}, given);
  ASSERT_TRUE(std::holds_alternative<nlohmann::json>(checked));
  EXPECT_EQ(std::get<nlohmann::json>(checked), given);
  const nlohmann::json at = {{"lat", 50.46}, {"lon", 1.76}};
  EXPECT_EQ(std::get<nlohmann::json>(Check(at, {})), at);
}

TEST(TerritoryOf, FindsTheTerritoryOfACommune) {
  territory::Territory a;
  a.slug = "a";
  a.communes = {{"62108", "Berck", "62600"}};
  territory::Territory b;
  b.slug = "b";
  b.communes = {{"75110", "Paris 10e", "75010"}};
  const std::vector<territory::Territory> all = {a, b};
  ASSERT_NE(TerritoryOf(all, "75110"), nullptr);
  EXPECT_EQ(TerritoryOf(all, "75110")->slug, "b");
  EXPECT_EQ(TerritoryOf(all, "93048"), nullptr);
  EXPECT_EQ(TerritoryOf(all, ""), nullptr);
  EXPECT_EQ(LocalCommunes(all), (std::set<std::string>{"62108", "75110"}));
  EXPECT_EQ(InseeOf({{"commune", "Berck (62600)"}, {"insee", "62108"}}), "62108");
  EXPECT_EQ(InseeOf({{"commune", "Berck"}}), "");
}

}  // namespace
}  // namespace passerelle::help
