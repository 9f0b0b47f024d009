#include "directory/csv.h"

#include <gtest/gtest.h>

namespace passerelle::directory {
namespace {

std::vector<CsvRecord> Parsed(std::string_view text) {
  auto records = ParseCsv(text);
  EXPECT_TRUE(records.ok()) << (records.ok() ? "" : records.error().public_message);
  return records.ok() ? records.value() : std::vector<CsvRecord>{};
}

std::string ParseError(std::string_view text) {
  auto records = ParseCsv(text);
  if (records.ok()) return "<parsed>";
  EXPECT_EQ(records.error().code, core::ErrorCode::kInvalidInput);
  return records.error().public_message;
}

TEST(Csv, FieldsQuotesAndLineEnds) {
  const auto records = Parsed("a,b,c\r\n\"x, y\",\"il dit \"\"non\"\"\",\n\n1,,3");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].fields, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(records[1].fields, (std::vector<std::string>{"x, y", "il dit \"non\"", ""}));
  EXPECT_EQ(records[2].fields, (std::vector<std::string>{"1", "", "3"}));
  EXPECT_EQ(records[2].line, 4u);  // the blank line 3 is skipped but counted
}

TEST(Csv, QuotedLineBreaksKeepLineNumbersRight) {
  const auto records = Parsed("\xEF\xBB\xBFh\n\"deux\nlignes\"\nsuite\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].fields[0], "h");  // byte order mark skipped
  EXPECT_EQ(records[1].fields[0], "deux\nlignes");
  EXPECT_EQ(records[1].line, 2u);
  EXPECT_EQ(records[2].line, 4u);
}

TEST(Csv, ErrorsNameTheLine) {
  EXPECT_EQ(ParseError("a\nb\n\"jamais fermé\nc\n"), "ligne 3 : guillemet jamais refermé");
  EXPECT_EQ(ParseError("a\n\"x\"y,z\n"),
            "ligne 2 : texte après un guillemet fermant (doublez les guillemets dans un champ)");
  EXPECT_NE(ParseError("a\nb\nCaf\xE9\n").find("ligne 3 : le fichier n'est pas en UTF-8"), std::string::npos);
  EXPECT_NE(ParseError("a\n\xC0\xAF\n").find("ligne 2"), std::string::npos);  // overlong encoding
}

TEST(Csv, FormattedRecordsReadBack) {
  const std::vector<std::string> fields = {"simple", "a, b", "guillemet \"", "deux\nlignes", " espace", ""};
  const std::string line = FormatCsvRecord(fields);
  EXPECT_EQ(line.substr(0, 13), "simple,\"a, b\"");
  EXPECT_TRUE(line.ends_with("\r\n"));
  const auto records = Parsed(line + FormatCsvRecord({"x"}));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields, fields);
  EXPECT_EQ(records[1].line, 3u);
}

// Hostile inputs (issue 15): none may read out of bounds; each gives records or an error.
TEST(Csv, EmptyTextsGiveNoRecord) {
  EXPECT_TRUE(Parsed("").empty());
  EXPECT_TRUE(Parsed("\xEF\xBB\xBF").empty());
  EXPECT_TRUE(Parsed("\n\r\n\r").empty());
}

TEST(Csv, CarriageReturnOnlyLineEndsCountLinesInsideQuotesToo) {
  const auto records = Parsed("h1,h2\r\"deux\rlignes\",x\rfin,\"crlf\r\nici\"\rder");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[1].fields, (std::vector<std::string>{"deux\rlignes", "x"}));
  EXPECT_EQ(records[1].line, 2u);
  EXPECT_EQ(records[2].line, 4u);
  EXPECT_EQ(records[2].fields[1], "crlf\r\nici");
  EXPECT_EQ(records[3].line, 6u);
  EXPECT_EQ(records[3].fields, std::vector<std::string>{"der"});
  EXPECT_EQ(ParseError("h\r\"a\rb\rc"), "ligne 2 : guillemet jamais refermé");
}

TEST(Csv, QuotesLeftOpenOrStrayAreErrorsOrLiterals) {
  EXPECT_EQ(ParseError("\""), "ligne 1 : guillemet jamais refermé");
  EXPECT_EQ(ParseError("a,\""), "ligne 1 : guillemet jamais refermé");
  EXPECT_EQ(ParseError("a,\"b\"\""), "ligne 1 : guillemet jamais refermé");  // a doubled quote, then the end
  EXPECT_EQ(ParseError("\"\"\"\n"), "ligne 1 : guillemet jamais refermé");
  // A quote inside an unquoted field is kept as it is.
  EXPECT_EQ(Parsed("a\"b,c\"").at(0).fields, (std::vector<std::string>{"a\"b", "c\""}));
  EXPECT_EQ(Parsed("\"\"").at(0).fields, std::vector<std::string>{""});
}

TEST(Csv, RaggedRowsTrailingCommasAndNulBytesKeepTheirFields) {
  std::string text = "a,b,c\n1\n1,2,3,4,\n,\n";
  text += '\0';
  text += "x,y";
  const auto records = Parsed(text);
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[1].fields, std::vector<std::string>{"1"});
  EXPECT_EQ(records[2].fields, (std::vector<std::string>{"1", "2", "3", "4", ""}));
  EXPECT_EQ(records[3].fields, (std::vector<std::string>{"", ""}));
  EXPECT_EQ(records[4].fields, (std::vector<std::string>{std::string("\0x", 2), "y"}));
}

TEST(Csv, HundredThousandColumns) {
  std::string wide;
  for (int k = 0; k < 100000; ++k) wide += k == 0 ? "c" : ",c";
  const auto records = Parsed(wide + "\n" + std::string(99999, ',') + "\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields.size(), 100000u);
  EXPECT_EQ(records[1].fields.size(), 100000u);
}

}  // namespace
}  // namespace passerelle::directory
