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
  EXPECT_EQ(ParseError("a\n\"x\"y,z\n"), "ligne 2 : texte après un guillemet fermant (doublez les guillemets dans un champ)");
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

}  // namespace
}  // namespace passerelle::directory
