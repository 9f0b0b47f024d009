#include "content/front_matter.h"

#include <gtest/gtest.h>

namespace passerelle::content {
namespace {

constexpr const char* kValid = R"(---
slug: porter-plainte
title: "Porter plainte : comment faire"
summary: La police et la gendarmerie doivent prendre votre plainte.
topics:
  - plainte
audience: victime   # who it is for
legal_references:
  - Code de procédure pénale, art. 15-3
sources:
  - https://www.service-public.fr/particuliers/vosdroits/F1435
written_on: 2026-11-23
reviewed_on: 2026-11-23
related:
  - certificat-medical
---
## Où porter plainte

Au commissariat ou à la gendarmerie.
)";

TEST(ParseSheetFile, ReadsEveryField) {
  const ParsedSheet parsed = ParseSheetFile(kValid, "porter-plainte.md");
  ASSERT_TRUE(parsed.problems.empty()) << parsed.problems[0].ToString();
  const Sheet& s = parsed.sheet;
  EXPECT_EQ(s.slug, "porter-plainte");
  EXPECT_EQ(s.title, "Porter plainte : comment faire");
  EXPECT_EQ(s.audience, "victime");
  EXPECT_EQ(s.topics, std::vector<std::string>{"plainte"});
  EXPECT_EQ(s.legal_references, std::vector<std::string>{"Code de procédure pénale, art. 15-3"});
  EXPECT_EQ(s.related, std::vector<std::string>{"certificat-medical"});
  EXPECT_EQ(s.written_on, "2026-11-23");
  EXPECT_NE(s.body_markdown.find("## Où porter plainte"), std::string::npos);
}

struct BadCase {
  const char* name;
  std::string from, to;
  int line;
  const char* reason;
};

TEST(ParseSheetFile, NamesTheLineAndReasonOfEveryProblem) {
  const BadCase cases[] = {
      {"unknown key", "audience: victime", "public: victime", 7, "clé inconnue « public »"},
      {"missing title", "title: \"Porter plainte : comment faire\"\n", "", 1, "« title »"},
      {"bad date", "written_on: 2026-11-23", "written_on: 23/11/2026", 12, "date invalide"},
      {"reviewed before written", "reviewed_on: 2026-11-23", "reviewed_on: 2025-01-01", 13, "antérieure"},
      {"bad audience", "audience: victime", "audience: tout le monde", 7, "audience inconnue"},
      {"scalar list", "topics:\n", "topics: plainte\n", 5, "est une liste"},
      {"stray item", "slug: porter-plainte\n", "slug: porter-plainte\n  - x\n", 3, "hors d'une clé de liste"},
      {"repeated key", "audience: victime", "audience: victime\nslug: autre", 8, "répétée"},
      {"no body", "## Où porter plainte\n\nAu commissariat ou à la gendarmerie.\n", "", 17, "corps"},
  };
  for (const BadCase& c : cases) {
    std::string text = kValid;
    const auto at = text.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.name;
    text.replace(at, c.from.size(), c.to);
    const ParsedSheet parsed = ParseSheetFile(text, "f.md");
    ASSERT_FALSE(parsed.problems.empty()) << c.name;
    bool found = false;
    for (const Problem& p : parsed.problems) {
      if (p.message.find(c.reason) != std::string::npos) {
        found = true;
        EXPECT_EQ(p.line, c.line) << c.name << ": " << p.ToString();
        EXPECT_EQ(p.file, "f.md");
      }
    }
    EXPECT_TRUE(found) << c.name << ": " << parsed.problems[0].ToString();
  }
}

TEST(ParseSheetFile, RefusesAFileWithoutFrontMatter) {
  EXPECT_FALSE(ParseSheetFile("# Titre\n", "f.md").problems.empty());
  EXPECT_FALSE(ParseSheetFile("---\nslug: x\n", "f.md").problems.empty());
}

}  // namespace
}  // namespace passerelle::content
