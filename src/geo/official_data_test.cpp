// Checks against the official communes file of the shared test data (../shared/data/communes-fr.csv
// next to the repository; never copied into it): the whole file imports, and the default
// gazetteer's coordinates are measured against it. Skipped when either file is absent.
//   PASSERELLE_ASSETS_DIR=$PWD build-geo/src/geo/geo_test --gtest_filter='OfficialData.*'
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <unordered_map>

#include "core/crypto.h"
#include "geo/commune_files.h"
#include "geo/distance.h"
#include "geo/gazetteer.h"
#include "geo/repository.h"
#include "storage/migrations.h"

namespace passerelle::geo {
namespace {

namespace fs = std::filesystem;

fs::path AssetsDir() {
  const char* assets = std::getenv("PASSERELLE_ASSETS_DIR");
  return fs::path(assets ? assets : ".");
}

fs::path OfficialPath() { return AssetsDir() / ".." / "shared" / "data" / "communes-fr.csv"; }
fs::path DefaultPath() { return AssetsDir() / "build" / "gazetteer" / "communes.csv"; }

// Nearest-rank percentile of sorted values.
double Percentile(const std::vector<double>& sorted, double p) {
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::max<std::size_t>(rank, 1) - 1];
}

TEST(OfficialData, TheWholeFileImports) {
  if (!fs::exists(OfficialPath())) GTEST_SKIP() << OfficialPath() << " absent: no shared test data here";
  core::InitCrypto();
  const fs::path dir = fs::temp_directory_path() / ("passerelle-official-" + core::RandomHex(6));
  fs::create_directories(dir);
  {
    auto db = storage::Database::Open(core::ParseDatabaseUrl("sqlite:" + (dir / "t.db").string()), 1);
    storage::ApplyMigrations(*db, storage::LoadMigrations(AssetsDir() / "migrations"));
    const auto imported = ImportOfficialCommunes(*db, OfficialPath());
    ASSERT_TRUE(imported.ok()) << imported.error().public_message;
    const ImportSummary& s = imported.value();
    // 36,208 rows: 35,369 COM rows for 34,931 communes (one row per postal code: 34,802 in
    // metropolitan France and 129 overseas), 46 ARM rows for 45 arrondissements (Paris 16e has
    // two postal codes) and 793 COMD rows kept as names. Counted independently of this code
    // (distinct insee_com per commune_type).
    EXPECT_EQ(s.rows, 36208u);
    EXPECT_EQ(s.delegated_rows, 793u);
    EXPECT_EQ(s.communes, 34931u);
    EXPECT_EQ(s.arrondissements, 45u);
    EXPECT_EQ(s.inserted, 34976u);
    // Hauts-Talican, L'Oie and Sainte-Florence have no coordinates in the file.
    EXPECT_EQ(s.coordinates_borrowed, 3u);
    EXPECT_EQ(CountCommunes(*db), 34976u);

    const Gazetteer gazetteer(ReadCommunes(*db));
    EXPECT_EQ(gazetteer.FindByPostalCode("75116").front()->insee_code, "75116");
    EXPECT_EQ(gazetteer.FindByInsee("75116")->postal_codes, (std::vector<std::string>{"75016", "75116"}));
    const auto bellegarde = gazetteer.Complete("bellegarde sur", 5);
    ASSERT_FALSE(bellegarde.empty());
    EXPECT_EQ(bellegarde.front().commune->name, "Valserhône");
    std::printf("official import: %zu rows, %zu communes, %zu arrondissements, %zu COMD names\n", s.rows, s.communes,
                s.arrondissements, s.delegated_rows);
  }
  fs::remove_all(dir);
}

TEST(OfficialData, MeasuresTheDefaultGazetteer) {
  if (!fs::exists(OfficialPath())) GTEST_SKIP() << OfficialPath() << " absent: no shared test data here";
  if (!fs::exists(DefaultPath())) GTEST_SKIP() << DefaultPath() << " not built: run `node scripts/build-gazetteer.mjs`";
  std::ifstream in(OfficialPath(), std::ios::binary);
  const CommuneFile official = ParseOfficialCommunes(in);
  ASSERT_EQ(official.issue_count, 0u);
  std::unordered_map<std::string, const Commune*> reference;
  for (const ParsedCommune& parsed : official.communes) {
    if (parsed.has_coordinates) reference.emplace(parsed.commune.insee_code, &parsed.commune);
  }
  const auto defaults = ReadGazetteerCsv(DefaultPath());
  ASSERT_TRUE(defaults.ok()) << defaults.error().public_message;

  struct Group {
    std::vector<double> km;
    std::int64_t population = 0;
  };
  std::map<std::string, Group> groups;
  std::size_t unmatched = 0;
  std::int64_t total_population = 0;
  for (const Commune& commune : defaults.value()) {
    const auto found = reference.find(commune.insee_code);
    if (found == reference.end()) {
      ++unmatched;
      continue;
    }
    const double km = HaversineKm(commune.lat, commune.lon, found->second->lat, found->second->lon);
    for (const std::string& key :
         {std::string(ToString(commune.precision)),
          std::string(IsApproximate(commune.precision) ? "approximate" : "(exact)"), std::string("all")}) {
      groups[key].km.push_back(km);
      groups[key].population += found->second->population;
    }
    total_population += found->second->population;
  }
  std::printf("default gazetteer vs official file: %zu communes compared, %zu not in the file\n",
              groups["all"].km.size(), unmatched);
  std::printf("%-18s %7s %7s %9s %8s %8s %8s\n", "precision", "count", "share", "pop share", "median", "p90", "max");
  for (auto& [name, group] : groups) {
    std::sort(group.km.begin(), group.km.end());
    std::printf("%-18s %7zu %6.1f%% %8.1f%% %6.2fkm %6.2fkm %6.1fkm\n", name.c_str(), group.km.size(),
                100.0 * static_cast<double>(group.km.size()) / static_cast<double>(groups["all"].km.size()),
                100.0 * static_cast<double>(group.population) / static_cast<double>(total_population),
                Percentile(group.km, 0.5), Percentile(group.km, 0.9), group.km.back());
  }
  // Regression guards, loose enough for yearly data updates.
  EXPECT_GT(groups["all"].km.size(), 34000u);
  EXPECT_LT(Percentile(groups["exact"].km, 0.5), 2.0);
  EXPECT_LT(Percentile(groups["exact"].km, 0.9), 5.0);
  EXPECT_LT(Percentile(groups["postal_code"].km, 0.5), 10.0);
  EXPECT_LT(Percentile(groups["epci_seat"].km, 0.5), 25.0);
  EXPECT_GT(groups["exact"].km.size(), 8000u);
}

}  // namespace
}  // namespace passerelle::geo
