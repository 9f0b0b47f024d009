#include "content/sheet_form.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "content/front_matter.h"
#include "core/crypto.h"

namespace passerelle::content {
namespace {

namespace fs = std::filesystem;

SheetFields Fields(const std::string& slug, const std::string& title) {
  SheetFields f;
  f.slug = slug;
  f.title = title;
  f.summary = "Résumé de " + title + ".";
  f.topics = {"plainte"};
  f.audience = "victime";
  f.legal_references = {"Code pénal, art. 222-13"};
  f.sources = {"https://www.service-public.fr/", "https://www.legifrance.gouv.fr/"};
  f.written_on = "2026-11-23";
  f.reviewed_on = "2026-11-30";
  f.body = "Texte de " + title + ".\n\nVoir [la plainte](/fiches/porter-plainte).\n";
  return f;
}

class SheetFormTest : public ::testing::Test {
 protected:
  void SetUp() override {
    core::InitCrypto();
    dir_ = fs::temp_directory_path() / ("passerelle-sheet-form-" + core::RandomHex(6));
    Write("sheets/fr/porter-plainte.md", ComposeSheet(Fields("porter-plainte", "Porter plainte")));
    Write("sheets/fr/ordonnance.md", ComposeSheet(Fields("ordonnance", "Ordonnance de protection")));
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const fs::path& relative, const std::string& text) {
    fs::create_directories((dir_ / relative).parent_path());
    std::ofstream(dir_ / relative) << text;
  }
  // The console's version of `fields` for paris-10 in French, checked with `others`.
  LocalSheetCheck Check(const SheetFields& fields, std::vector<LocalSheet> others = {}) {
    std::vector<LineOrigin> origins;
    LocalSheet mine{"paris-10", "fr", fields.slug, ComposeSheet(fields, &origins)};
    others.push_back(mine);
    return CheckLocalSheets(dir_, others, &mine, origins);
  }
  fs::path dir_;
};

TEST_F(SheetFormTest, ComposedTextReadsBackAsTheSameFields) {
  SheetFields f = Fields("ordonnance", "Titre avec \"guillemets\" # et dièse");
  f.summary = "Sur deux\nlignes";
  f.legal_references = {"Code civil, art. 515-11 # commentaire ?", "", "  Loi n° 2010-769  "};
  f.related = {"porter-plainte"};
  f.easy_read_of = "porter-plainte";
  f.body = "Ligne\r\n\r\n---\r\nAprès un trait.\r\n\r\n\r\n";
  const ParsedSheet parsed = ParseSheetFile(ComposeSheet(f), "x");
  ASSERT_TRUE(parsed.problems.empty()) << parsed.problems[0].ToString();
  EXPECT_EQ(parsed.sheet.title, "Titre avec \"guillemets\" # et dièse");
  EXPECT_EQ(parsed.sheet.summary, "Sur deux lignes") << "a line break typed in a one-line field is a space";
  EXPECT_EQ(parsed.sheet.legal_references,
            (std::vector<std::string>{"Code civil, art. 515-11 # commentaire ?", "Loi n° 2010-769"}));
  EXPECT_EQ(parsed.sheet.body_markdown, "Ligne\n\n---\nAprès un trait.\n");
  EXPECT_EQ(ChangedFields(FieldsOf(parsed.sheet), f), "");
  SheetFields other = f;
  other.title = "Autre";
  other.sources.pop_back();
  EXPECT_EQ(ChangedFields(FieldsOf(parsed.sheet), other), "title,sources");
}

TEST_F(SheetFormTest, ConsoleSheetsReplaceTheFilesOfTheirTerritoryOnly) {
  Write("territories/paris-10/sheets/fr/ordonnance.md", ComposeSheet(Fields("ordonnance", "Version du fichier")));
  const LocalSheetCheck checked = Check(Fields("ordonnance", "Version de la console"),
                                        {{"paris-10", "fr", "tribunal", ComposeSheet(Fields("tribunal", "Tribunal"))}});
  ASSERT_TRUE(checked.problems.empty()) << checked.problems[0].message;
  const SheetLibrary& library = checked.library;
  EXPECT_EQ(library.Find("fr", "paris-10", "ordonnance")->title, "Version de la console");
  EXPECT_TRUE(IsConsoleSheet(*library.Find("fr", "paris-10", "ordonnance")));
  EXPECT_EQ(library.Find("fr", "", "ordonnance")->title, "Ordonnance de protection");
  EXPECT_EQ(library.Find("fr", "montreuillois", "ordonnance")->title, "Ordonnance de protection");
  EXPECT_FALSE(IsConsoleSheet(*library.Find("fr", "", "ordonnance")));
  EXPECT_EQ(library.Find("fr", "paris-10", "tribunal")->title, "Tribunal") << "a sheet only the territory has";
  EXPECT_EQ(library.Find("fr", "", "tribunal"), nullptr);
  EXPECT_EQ(library.All("fr", "paris-10").size(), 3u);
  // The load's typography applies to the console's sheets as to the files.
  EXPECT_NE(library.Find("fr", "paris-10", "ordonnance")->body_html.find("<a href=\"/fiches/porter-plainte\">"),
            std::string::npos);
}

TEST_F(SheetFormTest, EachProblemIsPutOnItsFieldWithTheLine) {
  SheetFields f = Fields("ordonnance", "Ordonnance");
  f.sources = {"https://www.service-public.fr/", "https://blog.example.com/"};
  f.written_on = "23/11/2026";
  f.related = {"porter-plainte", "inconnue"};
  f.body = "Premier paragraphe.\n\nVoir [une fiche](/fiches/nulle-part).\n";
  const LocalSheetCheck checked = Check(f);
  std::map<std::string, std::string> by_field;
  for (const FieldProblem& p : checked.problems) by_field[p.field] += p.message + "\n";
  // The parser stops at the date; the references are checked once the front matter reads.
  ASSERT_EQ(by_field.count("written_on"), 1u) << by_field.begin()->second;
  EXPECT_EQ(by_field["written_on"], "Date de rédaction : date invalide pour « written_on » : attendu AAAA-MM-JJ\n");
  f.written_on = "2026-11-23";
  by_field.clear();
  for (const FieldProblem& p : Check(f).problems) by_field[p.field] += p.message + "\n";
  EXPECT_EQ(by_field["sources"],
            "Sources officielles (ligne 2 de la liste) : source hors liste des sites officiels ou non https : "
            "https://blog.example.com/\n");
  EXPECT_EQ(by_field["related"], "Fiches liées (ligne 2 de la liste) : fiche liée introuvable « inconnue »\n");
  EXPECT_EQ(by_field["body"],
            "Texte de la fiche (ligne 3) : lien interne vers une fiche introuvable : /fiches/nulle-part\n");
  EXPECT_EQ(by_field.size(), 3u);
}

TEST_F(SheetFormTest, RequiredFieldsAndTheSlugAreNamed) {
  SheetFields f = Fields("Mauvais Slug", "");
  f.topics.clear();
  f.body = "\n\n";
  std::map<std::string, std::string> by_field;
  for (const FieldProblem& p : Check(f).problems) by_field[p.field] += p.message + "\n";
  EXPECT_NE(by_field["title"].find("Titre : valeur vide pour « title »"), std::string::npos) << by_field["title"];
  EXPECT_NE(by_field["topics"].find("Thèmes : champ obligatoire manquant ou vide « topics »"), std::string::npos);
  EXPECT_NE(by_field["body"].find("Texte de la fiche : le corps de la fiche est vide"), std::string::npos);
  f = Fields("Mauvais Slug", "Titre");
  by_field.clear();
  for (const FieldProblem& p : Check(f).problems) by_field[p.field] += p.message + "\n";
  EXPECT_NE(by_field["slug"].find("invalide"), std::string::npos) << by_field["slug"];
}

TEST_F(SheetFormTest, TheSameChecksAsContentCheckForTheSameText) {
  SheetFields f = Fields("ordonnance", "Ordonnance");
  f.sources = {"http://www.service-public.fr/"};
  f.audience = "tout-le-monde";
  const std::string text = ComposeSheet(f);
  Write("territories/paris-10/sheets/fr/ordonnance.md", text);
  std::vector<Problem> from_files;
  (void)SheetLibrary::Load(dir_, from_files);
  fs::remove(dir_ / "territories/paris-10/sheets/fr/ordonnance.md");
  std::vector<Problem> from_console;
  (void)SheetLibrary::Load(dir_, from_console, {{"paris-10", "fr", "ordonnance", text}});
  ASSERT_EQ(from_files.size(), 1u);
  ASSERT_EQ(from_console.size(), from_files.size());
  EXPECT_EQ(from_console[0].message, from_files[0].message);
  EXPECT_EQ(from_console[0].line, from_files[0].line);
  EXPECT_EQ(from_console[0].file, "console:paris-10/fr/ordonnance");
}

TEST_F(SheetFormTest, ResettingASheetOthersLinkToIsAProblemOfNoField) {
  SheetFields linking = Fields("tribunal", "Tribunal");
  linking.related = {"aide-locale"};
  const std::vector<LocalSheet> without = {{"paris-10", "fr", "tribunal", ComposeSheet(linking)}};
  const LocalSheetCheck checked = CheckLocalSheets(dir_, without);
  ASSERT_EQ(checked.problems.size(), 1u);
  EXPECT_EQ(checked.problems[0].field, "");
  EXPECT_NE(checked.problems[0].message.find("console:paris-10/fr/tribunal"), std::string::npos);
}

TEST_F(SheetFormTest, AServedLibraryIsReplacedWhileARequestKeepsItsOwn) {
  std::vector<Problem> problems;
  ServedSheets served(SheetLibrary::Load(dir_, problems));
  const auto before = served.Current();
  served.Replace(SheetLibrary::Load(
      dir_, problems, {{"paris-10", "fr", "ordonnance", ComposeSheet(Fields("ordonnance", "Nouvelle"))}}));
  ASSERT_TRUE(problems.empty());
  EXPECT_EQ(before->Find("fr", "paris-10", "ordonnance")->title, "Ordonnance de protection");
  EXPECT_EQ(served.Current()->Find("fr", "paris-10", "ordonnance")->title, "Nouvelle");
}

}  // namespace
}  // namespace passerelle::content
