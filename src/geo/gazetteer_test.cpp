#include "geo/gazetteer.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "core/crypto.h"
#include "geo/territory_map.h"
#include "geo/test_files.h"

namespace passerelle::geo {
namespace {

namespace fs = std::filesystem;

Commune Make(std::string insee, std::string name, std::vector<std::string> postal_codes, std::int64_t population,
             double lat, double lon, std::string parent = "", std::vector<std::string> former = {}) {
  Commune c;
  c.insee_code = std::move(insee);
  c.name = std::move(name);
  c.postal_codes = std::move(postal_codes);
  c.population = population;
  c.lat = lat;
  c.lon = lon;
  c.departement = c.insee_code.substr(0, 2);
  c.parent_insee_code = std::move(parent);
  c.former_names = std::move(former);
  return c;
}

Gazetteer Sample() {
  return Gazetteer({
      Make("62318", "Étaples", {"62630"}, 10710, 50.52194, 1.63319),
      Make("91223", "Étampes", {"91150"}, 26857, 48.43507, 2.16233),
      Make("62758", "Saint-Josse", {"62170"}, 1041, 50.46761, 1.66369),
      Make("97415", "Saint-Joseph", {"97480"}, 39207, -21.37764, 55.61920),
      Make("62826", "Le Touquet-Paris-Plage", {"62520"}, 4159, 50.52432, 1.58571),
      Make("62588", "Montreuil", {"62170"}, 1860, 50.46374, 1.76345),
      Make("01033", "Valserhône", {"01200"}, 16570, 46.10957, 5.82522, "", {"Bellegarde-sur-Valserine"}),
      Make("75056", "Paris", {"75001", "75010"}, 2103778, 48.85341, 2.34880),
      Make("75110", "Paris 10e Arrondissement", {"75010"}, 83873, 48.87090, 2.35610, "75056"),
  });
}

std::vector<std::string> Names(const std::vector<NameMatch>& matches) {
  std::vector<std::string> names;
  for (const NameMatch& m : matches) names.push_back(m.commune->name);
  return names;
}

TEST(Gazetteer, FindsByExactNameOnly) {
  const Gazetteer gazetteer = Sample();
  EXPECT_EQ(Names(gazetteer.FindByName("montreuil")), (std::vector<std::string>{"Montreuil"}));
  EXPECT_EQ(Names(gazetteer.FindByName("ETAPLES")), (std::vector<std::string>{"Étaples"}));
  EXPECT_EQ(Names(gazetteer.FindByName("touquet paris plage")), (std::vector<std::string>{"Le Touquet-Paris-Plage"}));
  EXPECT_EQ(Names(gazetteer.FindByName("st josse")), (std::vector<std::string>{"Saint-Josse"}));
  EXPECT_EQ(Names(gazetteer.FindByName("bellegarde sur valserine")), (std::vector<std::string>{"Valserhône"}));
  EXPECT_TRUE(gazetteer.FindByName("montreui").empty());
  EXPECT_TRUE(gazetteer.FindByName("").empty());
}

TEST(Gazetteer, FindsSimilarNamesClosestFirst) {
  const Gazetteer gazetteer = Sample();
  // One letter off, two letters swapped, a longer spelling; the closest first.
  EXPECT_EQ(Names(gazetteer.FindSimilar("Montreul", 5)), (std::vector<std::string>{"Montreuil"}));
  EXPECT_EQ(Names(gazetteer.FindSimilar("etpales", 5)), (std::vector<std::string>{"Étaples"}));
  EXPECT_EQ(Names(gazetteer.FindSimilar("etaples sur mer", 5)), (std::vector<std::string>{"Étaples"}));
  EXPECT_EQ(Names(gazetteer.FindSimilar("etamples", 5)), (std::vector<std::string>{"Étampes", "Étaples"}));
  // Short words allow one mistake only; nothing close is nothing.
  EXPECT_TRUE(gazetteer.FindSimilar("prs", 5).empty());
  EXPECT_EQ(Names(gazetteer.FindSimilar("pris", 5)), (std::vector<std::string>{"Paris"}));
  EXPECT_TRUE(gazetteer.FindSimilar("zzzzzzzz", 5).empty());
  EXPECT_TRUE(gazetteer.FindSimilar("ab", 5).empty());
  EXPECT_EQ(gazetteer.FindSimilar("etampes", 1).size(), 1u);
}

std::vector<std::string> Codes(const std::vector<const Commune*>& communes) {
  std::vector<std::string> codes;
  for (const Commune* c : communes) codes.push_back(c->insee_code);
  return codes;
}

TEST(Gazetteer, SearchesByNamePostalCodeInseeDepartementAndEpci) {
  std::vector<Commune> communes = {
      Make("62318", "Étaples", {"62630"}, 10710, 50.52194, 1.63319),
      Make("62758", "Saint-Josse", {"62170"}, 1041, 50.46761, 1.66369),
      Make("62588", "Montreuil", {"62170"}, 1860, 50.46374, 1.76345),
      Make("91223", "Étampes", {"91150"}, 26857, 48.43507, 2.16233),
      Make("2A004", "Ajaccio", {"20000"}, 70000, 41.9267, 8.7369),
      Make("75056", "Paris", {"75001", "75010"}, 2103778, 48.85341, 2.34880),
      Make("75110", "Paris 10e Arrondissement", {"75010"}, 83873, 48.87090, 2.35610, "75056"),
  };
  communes[0].epci_code = "200069037";
  communes[1].epci_code = "200069037";
  communes[4].departement = "2A";
  const Gazetteer gazetteer(communes);
  // A postal code: every commune using it; an INSEE code: that commune.
  EXPECT_EQ(Codes(gazetteer.Search("62170", 50)), (std::vector<std::string>{"62588", "62758"}));
  EXPECT_EQ(Codes(gazetteer.Search(" 62318 ", 50)), (std::vector<std::string>{"62318"}));
  EXPECT_EQ(Codes(gazetteer.Search("75010", 50)), (std::vector<std::string>{"75056", "75110"}));
  EXPECT_EQ(Codes(gazetteer.Search("2a004", 50)), (std::vector<std::string>{"2A004"}));
  // A département, alphabetical ignoring accents; the limit cuts.
  EXPECT_EQ(Codes(gazetteer.Search("62", 50)), (std::vector<std::string>{"62318", "62588", "62758"}));
  EXPECT_EQ(Codes(gazetteer.Search("62", 2)), (std::vector<std::string>{"62318", "62588"}));
  EXPECT_EQ(Codes(gazetteer.Search("2A", 50)), (std::vector<std::string>{"2A004"}));
  // An EPCI by its SIREN.
  EXPECT_EQ(Codes(gazetteer.Search("200069037", 50)), (std::vector<std::string>{"62318", "62758"}));
  // A name prefix.
  EXPECT_EQ(Codes(gazetteer.Search("eta", 50)), (std::vector<std::string>{"91223", "62318"}));
  EXPECT_EQ(Codes(gazetteer.Search("st jos", 50)), (std::vector<std::string>{"62758"}));
  EXPECT_TRUE(gazetteer.Search("", 50).empty());
  EXPECT_TRUE(gazetteer.Search("99999", 50).empty());
  EXPECT_TRUE(gazetteer.Search("zzz", 50).empty());
}

TEST(Gazetteer, FindsByInseeCode) {
  const Gazetteer gazetteer = Sample();
  ASSERT_NE(gazetteer.FindByInsee("62318"), nullptr);
  EXPECT_EQ(gazetteer.FindByInsee("62318")->name, "Étaples");
  EXPECT_EQ(gazetteer.FindByInsee("99999"), nullptr);
  EXPECT_EQ(gazetteer.size(), 9u);
}

TEST(Gazetteer, FindsByPostalCodeArrondissementsFirstThenByPopulation) {
  const Gazetteer gazetteer = Sample();
  const auto paris = gazetteer.FindByPostalCode("75010");
  ASSERT_EQ(paris.size(), 2u);
  EXPECT_EQ(paris[0]->insee_code, "75110");
  EXPECT_EQ(paris[1]->insee_code, "75056");
  const auto montreuil = gazetteer.FindByPostalCode("62170");
  ASSERT_EQ(montreuil.size(), 2u);
  EXPECT_EQ(montreuil[0]->name, "Montreuil");
  EXPECT_EQ(montreuil[1]->name, "Saint-Josse");
  EXPECT_TRUE(gazetteer.FindByPostalCode("00000").empty());
}

TEST(Gazetteer, CompletesNamesIgnoringAccentsCaseAndArticlesByPopulation) {
  const Gazetteer gazetteer = Sample();
  EXPECT_EQ(Names(gazetteer.Complete("eta", 10)), (std::vector<std::string>{"Étampes", "Étaples"}));
  EXPECT_EQ(Names(gazetteer.Complete("ÉTAP", 10)), std::vector<std::string>{"Étaples"});
  EXPECT_EQ(Names(gazetteer.Complete("saint jo", 10)), (std::vector<std::string>{"Saint-Joseph", "Saint-Josse"}));
  EXPECT_EQ(Names(gazetteer.Complete("Saint-Jos", 1)), std::vector<std::string>{"Saint-Joseph"});
  EXPECT_EQ(Names(gazetteer.Complete("st jos", 10)), (std::vector<std::string>{"Saint-Joseph", "Saint-Josse"}));
  EXPECT_EQ(Names(gazetteer.Complete("touquet", 10)), std::vector<std::string>{"Le Touquet-Paris-Plage"});
  EXPECT_EQ(Names(gazetteer.Complete("le touq", 10)), std::vector<std::string>{"Le Touquet-Paris-Plage"});
  EXPECT_EQ(Names(gazetteer.Complete("paris", 10)), (std::vector<std::string>{"Paris", "Paris 10e Arrondissement"}));
  EXPECT_TRUE(gazetteer.Complete("", 10).empty());
  EXPECT_TRUE(gazetteer.Complete("  -' ", 10).empty());
  EXPECT_TRUE(gazetteer.Complete("xyz", 10).empty());
  EXPECT_TRUE(gazetteer.Complete("eta", 0).empty());
}

TEST(Gazetteer, CompletesFormerNamesOfMergedCommunes) {
  const Gazetteer gazetteer = Sample();
  const auto matches = gazetteer.Complete("bellegarde", 10);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].commune->name, "Valserhône");
  EXPECT_EQ(matches[0].matched_name, "Bellegarde-sur-Valserine");
  // A match on the current name wins over one on a former name of the same commune.
  const auto own = gazetteer.Complete("valser", 10);
  ASSERT_EQ(own.size(), 1u);
  EXPECT_EQ(own[0].matched_name, "Valserhône");
}

TEST(Gazetteer, FindsTheNearestCommuneWithinAMaximumDistance) {
  const Gazetteer gazetteer = Sample();
  // On the beach between Étaples and Le Touquet, nearer Le Touquet.
  const auto nearest = gazetteer.FindNearest(50.525, 1.595, 20);
  ASSERT_TRUE(nearest.has_value());
  EXPECT_EQ(nearest->commune->name, "Le Touquet-Paris-Plage");
  EXPECT_LT(nearest->distance_km, 1.0);
  // In the Channel, 60 km out.
  EXPECT_FALSE(gazetteer.FindNearest(50.6, 0.8, 20).has_value());
  EXPECT_FALSE(gazetteer.FindNearest(95, 0, 20).has_value());
}

TEST(Gazetteer, LoadsTheDefaultCsvAndRefusesAMissingFile) {
  core::InitCrypto();
  const fs::path dir = fs::temp_directory_path() / ("passerelle-gazetteer-" + core::RandomHex(6));
  fs::create_directories(dir);
  testing_files::WriteFile(
      dir / "communes.csv",
      testing_files::DefaultFile({testing_files::kDefaultParis, testing_files::kDefaultParis10,
                                  testing_files::kDefaultEtaples, testing_files::kDefaultValserhone}));
  const auto loaded = Gazetteer::FromCsv(dir / "communes.csv");
  ASSERT_TRUE(loaded.ok()) << loaded.error().public_message;
  EXPECT_EQ(loaded.value().size(), 4u);
  EXPECT_EQ(loaded.value().FindByPostalCode("75010").front()->name, "Paris 10e Arrondissement");
  EXPECT_EQ(loaded.value().Complete("bellegarde", 5).front().commune->insee_code, "01033");
  const auto missing = Gazetteer::FromCsv(dir / "absent.csv");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
  fs::remove_all(dir);
}

TEST(TerritoryMap, FindsTheTerritoriesOfACommuneAndOfItsArrondissements) {
  const Gazetteer gazetteer = Sample();
  TerritoryMap territories;
  const std::vector<std::string> montreuillois = {"62588", "62758", "62318"};
  const std::vector<std::string> paris = {"75056"};
  const std::vector<std::string> paris_10 = {"75110"};
  const std::vector<std::string> cote_opale = {"62318", "62826"};
  territories.Add("montreuillois", montreuillois);
  territories.Add("paris", paris);
  territories.Add("paris-10", paris_10);
  territories.Add("cote-opale", cote_opale);
  territories.Add("cote-opale", cote_opale);  // twice: listed once
  EXPECT_EQ(territories.TerritoriesOf(*gazetteer.FindByInsee("62588")), (std::vector<std::string>{"montreuillois"}));
  EXPECT_EQ(territories.TerritoriesOf(*gazetteer.FindByInsee("62318")),
            (std::vector<std::string>{"cote-opale", "montreuillois"}));
  EXPECT_EQ(territories.TerritoriesOf(*gazetteer.FindByInsee("75110")),
            (std::vector<std::string>{"paris", "paris-10"}));
  EXPECT_EQ(territories.TerritoriesOf(*gazetteer.FindByInsee("75056")), (std::vector<std::string>{"paris"}));
  EXPECT_TRUE(territories.TerritoriesOf(*gazetteer.FindByInsee("97415")).empty());
  // From a point: the nearest commune, then its territories.
  const auto nearest = gazetteer.FindNearest(50.4639, 1.7634, 10);
  ASSERT_TRUE(nearest.has_value());
  EXPECT_EQ(territories.TerritoriesOf(*nearest->commune), (std::vector<std::string>{"montreuillois"}));
}

// The default gazetteer built by `node scripts/build-gazetteer.mjs`, when it has been built.
TEST(Gazetteer, DefaultGazetteerAnswersTheUsualLookups) {
  const char* assets = std::getenv("PASSERELLE_ASSETS_DIR");
  const fs::path csv = fs::path(assets ? assets : ".") / "build" / "gazetteer" / "communes.csv";
  if (!fs::exists(csv)) GTEST_SKIP() << csv << " not built: run `node scripts/build-gazetteer.mjs`";
  const auto loaded = Gazetteer::FromCsv(csv);
  ASSERT_TRUE(loaded.ok()) << loaded.error().public_message;
  const Gazetteer& gazetteer = loaded.value();
  EXPECT_GT(gazetteer.size(), 34900u);
  const auto names = Names(gazetteer.Complete("eta", kMaxCompletions));
  EXPECT_NE(std::find(names.begin(), names.end(), "Étaples"), names.end());
  const auto saints = Names(gazetteer.Complete("saint jo", kMaxCompletions));
  EXPECT_NE(std::find(saints.begin(), saints.end(), "Saint-Josse"), saints.end());
  EXPECT_EQ(gazetteer.FindByPostalCode("75010").front()->insee_code, "75110");
  EXPECT_EQ(gazetteer.FindByInsee("62318")->name, "Étaples");
  const auto montreuil = gazetteer.FindNearest(50.4639, 1.7634, 10);
  ASSERT_TRUE(montreuil.has_value());
  EXPECT_EQ(montreuil->commune->insee_code, "62588");
}

}  // namespace
}  // namespace passerelle::geo
