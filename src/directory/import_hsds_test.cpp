// The HSDS reader of the import on SQLite and PostgreSQL: every rejection path with its JSON
// path, duplicate ids, ids derived when missing, hostile files.
#include <gtest/gtest.h>

#include "directory/import_test_support.h"
#include "directory/repository.h"

namespace passerelle::directory::testing {
namespace {

TEST_P(ImportTest, HsdsImportsOrganizationsWithLocationsAndServices) {
  auto report = Import(Format::kHsds, kHsds);
  ASSERT_TRUE(report.ok()) << report.error().public_message;
  ASSERT_TRUE(report.value().rejected.empty()) << report.value().rejected.front().reason;
  EXPECT_EQ(report.value().created, 1u);
  soci::session sql(db_->pool());
  const auto h = DirectoryRepository(sql).Find("org-h");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->territory_slug, "paris-10");
  EXPECT_EQ(h->locations.at(0).address, "5 rue H");
  EXPECT_EQ(h->services.at(0).languages, (std::vector<std::string>{"fr", "ar"}));
  EXPECT_EQ(h->services.at(0).categories, std::vector<Category>{Category::kLegalAdvice});
}

TEST_P(ImportTest, HsdsEveryRejectionIsNamedWithItsJsonPathAndReason) {
  const struct {
    const char* name;
    std::string text;
    const char* path;
    const char* expected;
  } cases[] = {
      {"missing name", HsdsWith(R"("name": "Maison H")", R"("name": "")"), "$.organizations[0].name",
       "le nom est obligatoire"},
      {"unknown category", HsdsWith("legal-advice", "voyance"), "$.organizations[0].services[0].categories[0]",
       "catégorie inconnue « voyance »"},
      {"outside France", HsdsWith("48.873", "-33.9"), "$.organizations[0].locations[0].latitude",
       "coordonnées hors de France"},
      {"invalid hours", HsdsWith("Tu 14:00", "Tu 14h00"), "$.organizations[0].services[0].opening_hours",
       "position 4: heure invalide « 14h00 »"},
      {"invalid phone", HsdsWith("01 99 00 20 01", "01 99"), "$.organizations[0].phones[0].number", "numéro invalide"},
      {"wrong type", HsdsWith(R"("latitude": 48.873)", R"("latitude": "48.873")"),
       "$.organizations[0].locations[0].latitude", "nombre attendu"},
      {"not an object", R"({"organizations": [42]})", "$.organizations[0]", "objet attendu"},
      {"other territory", HsdsWith(R"("id": "org-h",)", R"("id": "org-h", "territory": "montreuillois",)"),
       "$.organizations[0].territory", "organisation du territoire « montreuillois »"},
      {"unknown location", HsdsWith(R"({"location_id": "loc-h"})", R"({"location_id": "loc-x"})"),
       "$.organizations[0].services[0].service_at_locations", "lieu inconnu « loc-x »"},
      {"missing postal code", HsdsWith(R"("postal_code": "75010",)", ""),
       "$.organizations[0].locations[0].addresses[0].postal_code", "code postal invalide"},
      {"unknown language", HsdsWith(R"({"code": "fr"})", R"({"code": "xx"})"),
       "$.organizations[0].services[0].languages", "code de langue inconnu « xx »"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string before = Snapshot();
    const Rejection r = OnlyRejection(Import(Format::kHsds, c.text));
    EXPECT_EQ(r.line, 0u);
    EXPECT_EQ(r.json_path, c.path);
    EXPECT_EQ(r.Where(), c.path);
    EXPECT_NE(r.reason.find(c.expected), std::string::npos) << r.reason;
    EXPECT_EQ(Snapshot(), before);
  }
}

TEST_P(ImportTest, HsdsDuplicateIdsAreRejectedWhereTheyRepeat) {
  std::string twice = kHsds;
  const std::string organization = twice.substr(twice.find('{', 1), twice.rfind(']') - twice.find('{', 1));
  twice.insert(twice.rfind(']'), "," + organization);
  auto report = Import(Format::kHsds, twice);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report.value().rejected.size(), 1u);
  EXPECT_EQ(report.value().rejected[0].json_path, "$.organizations[1].id");
  EXPECT_NE(report.value().rejected[0].reason.find("identifiant en double (déjà $.organizations[0])"),
            std::string::npos);

  std::string other = organization;
  other.replace(other.find("org-h"), 5, "org-i");
  std::string service_thief = kHsds;
  service_thief.insert(service_thief.rfind(']'), "," + other);
  report = Import(Format::kHsds, service_thief);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report.value().rejected.size(), 1u);
  EXPECT_EQ(report.value().rejected[0].json_path, "$.organizations[1].locations[0].id");
  EXPECT_EQ(Count("organization"), 0);
}

TEST_P(ImportTest, HsdsFileErrorsStopEverything) {
  auto broken = Import(Format::kHsds, "{\"organizations\": [\n  {\"id\": }\n]}");
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().public_message.find("JSON invalide ligne 2"), std::string::npos)
      << broken.error().public_message;
  auto no_list = Import(Format::kHsds, R"({"services": []})");
  ASSERT_FALSE(no_list.ok());
  EXPECT_NE(no_list.error().public_message.find("« organizations » attendue"), std::string::npos);
  EXPECT_EQ(Count("organization"), 0);
}

TEST_P(ImportTest, HsdsWithoutIdsDerivesDistinctIds) {
  const std::string text = R"({"organizations": [
    {"name": "Maison Sans Id", "phones": [{"number": "01 99 00 20 01"}],
     "locations": [{"name": "Accueil", "latitude": 48.873, "longitude": 2.357,
                    "addresses": [{"address_1": "5 rue H", "postal_code": "75010", "city": "Paris",
                                   "insee_code": "75110"}]}],
     "services": [{"name": "Permanence", "categories": ["legal-advice"],
                   "service_at_locations": [{"location_id": ""}]}]},
    {"name": "Autre Maison Sans Id", "phones": [{"number": "01 99 00 20 02"}],
     "services": [{"name": "Permanence", "categories": ["legal-advice"]}]}
  ]})";
  auto report = Import(Format::kHsds, text);
  ASSERT_TRUE(report.ok()) << report.error().public_message;
  ASSERT_TRUE(report.value().rejected.empty()) << report.value().rejected.front().reason;
  EXPECT_EQ(report.value().created, 2u);
  EXPECT_EQ(Count("organization"), 2);
  EXPECT_EQ(Count("service"), 2);
  const auto& ids = report.value().changed_organization_ids;
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_NE(ids[0], ids[1]);
}

// Hostile files (issue 15): each is refused whole, never read out of bounds.
TEST_P(ImportTest, HsdsHostileFilesAreRefusedWithoutCrashing) {
  const std::string before = Snapshot();
  const struct {
    const char* name;
    std::string text;
    const char* expected;
  } cases[] = {
      {"empty", "", "JSON invalide ligne 1"},
      {"byte order mark only", "\xEF\xBB\xBF", "JSON invalide"},
      {"deep nesting", std::string(100000, '[') + std::string(100000, ']'), ""},
      {"unterminated", "{\"organizations\": [", "JSON invalide"},
      {"not a list", "{\"organizations\": 3}", "liste « organizations » attendue"},
      {"a number", "42", "liste « organizations » attendue"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto report = Import(Format::kHsds, c.text);
    if (report.ok()) {
      EXPECT_FALSE(report.value().written && report.value().created > 0);
    } else {
      EXPECT_NE(report.error().public_message.find(c.expected), std::string::npos) << report.error().public_message;
    }
  }
  // An age of 2^64 - 1 (it would wrap to -1 as a signed number).
  auto huge =
      Import(Format::kHsds, HsdsWith("\"name\": \"Permanence juridique\",",
                                     "\"name\": \"Permanence juridique\", \"minimum_age\": 18446744073709551615,"));
  ASSERT_TRUE(huge.ok());
  ASSERT_EQ(huge.value().rejected.size(), 1u);
  EXPECT_EQ(huge.value().rejected[0].json_path, "$.organizations[0].services[0].minimum_age");
  EXPECT_NE(huge.value().rejected[0].reason.find("nombre entier attendu"), std::string::npos)
      << huge.value().rejected[0].reason;  // not read as -1 ("âge invalide")
  // Objects of the wrong shape are rejected one by one.
  auto report = Import(Format::kHsds, R"({"organizations": [null, 3, [], {"name": 5}, {"name": "A", "phones": "x"}]})");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report.value().rejected.size(), 5u);
  EXPECT_EQ(Snapshot(), before);
}

}  // namespace
}  // namespace passerelle::directory::testing
