// The CSV reader of the import on SQLite and PostgreSQL: every rejection path, rows that share
// an organization, ids derived when missing, hostile files.
#include <gtest/gtest.h>

#include <set>

#include "directory/import_test_support.h"
#include "directory/repository.h"

namespace passerelle::directory::testing {
namespace {

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
  const std::string second_place = "org-a,,,svc-a,,,,loc-a2,1 place du Test,75010,Paris,75110,48.872,2.358,false\n";
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
      {"unknown category", with("victim-support-association", "voyance"),
       "categories : catégorie inconnue « voyance »"},
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
  report = Import(Format::kCsv,
                  "organization_id,organization_name,website\rorg-cr,\"Nom\rsur deux lignes\",\r"
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

}  // namespace
}  // namespace passerelle::directory::testing
