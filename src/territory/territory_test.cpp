#include <gtest/gtest.h>

#include <stdexcept>

#include "audit/audit_log.h"
#include "storage/testing.h"
#include "territory/demo.h"
#include "territory/live.h"
#include "territory/repository.h"
#include "territory/service.h"

namespace passerelle::territory {
namespace {

// Every case runs on SQLite and, through tests/pg/with-postgres.sh, on PostgreSQL.
class TerritoryTest : public storage::testing::BackendTest {
 protected:
  int Count(const std::string& query) {
    soci::session sql(db_->pool());
    int count = 0;
    sql << query, soci::into(count);
    return count;
  }
  std::string Text(const std::string& query) {
    soci::session sql(db_->pool());
    std::string text;
    sql << query, soci::into(text);
    return text;
  }
  const std::chrono::system_clock::time_point now_ = std::chrono::system_clock::now();
  const Author author_{"account:op-1"};
};

TEST_P(TerritoryTest, DemoTerritoriesAreValidAndRoundTrip) {
  TerritoryRepository repository(*db_);
  for (const Territory& t : DemoTerritories()) {
    ASSERT_TRUE(repository.Save(t, now_).ok()) << t.slug;
  }
  const auto montreuillois = repository.Find("montreuillois");
  ASSERT_TRUE(montreuillois.has_value());
  EXPECT_TRUE(montreuillois->is_demo);
  EXPECT_FALSE(montreuillois->archived);
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

TEST_P(TerritoryTest, SavingAgainReplacesCommunesWithoutDuplicates) {
  TerritoryRepository repository(*db_);
  Territory t = DemoTerritories()[1];
  ASSERT_TRUE(repository.Save(t, now_).ok());
  t.communes.resize(2);
  ASSERT_TRUE(repository.Save(t, now_).ok());
  EXPECT_EQ(repository.Find("montreuillois")->communes.size(), 2u);
}

TEST_P(TerritoryTest, InvalidTerritoriesAreRefusedNamingTheFieldAndWriteNothing) {
  TerritoryRepository repository(*db_);
  struct Case {
    const char* field;
    void (*mutate)(Territory&);
  };
  const Case cases[] = {
      {"slug", [](Territory& t) { t.slug = "Paris 10"; }},
      {"slug", [](Territory& t) { t.slug = "nouveau"; }},
      {"name", [](Territory& t) { t.name = "  "; }},
      {"centre", [](Territory& t) { t.centre_lat = 80; }},
      {"default_radius_km", [](Territory& t) { t.default_radius_km = 0; }},
      {"neutral_exit_url", [](Territory& t) { t.neutral_exit_url = "javascript:alert(1)"; }},
      {"communes", [](Territory& t) { t.communes[0].insee_code = "7511"; }},
      {"communes", [](Territory& t) { t.communes.clear(); }},
      {"communes", [](Territory& t) { t.communes.push_back(t.communes[0]); }},
      {"youth_services", [](Territory& t) { t.youth_services[0].phone = "appelez-nous"; }},
      {"youth_services", [](Territory& t) { t.youth_services[1].name.clear(); }},
      {"emergency_contacts", [](Territory& t) { t.emergency_contacts[0].kind = "fax"; }},
      {"emergency_contacts", [](Territory& t) { t.emergency_contacts[2].number = "1"; }},
      {"languages", [](Territory& t) { t.languages.clear(); }},
      {"languages",
       [](Territory& t) {
         t.languages = {"fr", "xx"};
       }},
      {"languages", [](Territory& t) { t.languages = {"en"}; }},
  };
  for (const Case& c : cases) {
    Territory t = DemoTerritories()[0];
    c.mutate(t);
    const auto result = repository.Save(t, now_);
    ASSERT_FALSE(result.ok()) << c.field;
    EXPECT_EQ(result.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_EQ(result.error().public_message.rfind(c.field, 0), 0u) << result.error().public_message;
    EXPECT_FALSE(TerritoryService(*db_).Create(t, author_, now_).ok()) << c.field;
  }
  EXPECT_TRUE(repository.ListAllSlugs().empty());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log"), 0);
}

TEST_P(TerritoryTest, CheckListsEveryProblemWithItsRow) {
  Territory t = DemoTerritories()[1];
  t.name.clear();
  t.youth_services[2].phone = "x";
  t.emergency_contacts[1].label.clear();
  const std::vector<Problem> problems = Check(t);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].field, "name");
  EXPECT_EQ(problems[0].row, -1);
  EXPECT_EQ(problems[1].field, "youth_services");
  EXPECT_EQ(problems[1].row, 2);
  EXPECT_EQ(problems[2].field, "emergency_contacts");
  EXPECT_EQ(problems[2].row, 1);
  EXPECT_TRUE(Check(DemoTerritories()[0]).empty());
}

TEST_P(TerritoryTest, CreateUpdateAndArchiveAreAuditedInTheirTransaction) {
  TerritoryService service(*db_);
  Territory t = DemoTerritories()[0];
  t.slug = "paris-18";
  t.is_demo = false;
  ASSERT_TRUE(service.Create(t, author_, now_).ok());
  // The same slug again is a conflict naming the slug.
  const auto again = service.Create(t, author_, now_);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, core::ErrorCode::kConflict);
  EXPECT_EQ(again.error().public_message.rfind("slug", 0), 0u);

  t.name = "Paris 18e arrondissement";
  t.communes.push_back({"75118", "Paris 18e Arrondissement", "75018"});
  ASSERT_TRUE(service.Update(t, author_, "territory.changed", now_).ok());
  EXPECT_EQ(service.Find("paris-18")->name, "Paris 18e arrondissement");
  EXPECT_EQ(service.Find("paris-18")->communes.size(), 2u);
  Territory unknown = t;
  unknown.slug = "lyon";
  EXPECT_EQ(service.Update(unknown, author_, "territory.changed", now_).error().code, core::ErrorCode::kNotFound);

  ASSERT_TRUE(service.SetArchived("paris-18", true, author_, now_).ok());
  EXPECT_TRUE(service.Find("paris-18")->archived);
  EXPECT_TRUE(service.ListSlugs().empty());
  EXPECT_EQ(service.ListAllSlugs(), (std::vector<std::string>{"paris-18"}));
  // Editing an archived territory keeps it archived.
  ASSERT_TRUE(service.Update(t, author_, "territory.changed", now_).ok());
  EXPECT_TRUE(service.Find("paris-18")->archived);
  ASSERT_TRUE(service.SetArchived("paris-18", false, author_, now_).ok());
  EXPECT_EQ(service.ListSlugs(), (std::vector<std::string>{"paris-18"}));
  EXPECT_EQ(service.SetArchived("lyon", true, author_, now_).error().code, core::ErrorCode::kNotFound);

  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE actor = 'account:op-1' AND object = 'territory:paris-18'"), 5);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'territory.created'"), 1);
  EXPECT_EQ(Text("SELECT detail FROM audit_log WHERE action = 'territory.changed' ORDER BY seq LIMIT 1"),
            "name,communes");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'territory.archived'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'territory.restored'"), 1);
  EXPECT_TRUE(audit::Verify(*db_).ok);
}

TEST_P(TerritoryTest, ListAllReadsWhatFindReadsAndTheLiveSetFollowsEveryWrite) {
  TerritoryRepository repository(*db_);
  for (const Territory& t : DemoTerritories()) ASSERT_TRUE(repository.Save(t, now_).ok());
  const std::vector<Territory> all = repository.ListAll();
  ASSERT_EQ(all.size(), 2u);
  for (const Territory& t : all) EXPECT_EQ(t, *repository.Find(t.slug)) << t.slug;

  LiveTerritories live([&repository] { return repository.ListAll(); });
  const auto before = live.Current();
  EXPECT_EQ(before->ActiveSlugs(), (std::vector<std::string>{"montreuillois", "paris-10"}));
  EXPECT_FALSE(live.Reload());  // nothing changed: the same snapshot
  EXPECT_EQ(live.Current(), before);

  TerritoryService service(*db_);
  Territory t = DemoTerritories()[0];
  t.slug = "paris-18";
  t.name = "Paris 18e";
  t.communes = {{"75118", "Paris 18e Arrondissement", "75018"}};
  ASSERT_TRUE(service.Create(t, author_, now_).ok());
  ASSERT_TRUE(live.Reload());
  const auto created = live.Current();
  ASSERT_NE(created->ActiveOfCommune("75118"), nullptr);
  EXPECT_EQ(created->ActiveOfCommune("75118")->name, "Paris 18e");
  EXPECT_EQ(created->active_communes.count("75118"), 1u);
  // A request that took the earlier snapshot reads it to its end.
  EXPECT_EQ(before->ActiveOfCommune("75118"), nullptr);
  EXPECT_EQ(before->Find("paris-18"), nullptr);

  t.youth_services = {{"Point Accueil Écoute Jeunes", "01 42 00 18 19", ""}};
  ASSERT_TRUE(service.Update(t, author_, "territory.settings", now_).ok());
  ASSERT_TRUE(live.Reload());
  EXPECT_EQ(live.Current()->Find("paris-18")->youth_services.front().name, "Point Accueil Écoute Jeunes");

  // Archived: found by its slug (its own site), no longer its communes' territory.
  ASSERT_TRUE(service.SetArchived("paris-18", true, author_, now_).ok());
  ASSERT_TRUE(live.Reload());
  EXPECT_EQ(live.Current()->ActiveOfCommune("75118"), nullptr);
  EXPECT_EQ(live.Current()->active_communes.count("75118"), 0u);
  ASSERT_NE(live.Current()->Find("paris-18"), nullptr);
  EXPECT_TRUE(live.Current()->Find("paris-18")->archived);
  EXPECT_EQ(live.Current()->ActiveSlugs(), (std::vector<std::string>{"montreuillois", "paris-10"}));
}

TEST(LiveTerritories, AFailedReloadKeepsTheSnapshot) {
  bool fail = false;
  Territory t;
  t.slug = "a";
  LiveTerritories live([&] {
    if (fail) throw std::runtime_error("database unreachable");
    return std::vector<Territory>{t};
  });
  const auto before = live.Current();
  fail = true;
  EXPECT_THROW(live.Reload(), std::runtime_error);
  EXPECT_EQ(live.Current(), before);
  EXPECT_EQ(live.Current()->ActiveSlugs(), (std::vector<std::string>{"a"}));
}

TEST(TerritoryCentre, ProposedFromTheCommunesPoints) {
  EXPECT_FALSE(ProposeCentre({}).has_value());
  const auto one = ProposeCentre({{48.8709, 2.3561}});
  ASSERT_TRUE(one.has_value());
  EXPECT_DOUBLE_EQ(one->lat, 48.8709);
  EXPECT_DOUBLE_EQ(one->radius_km, 1);  // at least a kilometre
  // Étaples and Berck: the middle, and half their distance (about 22 km) rounded up.
  const auto two = ProposeCentre({{50.52194, 1.63319}, {50.40750, 1.59250}});
  ASSERT_TRUE(two.has_value());
  EXPECT_NEAR(two->lat, 50.46472, 1e-5);
  EXPECT_NEAR(two->lon, 1.61285, 1e-5);
  EXPECT_DOUBLE_EQ(two->radius_km, 7);
}

INSTANTIATE_TEST_SUITE_P(Backends, TerritoryTest,
                         ::testing::Values(core::DatabaseBackend::kSqlite, core::DatabaseBackend::kPostgresql),
                         storage::testing::BackendName);

}  // namespace
}  // namespace passerelle::territory
