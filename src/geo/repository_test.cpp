// The gazetteer's storage runs against SQLite and against a real PostgreSQL server
// (PASSERELLE_TEST_PG_URL, set by tests/pg/with-postgres.sh; PASSERELLE_REQUIRE_PG=1 makes a
// missing server a failure).
#include "geo/repository.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "core/crypto.h"
#include "geo/cli.h"
#include "geo/gazetteer.h"
#include "geo/test_files.h"
#include "storage/migrations.h"
#include "storage/testing.h"

namespace passerelle::geo {
namespace {

namespace fs = std::filesystem;
using testing_files::OfficialRow;

class GazetteerRepositoryTest : public storage::testing::BackendTest {
 protected:
  GazetteerRepositoryTest() { pool_size_ = 2; }

  fs::path Write(const std::string& name, const std::string& text) {
    testing_files::WriteFile(dir_ / name, text);
    return dir_ / name;
  }

  void LoadDefault() {
    const auto loaded = LoadDefaultGazetteer(
        *db_, Write("default.csv",
                    testing_files::DefaultFile({testing_files::kDefaultParis, testing_files::kDefaultParis10,
                                                testing_files::kDefaultEtaples, testing_files::kDefaultSaintJosse,
                                                testing_files::kDefaultValserhone})));
    ASSERT_TRUE(loaded.ok()) << loaded.error().public_message;
  }

  const Commune* Stored(const std::string& insee) {
    communes_ = std::make_unique<Gazetteer>(ReadCommunes(*db_));
    return communes_->FindByInsee(insee);
  }

  std::unique_ptr<Gazetteer> communes_;
};

TEST_P(GazetteerRepositoryTest, LoadsTheDefaultGazetteerAndRoundTripsEveryField) {
  LoadDefault();
  EXPECT_EQ(CountCommunes(*db_), 5u);
  const Commune* paris = Stored("75056");
  ASSERT_NE(paris, nullptr);
  EXPECT_EQ(paris->postal_codes.size(), 21u);
  EXPECT_EQ(paris->population, 2103778);
  EXPECT_DOUBLE_EQ(paris->lat, 48.85341);
  EXPECT_EQ(paris->precision, Precision::kExact);
  EXPECT_EQ(paris->epci_code, "200054781");
  EXPECT_EQ(Stored("75110")->parent_insee_code, "75056");
  EXPECT_EQ(Stored("62758")->precision, Precision::kPostalCode);
  EXPECT_EQ(Stored("01033")->former_names, std::vector<std::string>{"Bellegarde-sur-Valserine"});
  EXPECT_EQ(Stored("01033")->departement, "01");

  // Loading again refreshes without duplicating.
  const auto again = LoadDefaultGazetteer(*db_, dir_ / "default.csv");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value().inserted, 0u);
  EXPECT_EQ(again.value().updated, 5u);
  EXPECT_EQ(CountCommunes(*db_), 5u);
}

TEST_P(GazetteerRepositoryTest, FindsTheCommunesOfAnAddress) {
  LoadDefault();
  const auto names = [](const std::vector<Commune>& communes) {
    std::vector<std::string> out;
    for (const Commune& c : communes) out.push_back(c.insee_code);
    return out;
  };
  // By postal code: the arrondissement before its city (Paris itself lists 75010 too), then most
  // populous first.
  EXPECT_EQ(names(FindCommunesOfAddress(*db_, "", "75010")), (std::vector<std::string>{"75110", "75056"}));
  EXPECT_EQ(names(FindCommunesOfAddress(*db_, "", "62170")), std::vector<std::string>{"62758"});
  // A known INSEE code wins; an unknown one falls back on the postal code.
  EXPECT_EQ(names(FindCommunesOfAddress(*db_, "75110", "62170")), std::vector<std::string>{"75110"});
  EXPECT_EQ(names(FindCommunesOfAddress(*db_, "99999", "75010")).size(), 2u);
  EXPECT_TRUE(FindCommunesOfAddress(*db_, "", "7501").empty());
  EXPECT_TRUE(FindCommunesOfAddress(*db_, "", "%").empty());
  EXPECT_TRUE(FindCommunesOfAddress(*db_, "", "").empty());
}

TEST_P(GazetteerRepositoryTest, ImportsAnOfficialFile) {
  LoadDefault();
  const auto imported = ImportOfficialCommunes(
      *db_,
      Write("official.csv",
            testing_files::OfficialFile({
                testing_files::kEtaplesRow,
                OfficialRow("13001", "Aix-en-Provence", "Aix-en-Provence", "13080", "COM", "", "43.53601", "5.38793",
                            "147478"),
                OfficialRow("13001", "Aix-en-Provence", "Aix-en-Provence", "13090", "COM", "", "43.53601", "5.38793",
                            "147478"),
                OfficialRow("75110", "Paris 10e Arrondissement", "Paris 10e Arrondissement", "75010", "ARM", "75056",
                            "48.87616", "2.36069", "83543"),
                OfficialRow("01033", "Valserhône", "Valserhône", "01200", "COM", "", "46.12335", "5.79442", "16295"),
                OfficialRow("01033", "Bellegarde-sur-Valserine", "", "01200", "COMD", "01033", "46.12335", "5.79442",
                            "16295"),
                OfficialRow("01033", "Châtillon-en-Michaille", "", "01200", "COMD", "01033", "46.12335", "5.79442",
                            "16295"),
            })));
  ASSERT_TRUE(imported.ok()) << imported.error().public_message;
  const ImportSummary& summary = imported.value();
  EXPECT_EQ(summary.rows, 7u);
  EXPECT_EQ(summary.communes, 3u);
  EXPECT_EQ(summary.arrondissements, 1u);
  EXPECT_EQ(summary.delegated_rows, 2u);
  EXPECT_EQ(summary.inserted, 1u);  // Aix
  EXPECT_EQ(summary.updated, 3u);
  EXPECT_EQ(CountCommunes(*db_), 6u);

  const Commune* etaples = Stored("62318");
  EXPECT_EQ(etaples->precision, Precision::kOfficial);
  EXPECT_DOUBLE_EQ(etaples->lat, 50.51377);
  EXPECT_EQ(etaples->population, 10869);
  EXPECT_EQ(etaples->epci_code, "200069029");  // the official file has none: kept
  EXPECT_EQ(Stored("13001")->postal_codes, (std::vector<std::string>{"13080", "13090"}));
  EXPECT_EQ(Stored("13001")->departement, "13");
  EXPECT_EQ(Stored("75110")->parent_insee_code, "75056");
  EXPECT_EQ(Stored("01033")->former_names,
            (std::vector<std::string>{"Bellegarde-sur-Valserine", "Châtillon-en-Michaille"}));
  // Communes the file does not list stay as they were.
  EXPECT_EQ(Stored("62758")->precision, Precision::kPostalCode);

  // The default gazetteer no longer overwrites official rows, but still gives them an EPCI.
  const auto reloaded = LoadDefaultGazetteer(*db_, dir_ / "default.csv");
  ASSERT_TRUE(reloaded.ok());
  EXPECT_EQ(reloaded.value().kept, 3u);
  EXPECT_EQ(Stored("62318")->precision, Precision::kOfficial);
  EXPECT_DOUBLE_EQ(Stored("62318")->lat, 50.51377);
}

TEST_P(GazetteerRepositoryTest, RowsWithoutCoordinatesKeepTheStoredOnesOrBorrowAPostalNeighbours) {
  LoadDefault();
  const auto imported = ImportOfficialCommunes(
      *db_, Write("official.csv", testing_files::OfficialFile({
                                      OfficialRow("62318", "Étaples", "", "62630", "COM", "", "", "", "10869"),
                                      OfficialRow("85165", "Oie", "L'Oie", "85140", "COM", "", "", "", "1259"),
                                      OfficialRow("85084", "Essarts-en-Bocage", "Essarts-en-Bocage", "85140", "COM", "",
                                                  "46.77", "-1.23", "9200"),
                                  })));
  ASSERT_TRUE(imported.ok()) << imported.error().public_message;
  EXPECT_EQ(imported.value().coordinates_kept, 1u);
  EXPECT_EQ(imported.value().coordinates_borrowed, 1u);
  EXPECT_EQ(Stored("62318")->precision, Precision::kExact);
  EXPECT_DOUBLE_EQ(Stored("62318")->lat, 50.52194);
  EXPECT_EQ(Stored("85165")->precision, Precision::kPostalCode);
  EXPECT_DOUBLE_EQ(Stored("85165")->lat, 46.77);
  EXPECT_EQ(Stored("85165")->name, "L'Oie");
}

TEST_P(GazetteerRepositoryTest, AFailingFileWritesNothing) {
  LoadDefault();
  const std::vector<Commune> before = ReadCommunes(*db_);
  // Valid lines first, including updates of stored communes, then a bad one at the very end.
  const auto imported = ImportOfficialCommunes(
      *db_, Write("official.csv",
                  testing_files::OfficialFile({
                      testing_files::kEtaplesRow,
                      testing_files::kSaintJosseRow,
                      OfficialRow("13001", "Aix-en-Provence", "", "13080", "COM", "", "43.53601", "5.38793", "147478"),
                      OfficialRow("13002", "Allauch", "", "13190", "COM", "", "5.49", "43.33", "21000"),
                  })));
  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_NE(imported.error().public_message.find("ligne 5, colonne lat/lng"), std::string::npos)
      << imported.error().public_message;
  const std::vector<Commune> after = ReadCommunes(*db_);
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(after[i].insee_code, before[i].insee_code);
    EXPECT_EQ(after[i].precision, before[i].precision);
    EXPECT_EQ(after[i].lat, before[i].lat);
    EXPECT_EQ(after[i].population, before[i].population);
  }
}

TEST_P(GazetteerRepositoryTest, ARowWithNoCoordinatesAnywhereFailsTheWholeFile) {
  LoadDefault();
  const auto imported = ImportOfficialCommunes(
      *db_, Write("official.csv", testing_files::OfficialFile({
                                      testing_files::kEtaplesRow,
                                      OfficialRow("60694", "Hauts-Talican", "", "60390", "COM", "", "", "", "543"),
                                  })));
  ASSERT_FALSE(imported.ok());
  EXPECT_NE(imported.error().public_message.find("ligne 3, colonne lat : coordonnées manquantes"), std::string::npos)
      << imported.error().public_message;
  // Found inside the transaction, before any write: Étaples keeps its default point.
  EXPECT_EQ(CountCommunes(*db_), 5u);
  EXPECT_EQ(Stored("62318")->precision, Precision::kExact);
  EXPECT_DOUBLE_EQ(Stored("62318")->lat, 50.52194);
}

TEST_P(GazetteerRepositoryTest, AMissingFileIsNotFound) {
  const auto imported = ImportOfficialCommunes(*db_, dir_ / "absent.csv");
  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.error().code, core::ErrorCode::kNotFound);
  const auto loaded = LoadDefaultGazetteer(*db_, dir_ / "absent.csv");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, core::ErrorCode::kNotFound);
}

TEST_P(GazetteerRepositoryTest, ACoordinatorCorrectsACommuneAndImportsKeepTheCorrection) {
  LoadDefault();
  ASSERT_TRUE(CorrectCommune(*db_, "62758", 50.4676, 1.6637).ok());
  EXPECT_EQ(Stored("62758")->precision, Precision::kCorrected);
  EXPECT_DOUBLE_EQ(Stored("62758")->lat, 50.4676);

  const auto refused = [&](std::string_view insee, double lat, double lon, core::ErrorCode code) {
    const auto result = CorrectCommune(*db_, insee, lat, lon);
    return !result.ok() && result.error().code == code;
  };
  EXPECT_TRUE(refused("99999", 50.4, 1.6, core::ErrorCode::kNotFound));
  EXPECT_TRUE(refused("6275", 50.4, 1.6, core::ErrorCode::kInvalidInput));
  EXPECT_TRUE(refused("62758", 1.6637, 50.4676, core::ErrorCode::kInvalidInput));  // swapped
  EXPECT_TRUE(refused("62758", std::nan(""), 1.6, core::ErrorCode::kInvalidInput));
  // Paris is in metropolitan France but ~200 km from Saint-Josse: a probable typo.
  EXPECT_TRUE(refused("62758", 48.8566, 2.3522, core::ErrorCode::kInvalidInput));
  EXPECT_DOUBLE_EQ(Stored("62758")->lat, 50.4676);  // unchanged

  const auto imported =
      ImportOfficialCommunes(*db_, Write("official.csv", testing_files::OfficialFile({testing_files::kSaintJosseRow})));
  ASSERT_TRUE(imported.ok());
  EXPECT_EQ(imported.value().corrections_kept, 1u);
  const Commune* josse = Stored("62758");
  EXPECT_EQ(josse->precision, Precision::kCorrected);
  EXPECT_DOUBLE_EQ(josse->lat, 50.4676);
  EXPECT_EQ(josse->population, 1163);  // the rest is refreshed
  // Nor does the default gazetteer overwrite it.
  ASSERT_TRUE(LoadDefaultGazetteer(*db_, dir_ / "default.csv").ok());
  EXPECT_EQ(Stored("62758")->precision, Precision::kCorrected);
}

INSTANTIATE_TEST_SUITE_P(Backends, GazetteerRepositoryTest,
                         ::testing::Values(core::DatabaseBackend::kSqlite, core::DatabaseBackend::kPostgresql),
                         storage::testing::BackendName);

}  // namespace
}  // namespace passerelle::geo

namespace passerelle::geo {
namespace {

TEST_P(GazetteerRepositoryTest, TheImportCommandReportsASummaryOrEveryBadLine) {
  std::ostringstream out;
  std::ostringstream err;
  const fs::path good =
      Write("good.csv", testing_files::OfficialFile({testing_files::kEtaplesRow, testing_files::kSaintJosseRow}));
  EXPECT_EQ(RunGazetteerImport(*db_, good, out, err), 0);
  EXPECT_NE(out.str().find("2 ajoutées"), std::string::npos) << out.str();
  EXPECT_EQ(err.str(), "");
  out.str("");
  const fs::path bad =
      Write("bad.csv", testing_files::OfficialFile(
                           {OfficialRow("62999", "Nulle-Part", "Nulle-Part", "62999", "COM", "", "4x.5", "1.6", "10"),
                            testing_files::kEtaplesRow}));
  EXPECT_EQ(RunGazetteerImport(*db_, bad, out, err), 1);
  EXPECT_EQ(out.str(), "");
  EXPECT_NE(err.str().find("ligne 2, colonne lat"), std::string::npos) << err.str();
  EXPECT_EQ(CountCommunes(*db_), 2u);
  err.str("");
  EXPECT_EQ(RunGazetteerImport(*db_, dir_ / "absent.csv", out, err), 1);
  EXPECT_NE(err.str().find("introuvable"), std::string::npos) << err.str();
}

TEST_P(GazetteerRepositoryTest, TheLoadCommandLoadsTheDefaultGazetteer) {
  std::ostringstream out;
  std::ostringstream err;
  const fs::path file = Write("default.csv", testing_files::DefaultFile({testing_files::kDefaultEtaples}));
  EXPECT_EQ(RunGazetteerLoadDefault(*db_, file, out, err), 0);
  EXPECT_NE(out.str().find("1 ajoutées"), std::string::npos) << out.str();
  EXPECT_EQ(RunGazetteerLoadDefault(*db_, dir_ / "absent.csv", out, err), 1);
  EXPECT_NE(err.str().find("introuvable"), std::string::npos) << err.str();
  EXPECT_EQ(CountCommunes(*db_), 1u);
}

}  // namespace
}  // namespace passerelle::geo
