#include "geo/folding.h"

#include <gtest/gtest.h>

#include <sstream>

#include "geo/csv.h"
#include "geo/france.h"

namespace passerelle::geo {
namespace {

TEST(FoldForSearch, IgnoresAccentsCaseAndPunctuation) {
  EXPECT_EQ(FoldForSearch("Étaples"), "etaples");
  EXPECT_EQ(FoldForSearch("Saint-Étienne-du-Rouvray"), "saint etienne du rouvray");
  EXPECT_EQ(FoldForSearch("L'Haÿ-les-Roses"), "l hay les roses");
  EXPECT_EQ(FoldForSearch("Œuilly"), "oeuilly");
  EXPECT_EQ(FoldForSearch("  Bœurs-en-Othe  "), "boeurs en othe");
  EXPECT_EQ(FoldForSearch("Saint Jo"), "saint jo");
  EXPECT_EQ(FoldForSearch("L’Île-d’Yeu"), "l ile d yeu");  // typographic apostrophes
  EXPECT_EQ(FoldForSearch("ÇÀ ÉTÉ"), "ca ete");
  EXPECT_EQ(FoldForSearch("Paris 10e"), "paris 10e");
  EXPECT_EQ(FoldForSearch(""), "");
  EXPECT_EQ(FoldForSearch("--'"), "");
}

TEST(FoldForSearch, SurvivesInvalidUtf8) {
  EXPECT_EQ(FoldForSearch("Eta\xC3"), "eta");
  EXPECT_EQ(FoldForSearch("\xFF\xFE"
                          "abc"),
            "abc");
  EXPECT_EQ(FoldForSearch("a\xE2\x82z"), "a z");
}

TEST(CsvReader, ReadsQuotedFieldsCrlfAndByteOrderMark) {
  std::istringstream in(
      "\xEF\xBB\xBFinsee,name,postal\r\n"
      "62318,\xC3\x89taples,62630\r\n"
      "75056,Paris,\"75001,75002\"\r\n"
      "99999,\"Le \"\"Quoted\"\"\nname\",00000\n"
      "62000,,\n");
  CsvReader reader(in);
  std::vector<std::string> fields;
  ASSERT_EQ(reader.Next(fields), CsvReader::Status::kRecord);
  EXPECT_EQ(fields, (std::vector<std::string>{"insee", "name", "postal"}));
  EXPECT_EQ(reader.line(), 1u);
  ASSERT_EQ(reader.Next(fields), CsvReader::Status::kRecord);
  EXPECT_EQ(fields[1], "Étaples");
  EXPECT_EQ(fields[2], "62630");
  ASSERT_EQ(reader.Next(fields), CsvReader::Status::kRecord);
  EXPECT_EQ(fields, (std::vector<std::string>{"75056", "Paris", "75001,75002"}));
  ASSERT_EQ(reader.Next(fields), CsvReader::Status::kRecord);
  EXPECT_EQ(fields[1], "Le \"Quoted\"\nname");
  EXPECT_EQ(reader.line(), 4u);
  ASSERT_EQ(reader.Next(fields), CsvReader::Status::kRecord);
  EXPECT_EQ(reader.line(), 6u);  // the quoted field above took two lines
  EXPECT_EQ(fields, (std::vector<std::string>{"62000", "", ""}));
  EXPECT_EQ(reader.Next(fields), CsvReader::Status::kEnd);
}

TEST(CsvReader, ReportsAnUnterminatedQuote) {
  std::istringstream in("a,b\n1,\"never closed\n2,3\n");
  CsvReader reader(in);
  std::vector<std::string> fields;
  ASSERT_EQ(reader.Next(fields), CsvReader::Status::kRecord);
  EXPECT_EQ(reader.Next(fields), CsvReader::Status::kUnterminatedQuote);
  EXPECT_EQ(reader.line(), 2u);
}

TEST(France, CodesAndAreas) {
  EXPECT_TRUE(IsInseeCode("62318"));
  EXPECT_TRUE(IsInseeCode("2A004"));
  EXPECT_FALSE(IsInseeCode("2C004"));
  EXPECT_FALSE(IsInseeCode("6231"));
  EXPECT_FALSE(IsInseeCode("6231x"));
  EXPECT_TRUE(IsPostalCode("62630"));
  EXPECT_FALSE(IsPostalCode("6263"));
  EXPECT_EQ(DepartementOf("62318"), "62");
  EXPECT_EQ(DepartementOf("2B033"), "2B");
  EXPECT_EQ(DepartementOf("97411"), "974");
  EXPECT_EQ(DepartementOf("98818"), "988");
  EXPECT_TRUE(IsInDepartementArea("62", 50.52, 1.63));
  EXPECT_FALSE(IsInDepartementArea("62", 1.63, 50.52));  // swapped
  EXPECT_TRUE(IsInDepartementArea("974", -20.88, 55.45));
  EXPECT_FALSE(IsInDepartementArea("974", 48.85, 2.35));  // Paris is not La Réunion
  EXPECT_TRUE(IsInDepartementArea("988", -22.27, 166.44));
  EXPECT_EQ(AreaName("974"), "La Réunion");
}

}  // namespace
}  // namespace passerelle::geo
