#include "geo/commune_files.h"

#include <gtest/gtest.h>

#include <sstream>

#include "geo/test_files.h"

namespace passerelle::geo {
namespace {

CommuneFile Parse(const std::string& text) {
  std::istringstream in(text);
  return ParseOfficialCommunes(in);
}

struct ExpectedIssue {
  std::size_t line;
  std::string column;
  LineProblem problem;
};

void ExpectOnlyIssue(const CommuneFile& file, const ExpectedIssue& expected) {
  ASSERT_EQ(file.issue_count, 1u) << (file.issues.empty() ? "" : file.issues.front().message);
  const LineIssue& issue = file.issues.front();
  EXPECT_EQ(issue.line, expected.line);
  EXPECT_EQ(issue.column, expected.column);
  EXPECT_EQ(issue.problem, expected.problem);
  // The message names the line and the column.
  EXPECT_EQ(issue.message.rfind("ligne " + std::to_string(expected.line), 0), 0u) << issue.message;
  if (!expected.column.empty()) {
    EXPECT_NE(issue.message.find("colonne " + expected.column), std::string::npos);
  }
}

TEST(OfficialFile, KeepsCommunesAndArrondissementsMergesPostalCodesAndNamesDelegated) {
  const CommuneFile file = Parse(testing_files::OfficialFile({
      testing_files::kEtaplesRow,
      testing_files::kSaintJosseRow,
      testing_files::OfficialRow("01033", "Valserhône", "Valserhône", "01200", "COM", "", "46.12335", "5.79442",
                                 "16295"),
      testing_files::OfficialRow("01033", "Bellegarde-sur-Valserine", "Bellegarde-sur-Valserine", "01200", "COMD",
                                 "01033", "46.12335", "5.79442", "16295"),
      testing_files::OfficialRow("13001", "Aix-en-Provence", "Aix-en-Provence", "13080", "COM", "", "43.53601",
                                 "5.38793", "147478"),
      testing_files::OfficialRow("13001", "Aix-en-Provence", "Aix-en-Provence", "13090", "COM", "", "43.53601",
                                 "5.38793", "147478"),
      testing_files::OfficialRow("75110", "Paris 10e Arrondissement", "Paris 10e Arrondissement", "75010", "ARM",
                                 "75056", "48.87616", "2.36069", "83543"),
      testing_files::OfficialRow("85165", "Oie", "L'Oie", "85140", "COM", "", "", "", "1259"),
  }));
  EXPECT_EQ(file.issue_count, 0u) << (file.issues.empty() ? "" : file.issues.front().message);
  EXPECT_EQ(file.rows, 8u);
  EXPECT_EQ(file.delegated_rows, 1u);
  ASSERT_EQ(file.communes.size(), 6u);
  const Commune& etaples = file.communes[0].commune;
  EXPECT_EQ(etaples.insee_code, "62318");
  EXPECT_EQ(etaples.name, "Étaples");
  EXPECT_EQ(etaples.departement, "62");
  EXPECT_EQ(etaples.precision, Precision::kOfficial);
  EXPECT_DOUBLE_EQ(etaples.lat, 50.51377);
  EXPECT_EQ(etaples.population, 10869);
  EXPECT_EQ(file.communes[0].line, 2u);
  EXPECT_EQ(file.communes[2].commune.former_names, std::vector<std::string>{"Bellegarde-sur-Valserine"});
  EXPECT_EQ(file.communes[3].commune.postal_codes, (std::vector<std::string>{"13080", "13090"}));
  EXPECT_EQ(file.communes[4].commune.parent_insee_code, "75056");
  EXPECT_TRUE(file.communes[4].commune.IsArrondissement());
  EXPECT_EQ(file.communes[5].commune.name, "L'Oie");  // the name with its article
  EXPECT_FALSE(file.communes[5].has_coordinates);
}

TEST(OfficialFile, ReportsEveryKindOfBadLineWithItsLineAndColumn) {
  using testing_files::OfficialRow;
  struct Case {
    std::string row;
    ExpectedIssue expected;
  };
  const Case cases[] = {
      {OfficialRow("", "Étaples", "", "62630", "COM", "", "50.5", "1.6", "10"),
       {2, "insee_com", LineProblem::kMissingInseeCode}},
      {OfficialRow("6231", "Étaples", "", "62630", "COM", "", "50.5", "1.6", "10"),
       {2, "insee_com", LineProblem::kBadInseeCode}},
      {OfficialRow("62318", "", "", "62630", "COM", "", "50.5", "1.6", "10"),
       {2, "commune", LineProblem::kMissingName}},
      {OfficialRow("62318", "Étaples", "", "6263", "COM", "", "50.5", "1.6", "10"),
       {2, "code_postal", LineProblem::kBadPostalCode}},
      {OfficialRow("62318", "Étaples", "", "", "COM", "", "50.5", "1.6", "10"),
       {2, "code_postal", LineProblem::kBadPostalCode}},
      {OfficialRow("62318", "Étaples", "", "62630", "COM", "", "50,5", "1.6", "10"),
       {2, "lat", LineProblem::kBadCoordinates}},
      {OfficialRow("62318", "Étaples", "", "62630", "COM", "", "95", "1.6", "10"),
       {2, "lat", LineProblem::kBadCoordinates}},
      {OfficialRow("62318", "Étaples", "", "62630", "COM", "", "50.5", "", "10"),
       {2, "lng", LineProblem::kBadCoordinates}},
      {OfficialRow("62318", "Étaples", "", "62630", "COM", "", "50.5", "nan", "10"),
       {2, "lng", LineProblem::kBadCoordinates}},
      {OfficialRow("62318", "Étaples", "", "62630", "COM", "", "1.6", "50.5", "10"),
       {2, "lat/lng", LineProblem::kOutsideFrance}},
      {OfficialRow("97411", "Saint-Denis", "", "97400", "COM", "", "48.93", "2.35", "10"),
       {2, "lat/lng", LineProblem::kOutsideFrance}},
      {OfficialRow("62318", "Étaples", "", "62630", "COM", "", "50.5", "1.6", "-3"),
       {2, "population_2021", LineProblem::kBadPopulation}},
      {OfficialRow("62318", "Étaples", "", "62630", "COM", "", "50.5", "1.6", ""),
       {2, "population_2021", LineProblem::kBadPopulation}},
      {OfficialRow("62318", "Étaples", "", "62630", "CANTON", "", "50.5", "1.6", "10"),
       {2, "commune_type", LineProblem::kUnknownCommuneType}},
      {OfficialRow("75110", "Paris 10e", "", "75010", "ARM", "", "48.87", "2.36", "10"),
       {2, "insee_parente", LineProblem::kBadInseeCode}},
      {"62318,32,62,Étaples\n", {2, "", LineProblem::kMalformedLine}},
      {"62318,32,62,\"Étaples\n", {2, "", LineProblem::kMalformedLine}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.row);
    ExpectOnlyIssue(Parse(testing_files::OfficialFile({c.row})), c.expected);
  }
}

TEST(OfficialFile, ReportsDuplicateInseeCodes) {
  using testing_files::OfficialRow;
  // The same postal code twice.
  ExpectOnlyIssue(Parse(testing_files::OfficialFile(
                      {testing_files::kEtaplesRow, testing_files::kSaintJosseRow, testing_files::kEtaplesRow})),
                  {4, "insee_com", LineProblem::kDuplicateInseeCode});
  // Another postal code, but other data.
  ExpectOnlyIssue(
      Parse(testing_files::OfficialFile({testing_files::kEtaplesRow, OfficialRow("62318", "Etaples", "", "62631", "COM",
                                                                                 "", "50.51377", "1.64043", "10869")})),
      {3, "insee_com", LineProblem::kDuplicateInseeCode});
  const CommuneFile file = Parse(testing_files::OfficialFile({testing_files::kEtaplesRow, testing_files::kEtaplesRow}));
  ASSERT_EQ(file.issues.size(), 1u);
  EXPECT_NE(file.issues[0].message.find("déjà présent ligne 2"), std::string::npos) << file.issues[0].message;
}

TEST(OfficialFile, ReportsAMissingColumnOrAnEmptyFile) {
  std::string header = testing_files::kOfficialHeader;
  header.replace(header.find(",lat,"), 5, ",latitude,");
  ExpectOnlyIssue(Parse(header + "\n" + testing_files::kEtaplesRow), {1, "lat", LineProblem::kMissingColumn});
  ExpectOnlyIssue(Parse(""), {1, "", LineProblem::kMissingColumn});
}

TEST(OfficialFile, ReportsTheFirstTwentyIssuesAndCountsTheRest) {
  std::vector<std::string> rows;
  for (int i = 0; i < 25; ++i) {
    rows.push_back(
        testing_files::OfficialRow("62" + std::to_string(100 + i), "X", "", "bad", "COM", "", "50.5", "1.6", "1"));
  }
  const CommuneFile file = Parse(testing_files::OfficialFile(rows));
  EXPECT_EQ(file.issue_count, 25u);
  EXPECT_EQ(file.issues.size(), kMaxReportedIssues);
  const core::Error error = DescribeIssues(file, "Fichier des communes");
  EXPECT_EQ(error.code, core::ErrorCode::kInvalidInput);
  EXPECT_NE(error.public_message.find("25 erreurs"), std::string::npos);
  EXPECT_NE(error.public_message.find("ligne 2, colonne code_postal : code postal invalide « bad »"), std::string::npos)
      << error.public_message;
  EXPECT_NE(error.public_message.find("… et 5 autres"), std::string::npos);
}

TEST(DefaultGazetteerFile, ReadsListsAndRefusesBadLines) {
  std::istringstream good(testing_files::DefaultFile({testing_files::kDefaultParis, testing_files::kDefaultEtaples}));
  const CommuneFile file = ParseDefaultGazetteer(good);
  ASSERT_EQ(file.issue_count, 0u) << file.issues.front().message;
  ASSERT_EQ(file.communes.size(), 2u);
  EXPECT_EQ(file.communes[0].commune.postal_codes.size(), 21u);
  EXPECT_EQ(file.communes[0].commune.epci_code, "200054781");
  EXPECT_EQ(file.communes[1].commune.precision, Precision::kExact);

  struct Case {
    std::string row;
    ExpectedIssue expected;
  };
  const Case cases[] = {
      {"62318,Étaples,62630,10710,50.52194,1.63319,guessed,62,200069029,,",
       {2, "precision", LineProblem::kBadPrecision}},
      {"62318,Étaples,62630,10710,,,exact,62,200069029,,", {2, "lat", LineProblem::kBadCoordinates}},
      {"62318,Étaples,\"62630,626\",10710,50.52194,1.63319,exact,62,200069029,,",
       {2, "postal_codes", LineProblem::kBadPostalCode}},
      {"62318,Étaples,62630,10710,1.63319,50.52194,exact,62,200069029,,", {2, "lat/lon", LineProblem::kOutsideFrance}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.row);
    std::istringstream in(testing_files::DefaultFile({c.row}));
    ExpectOnlyIssue(ParseDefaultGazetteer(in), c.expected);
  }
  std::istringstream twice(
      testing_files::DefaultFile({testing_files::kDefaultEtaples, testing_files::kDefaultEtaples}));
  ExpectOnlyIssue(ParseDefaultGazetteer(twice), {3, "insee_code", LineProblem::kDuplicateInseeCode});
}

}  // namespace
}  // namespace passerelle::geo
