// Import and export on SQLite and PostgreSQL: every rejection path of the CSV and HSDS readers,
// all-or-nothing, --skip-invalid, --dry-run, round trips, and confidential addresses kept out of
// public exports.
#include "directory/import.h"

#include <gtest/gtest.h>

#include <set>

#include "directory/export.h"
#include "directory/repository.h"
#include "directory/test_support.h"

namespace passerelle::directory {
namespace {

using testing::DirectoryDbTest;

constexpr const char* kHeader =
    "organization_id,organization_name,phones,service_id,service_name,categories,opening_hours,"
    "location_id,address,postal_code,city,insee_code,latitude,longitude,confidential\n";
constexpr const char* kRowA =
    "org-a,Association A,01 99 00 10 01 (accueil),svc-a,Écoute,victim-support-association,"
    "Mo-Fr 09:00-17:00,loc-a,12 rue du Test,75010,Paris,75110,48.87,2.36,false\n";
constexpr const char* kRowB =
    "org-b,Foyer B,01 99 00 10 02;text:06 99 00 10 02 (SMS),svc-b,Hébergement,shelter,24/7,"
    "loc-b,3 impasse Secrète,75010,Paris,75110,48.8712,2.3611,true\n";
// The secret parts of loc-b, which no public output may hold.
constexpr const char* kSecretAddress = "impasse Secrète";
constexpr const char* kSecretLatitude = "48.8712";

std::string Csv(std::initializer_list<std::string> rows) {
  std::string out = kHeader;
  for (const std::string& row : rows) out += row;
  return out;
}

// The single rejection of a file, which must have been refused without writing anything.
Rejection OnlyRejection(const core::Result<ImportReport>& report) {
  EXPECT_TRUE(report.ok()) << (report.ok() ? "" : report.error().public_message);
  if (!report.ok()) return {};
  EXPECT_FALSE(report.value().written);
  EXPECT_EQ(report.value().rejected.size(), 1u);
  return report.value().rejected.empty() ? Rejection{} : report.value().rejected.front();
}

class ImportTest : public DirectoryDbTest {};

// ---- CSV -------------------------------------------------------------------------------------

TEST_P(ImportTest, CsvCreatesThenReportsUnchangedThenUpdated) {
  auto first = Import(Format::kCsv, Csv({kRowA, kRowB}));
  ASSERT_TRUE(first.ok()) << first.error().public_message;
  EXPECT_TRUE(first.value().written);
  EXPECT_EQ(first.value().entries, 2u);
  EXPECT_EQ(first.value().created, 2u);
  EXPECT_TRUE(first.value().rejected.empty());
  EXPECT_EQ(Count("organization"), 2);
  EXPECT_EQ(Count("phone"), 3);

  soci::session sql(db_->pool());
  const auto b = DirectoryRepository(sql).Find("org-b");
  ASSERT_TRUE(b);
  ASSERT_EQ(b->phones.size(), 2u);
  EXPECT_EQ(b->phones[1].type, PhoneType::kText);
  EXPECT_EQ(b->phones[1].description, "SMS");
  EXPECT_TRUE(b->locations.at(0).confidential);
  EXPECT_EQ(b->services.at(0).location_ids, std::vector<std::string>{"loc-b"});

  auto again = Import(Format::kCsv, Csv({kRowA, kRowB}));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value().unchanged, 2u);
  EXPECT_EQ(again.value().created + again.value().updated, 0u);

  std::string renamed = kRowA;
  renamed.replace(renamed.find("Association A"), 13, "Association A2");
  auto updated = Import(Format::kCsv, Csv({renamed, kRowB}));
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated.value().updated, 1u);
  EXPECT_EQ(updated.value().unchanged, 1u);
  EXPECT_EQ(updated.value().changed_organization_ids, std::vector<std::string>{"org-a"});
  EXPECT_EQ(DirectoryRepository(sql).Find("org-a")->name, "Association A2");
}

TEST_P(ImportTest, CsvRowsOfOneOrganizationShareItAndGiveAServiceSeveralPlaces) {
  const std::string second_place =
      "org-a,,,svc-a,,,,loc-a2,1 place du Test,75010,Paris,75110,48.872,2.358,false\n";
  auto report = Import(Format::kCsv, Csv({kRowA, second_place}));
  ASSERT_TRUE(report.ok());
  ASSERT_TRUE(report.value().rejected.empty()) << report.value().rejected.front().reason;
  soci::session sql(db_->pool());
  const auto a = DirectoryRepository(sql).Find("org-a");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->locations.size(), 2u);
  EXPECT_EQ(a->services.at(0).location_ids, (std::vector<std::string>{"loc-a", "loc-a2"}));
}

struct CsvCase {
  const char* name;
  std::string row;       // replaces kRowA as line 2
  const char* expected;  // in the reason
};

TEST_P(ImportTest, CsvEveryRejectedRowIsNamedWithItsLineAndReason) {
  const auto with = [](std::string_view from, std::string_view to) {
    std::string row = kRowA;
    row.replace(row.find(from), from.size(), to);
    return row;
  };
  const CsvCase cases[] = {
      {"missing name", with("org-a,Association A", ",,"), "organization_name : le nom est obligatoire"},
      {"unknown category", with("victim-support-association", "voyance"), "categories : catégorie inconnue « voyance »"},
      {"coordinates outside France", with("48.87,2.36", "40.71,-74.0"), "latitude : coordonnées hors de France"},
      {"invalid opening hours", with("Mo-Fr 09:00-17:00", "Mo-Fr 09:00-25:00"), "opening_hours : position"},
      {"invalid phone", with("01 99 00 10 01 (accueil)", "12 34"), "phones : numéro invalide « 12 34 »"},
      {"unknown phone type", with("01 99 00 10 01", "pager:01 99 00 10 01"), "phones : type de numéro inconnu"},
      {"latitude not a number", with("48.87,", "nord,"), "latitude : nombre attendu"},
      {"invalid flag", with(",false\n", ",peut-être\n"), "confidential : valeur invalide"},
      {"invalid postal code", with("75010", "7501"), "postal_code : code postal invalide"},
      {"address missing", with("12 rue du Test", ""), "address : l'adresse est obligatoire"},
      {"too many fields", with("\n", ",en trop\n"), "16 champs pour 15 colonnes"},
      {"invalid id", with("svc-a", "svc a"), "service_id : identifiant invalide"},
  };
  for (const CsvCase& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string before = Snapshot();
    const Rejection r = OnlyRejection(Import(Format::kCsv, Csv({c.row})));
    EXPECT_EQ(r.line, 2u);
    EXPECT_EQ(r.Where(), "line 2");
    EXPECT_NE(r.reason.find(c.expected), std::string::npos) << r.reason;
    EXPECT_EQ(Snapshot(), before);
  }
}

TEST_P(ImportTest, CsvDuplicateIdsAndConflictingRepeats) {
  // A service id given by two organizations.
  std::string thief = kRowB;
  thief.replace(thief.find("svc-b"), 5, "svc-a");
  auto report = Import(Format::kCsv, Csv({kRowA, thief}));
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report.value().rejected.size(), 1u);
  EXPECT_EQ(report.value().rejected[0].line, 3u);
  EXPECT_NE(report.value().rejected[0].reason.find("service_id : identifiant en double"), std::string::npos);
  EXPECT_EQ(Count("organization"), 0);

  // A second row of org-a contradicting the first one.
  const std::string contradiction = "org-a,Autre nom,,,,,,,,,,,,,\n";
  report = Import(Format::kCsv, Csv({kRowA, contradiction}));
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report.value().rejected.size(), 2u);  // the culprit and its sibling row
  EXPECT_EQ(report.value().rejected[0].line, 2u);
  EXPECT_NE(report.value().rejected[0].reason.find("non importée : la ligne 3 est refusée"), std::string::npos);
  EXPECT_EQ(report.value().rejected[1].line, 3u);
  EXPECT_NE(report.value().rejected[1].reason.find("organization_name : diffère de la ligne 2"), std::string::npos);

  // An id already taken in the database by another organization.
  ASSERT_TRUE(Import(Format::kCsv, Csv({kRowA})).value().written);
  const Rejection r = OnlyRejection(Import(Format::kCsv, Csv({thief})));
  EXPECT_EQ(r.line, 2u);
  EXPECT_NE(r.reason.find("service_id : identifiant déjà utilisé par l'organisation « org-a »"), std::string::npos)
      << r.reason;
}

TEST_P(ImportTest, CsvFileErrorsStopEverything) {
  const struct {
    const char* name;
    std::string text;
    const char* expected;
  } cases[] = {
      {"empty", "", "ligne 1 : fichier vide"},
      {"unknown column", "organization_name,couleur\nA,bleu\n", "ligne 1 : colonne inconnue « couleur »"},
      {"duplicate column", "organization_name,organization_name\nA,A\n", "colonne en double"},
      {"no name column", "organization_id\norg-a\n", "la colonne organization_name manque"},
      {"unterminated quote", std::string(kHeader) + "\"org-a,A\n", "ligne 2 : guillemet jamais refermé"},
      {"not UTF-8", std::string(kHeader) + "org-a,Caf\xE9\n", "ligne 2 : le fichier n'est pas en UTF-8"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto report = Import(Format::kCsv, c.text);
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_NE(report.error().public_message.find(c.expected), std::string::npos) << report.error().public_message;
  }
  auto unknown_territory = Import(Format::kCsv, Csv({kRowA}), ImportMode::kAllOrNothing, DryRun::kNo, "atlantide");
  ASSERT_FALSE(unknown_territory.ok());
  EXPECT_EQ(unknown_territory.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(Count("organization"), 0);
}

// Issue 15 F3: the first row of org-x was refused (one field too many) before its cells were
// kept, and the second row of org-x was compared with an empty list: a crash (SIGSEGV) in every
// mode. Both rows must be refused with their own reasons and nothing written.
TEST_P(ImportTest, CsvARefusedFirstRowDoesNotBreakTheRowsRepeatingItsId) {
  const std::string text = "organization_id,organization_name\norg-x,Nom A,champ en trop\norg-x,Nom B\n";
  for (const ImportMode mode : {ImportMode::kAllOrNothing, ImportMode::kSkipInvalid}) {
    for (const DryRun dry_run : {DryRun::kNo, DryRun::kYes}) {
      SCOPED_TRACE(std::string(mode == ImportMode::kSkipInvalid ? "skip-invalid" : "all-or-nothing") +
                   (dry_run == DryRun::kYes ? " dry run" : ""));
      auto report = Import(Format::kCsv, text, mode, dry_run);
      ASSERT_TRUE(report.ok()) << report.error().public_message;
      const ImportReport& r = report.value();
      EXPECT_EQ(r.entries, 2u);
      EXPECT_EQ(r.created + r.updated + r.unchanged, 0u);
      ASSERT_EQ(r.rejected.size(), 2u);
      EXPECT_EQ(r.rejected[0].line, 2u);
      EXPECT_NE(r.rejected[0].reason.find("3 champs pour 2 colonnes"), std::string::npos) << r.rejected[0].reason;
      EXPECT_EQ(r.rejected[1].line, 3u);
      EXPECT_NE(r.rejected[1].reason.find("non importée : la ligne 2 est refusée"), std::string::npos)
          << r.rejected[1].reason;
      EXPECT_EQ(Count("organization"), 0);
    }
  }
  // A third row is compared with the second, the first that could be read.
  auto report = Import(Format::kCsv, text + "org-x,Nom C\n");
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report.value().rejected.size(), 3u);
  EXPECT_EQ(report.value().rejected[2].line, 4u);
  EXPECT_NE(report.value().rejected[2].reason.find("organization_name : diffère de la ligne 3"), std::string::npos)
      << report.value().rejected[2].reason;
  // The same with a first row refused for a bad cell, and a service repeated on a later row.
  const std::string services =
      "organization_id,organization_name,accepts_referrals,service_id,service_name,categories\n"
      "org-y,Nom Y,peut-être,svc-y,Écoute,victim-support-association\n"
      "org-y,,,svc-y,Écoute,victim-support-association\n"
      "org-y,,,svc-y,Autre,victim-support-association\n";
  report = Import(Format::kCsv, services, ImportMode::kSkipInvalid);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report.value().rejected.size(), 3u);
  EXPECT_EQ(Count("organization"), 0);
}

// Issue 10 §7: rows without organization_id, location_id and service_id. Ids derived from an
// 8-byte hash aborted on an assert (debug) or were all the same (release), so that every
// organization overwrote the previous one. Runs in the release build too.
TEST_P(ImportTest, CsvWithoutIdsDerivesDistinctStableIds) {
  const std::string text =
      "organization_name,phones,service_name,categories,address,postal_code,city,insee_code,latitude,longitude\n"
      "Association Sans Id,01 99 00 10 01,Écoute,victim-support-association,12 rue du Test,75010,Paris,75110,"
      "48.87,2.36\n"
      "Foyer Sans Id,01 99 00 10 02,Hébergement,shelter,3 rue Autre,75010,Paris,75110,48.871,2.361\n"
      "Association Sans Id,,Permanence juridique,legal-advice,12 rue du Test,75010,Paris,75110,48.87,2.36\n"
      "Cabinet Sans Id,01 99 00 10 03,Écoute,lawyer,4 rue Autre,75010,Paris,75110,48.872,2.362\n";
  auto first = Import(Format::kCsv, text);
  ASSERT_TRUE(first.ok()) << first.error().public_message;
  ASSERT_TRUE(first.value().rejected.empty()) << first.value().rejected.front().reason;
  EXPECT_TRUE(first.value().written);
  EXPECT_EQ(first.value().created, 3u);
  EXPECT_EQ(Count("organization"), 3);
  EXPECT_EQ(Count("location"), 3);
  EXPECT_EQ(Count("service"), 4);
  const std::vector<std::string> ids = first.value().changed_organization_ids;
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 3u);
  for (const std::string& id : ids) {
    EXPECT_TRUE(id.starts_with("org-")) << id;
    EXPECT_EQ(id.size(), 4 + 32u) << id;
  }
  soci::session sql(db_->pool());
  const auto association = DirectoryRepository(sql).Find(ids[0]);
  ASSERT_TRUE(association);
  EXPECT_EQ(association->name, "Association Sans Id");
  ASSERT_EQ(association->services.size(), 2u);
  EXPECT_NE(association->services[0].id, association->services[1].id);
  ASSERT_EQ(association->locations.size(), 1u);
  EXPECT_EQ(association->services[1].location_ids, std::vector<std::string>{association->locations[0].id});
  // Imported again, the file finds the same rows.
  auto again = Import(Format::kCsv, text);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value().unchanged, 3u);
  EXPECT_EQ(again.value().created + again.value().updated, 0u);
  EXPECT_EQ(Count("organization"), 3);
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

// ---- atomicity, --skip-invalid, --dry-run ----------------------------------------------------

TEST_P(ImportTest, AFailingRowLeavesNoTraceEvenAfterValidOnes) {
  ASSERT_TRUE(Import(Format::kCsv, Csv({kRowA})).value().written);
  const std::string before = Snapshot();
  std::string renamed = kRowA;
  renamed.replace(renamed.find("Association A"), 13, "Association A2");
  std::string bad = kRowB;
  bad.replace(bad.find("shelter"), 7, "voyance");
  auto report = Import(Format::kCsv, Csv({renamed, bad}));
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report.value().written);
  EXPECT_EQ(report.value().updated, 1u);  // what it would have done
  EXPECT_EQ(report.value().rejected.size(), 1u);
  EXPECT_EQ(Snapshot(), before);
  soci::session sql(db_->pool());
  EXPECT_EQ(DirectoryRepository(sql).Find("org-a")->name, "Association A");
}

TEST_P(ImportTest, AConflictFoundWhileWritingRollsBackWhatWasWritten) {
  // org-z is valid and written first; org-y then takes a location id owned in the database by
  // org-a: the whole import is rolled back, org-z included.
  ASSERT_TRUE(Import(Format::kCsv, Csv({kRowA})).value().written);
  const std::string before = Snapshot();
  const std::string z = "org-c,Cabinet C,,svc-c,Conseil,lawyer,,loc-c,1 rue C,75010,Paris,75110,48.87,2.35,false\n";
  const std::string y = "org-d,Cabinet D,,svc-d,Conseil,lawyer,,loc-a,1 rue D,75010,Paris,75110,48.87,2.35,false\n";
  auto report = Import(Format::kCsv, Csv({z, y}));
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report.value().written);
  ASSERT_EQ(report.value().rejected.size(), 1u);
  EXPECT_EQ(report.value().rejected[0].line, 3u);
  EXPECT_EQ(Snapshot(), before);
}

TEST_P(ImportTest, SkipInvalidWritesOnlyTheValidOrganizations) {
  std::string bad = kRowB;
  bad.replace(bad.find("24/7"), 4, "tous les jours");
  auto report = Import(Format::kCsv, Csv({kRowA, bad}), ImportMode::kSkipInvalid);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report.value().written);
  EXPECT_EQ(report.value().created, 1u);
  ASSERT_EQ(report.value().rejected.size(), 1u);
  EXPECT_EQ(report.value().rejected[0].line, 3u);
  EXPECT_NE(report.value().rejected[0].reason.find("opening_hours"), std::string::npos);
  soci::session sql(db_->pool());
  EXPECT_TRUE(DirectoryRepository(sql).Find("org-a"));
  EXPECT_FALSE(DirectoryRepository(sql).Find("org-b"));
  EXPECT_EQ(Count("location"), 1);
}

TEST_P(ImportTest, DryRunReportsButWritesNothing) {
  const std::string before = Snapshot();
  auto report = Import(Format::kCsv, Csv({kRowA, kRowB}), ImportMode::kAllOrNothing, DryRun::kYes);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report.value().written);
  EXPECT_EQ(report.value().created, 2u);
  EXPECT_EQ(Snapshot(), before);
  report = Import(Format::kCsv, Csv({kRowA, kRowB}), ImportMode::kSkipInvalid, DryRun::kYes);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report.value().written);
  EXPECT_EQ(Snapshot(), before);
}

TEST_P(ImportTest, ProgressCountsEveryEntry) {
  std::istringstream in(Csv({kRowA, kRowB}));
  std::size_t last_done = 0, last_total = 0, calls = 0;
  auto report = ImportDirectory(*db_, Format::kCsv, "paris-10", in, ImportMode::kAllOrNothing, DryRun::kNo,
                                [&](std::size_t done, std::size_t total) {
                                  EXPECT_GE(done, last_done);
                                  last_done = done;
                                  last_total = total;
                                  ++calls;
                                });
  ASSERT_TRUE(report.ok());
  EXPECT_GE(calls, 2u);
  EXPECT_EQ(last_done, 2u);
  EXPECT_EQ(last_total, 2u);
}

// ---- HSDS ------------------------------------------------------------------------------------

constexpr const char* kHsds = R"({"organizations": [
  {"id": "org-h", "name": "Maison H", "phones": [{"number": "01 99 00 20 01", "type": "voice"}],
   "locations": [{"id": "loc-h", "name": "Accueil", "latitude": 48.873, "longitude": 2.357,
                  "addresses": [{"address_1": "5 rue H", "postal_code": "75010", "city": "Paris",
                                 "insee_code": "75110"}]}],
   "services": [{"id": "svc-h", "name": "Permanence juridique", "categories": ["legal-advice"],
                 "languages": [{"code": "fr"}, "ar"], "opening_hours": "Tu 14:00-18:00; PH off",
                 "service_at_locations": [{"location_id": "loc-h"}]}]}
]})";

std::string HsdsWith(std::string_view from, std::string_view to) {
  std::string text = kHsds;
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

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
      {"invalid phone", HsdsWith("01 99 00 20 01", "01 99"), "$.organizations[0].phones[0].number",
       "numéro invalide"},
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

// ---- export and round trips ------------------------------------------------------------------

// Hostile files (issue 15): each is refused whole or row by row, never read out of bounds.
TEST_P(ImportTest, CsvHostileFilesAreRefusedOrReportedRowByRow) {
  const std::string before = Snapshot();
  // Only a header (with a byte order mark): nothing to do.
  auto report = Import(Format::kCsv, "\xEF\xBB\xBForganization_id,organization_name\r\n");
  ASSERT_TRUE(report.ok()) << report.error().public_message;
  EXPECT_EQ(report.value().entries, 0u);
  EXPECT_TRUE(report.value().rejected.empty());
  // Only a byte order mark, or only blank lines: an empty file.
  for (const char* empty : {"\xEF\xBB\xBF", "\n\n", "\r\r"}) {
    report = Import(Format::kCsv, empty);
    ASSERT_FALSE(report.ok());
    EXPECT_NE(report.error().public_message.find("fichier vide"), std::string::npos);
  }
  // A header with an empty column (a trailing comma), and 100,000 columns.
  report = Import(Format::kCsv, "organization_name,\nA,\n");
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().public_message.find("ligne 1 : colonne 2 sans nom (une virgule en trop"), std::string::npos)
      << report.error().public_message;
  std::string wide = "organization_name";
  for (int k = 0; k < 100000; ++k) wide += ",organization_name";
  report = Import(Format::kCsv, wide + "\nA\n");
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().public_message.find("colonne en double"), std::string::npos);
  // A row of 100,000 fields; rows shorter than the header; rows of empty cells; an id alone.
  report = Import(Format::kCsv, "organization_id,organization_name,website\n" + std::string(99999, 'x') + "," +
                                    std::string(99999, ',') + "\norg-court,Court\n,,\n,\norg-seul\n");
  ASSERT_TRUE(report.ok()) << report.error().public_message;
  ASSERT_EQ(report.value().rejected.size(), 2u);
  EXPECT_EQ(report.value().rejected[0].line, 2u);
  EXPECT_NE(report.value().rejected[0].reason.find("100001 champs pour 3 colonnes"), std::string::npos)
      << report.value().rejected[0].reason.substr(0, 200);
  EXPECT_EQ(report.value().rejected[1].line, 6u);
  EXPECT_NE(report.value().rejected[1].reason.find("organization_name : le nom est obligatoire"), std::string::npos)
      << report.value().rejected[1].reason;
  EXPECT_EQ(report.value().entries, 3u);  // the rows of empty cells are not entries
  EXPECT_EQ(report.value().created, 1u);  // org-court, short row and all (would have been)
  // CR-only line ends import, and lines are named right.
  report = Import(Format::kCsv, "organization_id,organization_name,website\rorg-cr,\"Nom\rsur deux lignes\",\r"
                                "org-cr2,Nom,pas-une-adresse\r");
  ASSERT_TRUE(report.ok()) << report.error().public_message;
  ASSERT_EQ(report.value().rejected.size(), 2u);  // a line break in the name, and the website
  EXPECT_EQ(report.value().rejected[0].line, 2u);
  EXPECT_EQ(report.value().rejected[1].line, 4u);
  EXPECT_NE(report.value().rejected[1].reason.find("website"), std::string::npos);
  // A quote left open at the very end.
  report = Import(Format::kCsv, "organization_name\n\"");
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().public_message.find("ligne 2 : guillemet jamais refermé"), std::string::npos);
  EXPECT_EQ(Snapshot(), before);
}

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
  auto huge = Import(Format::kHsds, HsdsWith("\"name\": \"Permanence juridique\",",
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

TEST_P(ImportTest, HsdsExportReimportsUnchangedAndRebuildsTheSameDirectory) {
  ASSERT_TRUE(Import(Format::kCsv, Csv({kRowA, kRowB})).value().written);
  ASSERT_TRUE(Import(Format::kHsds, kHsds).value().written);
  const std::string exported = ExportDirectory(*db_, Format::kHsds, "paris-10", Confidential::kInclude);

  auto again = Import(Format::kHsds, exported);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value().unchanged, 3u);
  EXPECT_TRUE(again.value().rejected.empty());

  soci::session sql(db_->pool());
  const auto before = DirectoryRepository(sql).ListByTerritory("paris-10");
  sql << "DELETE FROM organization";
  ASSERT_EQ(Count("service"), 0);
  auto rebuilt = Import(Format::kHsds, exported);
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_EQ(rebuilt.value().created, 3u);
  EXPECT_EQ(DirectoryRepository(sql).ListByTerritory("paris-10"), before);
  EXPECT_EQ(ExportDirectory(*db_, Format::kHsds, "paris-10", Confidential::kInclude), exported);
}

TEST_P(ImportTest, CsvExportReimportsUnchanged) {
  const std::string second_place =
      "org-a,,,svc-a,,,,loc-a2,\"1 place du Test, bâtiment \"\"B\"\"\",75010,Paris,75110,48.872,2.358,false\n";
  const std::string lone_place = "org-a,,,,,,,loc-a3,2 place du Test,75010,Paris,75110,48.8721,2.3581,false\n";
  ASSERT_TRUE(Import(Format::kCsv, Csv({kRowA, second_place, lone_place, kRowB})).value().written);
  ASSERT_TRUE(Import(Format::kHsds, kHsds).value().written);
  const std::string exported = ExportDirectory(*db_, Format::kCsv, "", Confidential::kInclude);
  soci::session sql(db_->pool());
  const auto before = DirectoryRepository(sql).ListByTerritory("paris-10");
  sql << "DELETE FROM organization";
  auto rebuilt = Import(Format::kCsv, exported);
  ASSERT_TRUE(rebuilt.ok());
  ASSERT_TRUE(rebuilt.value().rejected.empty()) << rebuilt.value().rejected.front().Where() << " "
                                                << rebuilt.value().rejected.front().reason;
  EXPECT_EQ(DirectoryRepository(sql).ListByTerritory("paris-10"), before);
}

TEST_P(ImportTest, PublicExportsHoldNoConfidentialDetailAndReimportKeepsThem) {
  ASSERT_TRUE(Import(Format::kCsv, Csv({kRowA, kRowB})).value().written);
  for (const Format format : {Format::kHsds, Format::kCsv}) {
    SCOPED_TRACE(format == Format::kHsds ? "hsds" : "csv");
    const std::string exported = ExportDirectory(*db_, format, "paris-10", Confidential::kRedact);
    EXPECT_NE(exported.find("Foyer B"), std::string::npos);  // the shelter is listed…
    EXPECT_EQ(exported.find(kSecretAddress), std::string::npos);  // …without its place
    EXPECT_EQ(exported.find(kSecretLatitude), std::string::npos);
    EXPECT_EQ(exported.find("2.3611"), std::string::npos);
    const std::string full = ExportDirectory(*db_, format, "paris-10", Confidential::kInclude);
    EXPECT_NE(full.find(kSecretAddress), std::string::npos);

    // Importing a public export back loses nothing.
    auto again = Import(format, exported);
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again.value().rejected.empty());
    EXPECT_EQ(again.value().unchanged, 2u);
    soci::session sql(db_->pool());
    EXPECT_EQ(DirectoryRepository(sql).Find("org-b")->locations.at(0).address, "3 impasse Secrète");
  }
}

TEST_P(ImportTest, PublicExportLeavesOutProfessionalOnlyAndDefunctOrganizations) {
  const std::string csv =
      "organization_id,organization_name,visibility,status\n"
      "org-p,Réseau pro,professionals,active\n"
      "org-d,Ancienne association,public,defunct\n"
      "org-o,Association ouverte,public,active\n";
  ASSERT_TRUE(Import(Format::kCsv, csv).value().written);
  const std::string exported = ExportDirectory(*db_, Format::kHsds, "", Confidential::kRedact);
  EXPECT_EQ(exported.find("org-p"), std::string::npos);
  EXPECT_EQ(exported.find("org-d"), std::string::npos);
  EXPECT_NE(exported.find("org-o"), std::string::npos);
  const std::string full = ExportDirectory(*db_, Format::kHsds, "", Confidential::kInclude);
  EXPECT_NE(full.find("org-p"), std::string::npos);
  EXPECT_NE(full.find("org-d"), std::string::npos);
  EXPECT_EQ(ExportDirectory(*db_, Format::kHsds, "montreuillois", Confidential::kInclude).find("org-o"),
            std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportTest,
                         ::testing::Values(core::DatabaseBackend::kSqlite, core::DatabaseBackend::kPostgresql),
                         testing::BackendName);

}  // namespace
}  // namespace passerelle::directory
