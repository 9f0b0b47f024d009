#include "content/library.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "content/register.h"
#include "core/crypto.h"

namespace passerelle::content {
namespace {

namespace fs = std::filesystem;

std::string SheetText(const std::string& slug, const std::string& title, const std::string& extra_body = "",
                      const std::string& related = "", const std::string& source = "https://www.service-public.fr/") {
  return "---\nslug: " + slug + "\ntitle: " + title + "\nsummary: Résumé de " + title +
         ".\ntopics:\n  - plainte\naudience: victime\nlegal_references:\n  - Code pénal, art. 222-13\nsources:\n  - " +
         source + "\nwritten_on: 2026-11-23\nreviewed_on: 2026-11-23\n" +
         (related.empty() ? "" : "related:\n  - " + related + "\n") + "---\nTexte de " + title + ". " + extra_body +
         "\n";
}

class LibraryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    core::InitCrypto();
    dir_ = fs::temp_directory_path() / ("passerelle-sheets-" + core::RandomHex(6));
    fs::create_directories(dir_ / "sheets" / "fr");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const fs::path& relative, const std::string& text) {
    fs::create_directories((dir_ / relative).parent_path());
    std::ofstream(dir_ / relative) << text;
  }
  fs::path dir_;
};

TEST_F(LibraryTest, TerritorySheetsAddOrReplaceNationalOnesForThatTerritoryOnly) {
  Write("sheets/fr/porter-plainte.md", SheetText("porter-plainte", "Porter plainte", "", "ordonnance"));
  Write("sheets/fr/ordonnance.md", SheetText("ordonnance", "Ordonnance de protection"));
  Write("territories/montreuillois/sheets/fr/ordonnance.md",
        SheetText("ordonnance", "Ordonnance de protection à Boulogne-sur-Mer"));
  Write("territories/montreuillois/sheets/fr/tribunal.md", SheetText("tribunal", "Le tribunal judiciaire"));
  std::vector<Problem> problems;
  const SheetLibrary library = SheetLibrary::Load(dir_, problems);
  ASSERT_TRUE(problems.empty()) << problems[0].ToString();
  EXPECT_EQ(library.Find("fr", "", "ordonnance")->title, "Ordonnance de protection");
  EXPECT_EQ(library.Find("fr", "paris-10", "ordonnance")->title, "Ordonnance de protection");
  EXPECT_EQ(library.Find("fr", "montreuillois", "ordonnance")->title, "Ordonnance de protection à Boulogne-sur-Mer");
  EXPECT_EQ(library.Find("fr", "paris-10", "tribunal"), nullptr);
  EXPECT_EQ(library.All("fr", "paris-10").size(), 2u);
  EXPECT_EQ(library.All("fr", "montreuillois").size(), 3u);
  EXPECT_EQ(library.Find("en", "", "ordonnance"), nullptr);
  const auto found = library.Search("fr", "montreuillois", "boulogne", 3);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->territory, "montreuillois");
  EXPECT_TRUE(library.Search("fr", "paris-10", "boulogne", 3).empty());
}

TEST_F(LibraryTest, BrokenReferencesAreNamedWithFileAndLine) {
  Write("sheets/fr/a.md", SheetText("a", "A", "Voir [la fiche B](/fiches/b-inexistante).", "c-inexistante"));
  Write("sheets/fr/d.md",
        SheetText("d", "D", "[blog](https://blog.example.com/x)", "", "http://www.service-public.fr/"));
  Write("sheets/fr/e.md", SheetText("autre-slug", "E"));
  std::vector<Problem> problems;
  (void)SheetLibrary::Load(dir_, problems);
  auto has = [&](const std::string& file, const std::string& text, int line) {
    for (const Problem& p : problems) {
      if (p.file.ends_with(file) && p.message.find(text) != std::string::npos) {
        EXPECT_EQ(p.line, line) << p.ToString();
        return true;
      }
    }
    return false;
  };
  EXPECT_TRUE(has("a.md", "fiche liée introuvable « c-inexistante »", 15));
  EXPECT_TRUE(has("a.md", "lien interne vers une fiche introuvable : /fiches/b-inexistante", 17));
  EXPECT_TRUE(has("d.md", "source hors liste", 11));
  EXPECT_TRUE(has("d.md", "lien externe hors liste", 15));
  EXPECT_TRUE(has("e.md", "doit être le nom du fichier", 2));
}

TEST(IsolateNumberGroups, KeepsPhoneNumbersLeftToRight) {
  const std::string lri = "\u2066", pdi = "\u2069";
  EXPECT_EQ(IsolateNumberGroups("الرقم 116 006 مجاني"), "الرقم " + lri + "116 006" + pdi + " مجاني");
  EXPECT_EQ(IsolateNumberGroups("0800 235 236 — Fil Santé Jeunes"), lri + "0800 235 236" + pdi + " — Fil Santé Jeunes");
  // A single number, or numbers separated by anything else than spaces, are left alone.
  EXPECT_EQ(IsolateNumberGroups("3919, 17 et 115"), "3919, 17 et 115");
  EXPECT_EQ(IsolateNumberGroups("art. 515-9, 24 h/24"), "art. 515-9, 24 h/24");
}

TEST_F(LibraryTest, ArabicSheetsKeepNumberGroupsLeftToRight) {
  Write("sheets/fr/numeros.md", SheetText("numeros", "Numéros", "France Victimes : 116 006."));
  Write("sheets/ar/numeros.md", SheetText("numeros", "أرقام 116 006", "France Victimes : 116 006."));
  std::vector<Problem> problems;
  const SheetLibrary library = SheetLibrary::Load(dir_, problems);
  ASSERT_TRUE(problems.empty()) << problems[0].ToString();
  EXPECT_NE(library.Find("ar", "", "numeros")->body_html.find("\u2066116 006\u2069"), std::string::npos);
  EXPECT_EQ(library.Find("ar", "", "numeros")->title, "أرقام \u2066116 006\u2069");
  EXPECT_EQ(library.Find("fr", "", "numeros")->body_html.find("\u2066"), std::string::npos) << "French unchanged";
}

TEST(IsOfficialSourceUrl, AcceptsHttpsOnOfficialDomainsOnly) {
  EXPECT_TRUE(IsOfficialSourceUrl("https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000043551347"));
  EXPECT_TRUE(IsOfficialSourceUrl("https://arretonslesviolences.gouv.fr/"));
  EXPECT_FALSE(IsOfficialSourceUrl("http://www.legifrance.gouv.fr/"));
  EXPECT_FALSE(IsOfficialSourceUrl("https://legifrance.gouv.fr.evil.example/"));
  EXPECT_FALSE(IsOfficialSourceUrl("https://notlegifrance.gouv.fr/"));
  EXPECT_FALSE(IsOfficialSourceUrl("https://www.service-public.fr/a b"));
}

TEST(FrenchDate, WritesTheDateInFrench) {
  EXPECT_EQ(FrenchDate("2026-11-23"), "23 novembre 2026");
  EXPECT_EQ(FrenchDate("2024-06-01"), "1er juin 2024");
  EXPECT_EQ(LocalDate("en", "2024-06-01"), "1 June 2024");
  EXPECT_EQ(LocalDate("ar", "2026-11-23"), "23 نوفمبر 2026");
  EXPECT_EQ(LocalDate("en", "2026-13-01"), "2026-13-01");
}

}  // namespace
}  // namespace passerelle::content
