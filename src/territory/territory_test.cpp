#include <gtest/gtest.h>

#include <filesystem>

#include "core/crypto.h"
#include "storage/migrations.h"
#include "territory/demo.h"
#include "territory/repository.h"

namespace passerelle::territory {
namespace {

namespace fs = std::filesystem;

class TerritoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    core::InitCrypto();
    dir_ = fs::temp_directory_path() / ("passerelle-territory-" + core::RandomHex(6));
    fs::create_directories(dir_);
    db_ = storage::Database::Open(core::ParseDatabaseUrl("sqlite:" + (dir_ / "t.db").string()), 2);
    const char* assets = std::getenv("PASSERELLE_ASSETS_DIR");
    storage::ApplyMigrations(*db_, storage::LoadMigrations(fs::path(assets ? assets : ".") / "migrations"));
  }
  void TearDown() override {
    db_.reset();
    fs::remove_all(dir_);
  }
  fs::path dir_;
  std::unique_ptr<storage::Database> db_;
};

TEST_F(TerritoryTest, DemoTerritoriesAreValidAndRoundTrip) {
  TerritoryRepository repository(*db_);
  for (const Territory& t : DemoTerritories()) {
    ASSERT_TRUE(repository.Save(t, std::chrono::system_clock::now()).ok()) << t.slug;
  }
  const auto montreuillois = repository.Find("montreuillois");
  ASSERT_TRUE(montreuillois.has_value());
  EXPECT_TRUE(montreuillois->is_demo);
  EXPECT_EQ(montreuillois->youth_services.front().phone, "03 91 18 15 80");
  EXPECT_GE(montreuillois->communes.size(), 4u);
  const auto paris = repository.Find("paris-10");
  ASSERT_TRUE(paris.has_value());
  ASSERT_EQ(paris->communes.size(), 1u);
  EXPECT_EQ(paris->communes[0].insee_code, "75110");
  EXPECT_EQ(paris->communes[0].postal_code, "75010");
  EXPECT_TRUE(repository.AnyDemo());
  EXPECT_EQ(repository.ListSlugs(), (std::vector<std::string>{"montreuillois", "paris-10"}));
}

TEST_F(TerritoryTest, SavingAgainReplacesCommunesWithoutDuplicates) {
  TerritoryRepository repository(*db_);
  Territory t = DemoTerritories()[1];
  ASSERT_TRUE(repository.Save(t, std::chrono::system_clock::now()).ok());
  t.communes.resize(2);
  ASSERT_TRUE(repository.Save(t, std::chrono::system_clock::now()).ok());
  EXPECT_EQ(repository.Find("montreuillois")->communes.size(), 2u);
}

TEST_F(TerritoryTest, InvalidTerritoriesAreRefusedNamingTheFieldAndWriteNothing) {
  TerritoryRepository repository(*db_);
  struct Case {
    const char* field;
    void (*mutate)(Territory&);
  };
  const Case cases[] = {
      {"slug", [](Territory& t) { t.slug = "Paris 10"; }},
      {"name", [](Territory& t) { t.name.clear(); }},
      {"centre", [](Territory& t) { t.centre_lat = 80; }},
      {"default_radius_km", [](Territory& t) { t.default_radius_km = 0; }},
      {"neutral_exit_url", [](Territory& t) { t.neutral_exit_url = "javascript:alert(1)"; }},
      {"communes", [](Territory& t) { t.communes[0].insee_code = "7511"; }},
      {"communes", [](Territory& t) { t.communes.clear(); }},
      {"languages", [](Territory& t) { t.languages.clear(); }},
  };
  for (const Case& c : cases) {
    Territory t = DemoTerritories()[0];
    c.mutate(t);
    const auto result = repository.Save(t, std::chrono::system_clock::now());
    ASSERT_FALSE(result.ok()) << c.field;
    EXPECT_EQ(result.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_EQ(result.error().public_message.rfind(c.field, 0), 0u) << result.error().public_message;
  }
  EXPECT_TRUE(repository.ListSlugs().empty());
}

}  // namespace
}  // namespace passerelle::territory
