#include "content/search.h"

#include <gtest/gtest.h>

namespace passerelle::content {
namespace {

TEST(SearchWords, FoldsAccentsCaseAndPunctuation) {
  EXPECT_EQ(SearchWords("Étaples, l’ÉTÉ — œuvre"), (std::vector<std::string>{"etaples", "l", "ete", "oeuvre"}));
  EXPECT_EQ(SearchWords("Garde à vue : 48 h"), (std::vector<std::string>{"garde", "a", "vue", "48", "h"}));
  // Arabic letters are kept.
  EXPECT_EQ(SearchWords("شكوى").size(), 1u);
}

TEST(WithinOneEdit, AcceptsOneTypoOnly) {
  EXPECT_TRUE(WithinOneEdit("plainte", "plainte"));
  EXPECT_TRUE(WithinOneEdit("plainte", "plaint"));    // deletion
  EXPECT_TRUE(WithinOneEdit("plainte", "plainnte"));  // insertion
  EXPECT_TRUE(WithinOneEdit("plainte", "plainre"));   // substitution
  EXPECT_TRUE(WithinOneEdit("plainte", "palinte"));   // transposition
  EXPECT_FALSE(WithinOneEdit("plainte", "plante1x"));
  EXPECT_FALSE(WithinOneEdit("plainte", "pliante2"));
  EXPECT_FALSE(WithinOneEdit("divorce", "devoirs"));
}

TEST(SearchIndex, RanksTitleAboveSummaryAboveBody) {
  SearchIndex index;
  index.Add({"Logement", "Rester chez soi", "le divorce est évoqué ici"});
  index.Add({"Enfants", "Le divorce et les enfants", "garde"});
  index.Add({"Séparation et divorce", "Les étapes", "juge"});
  const auto hits = index.Search("divorce", 10);
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].document, 2u);
  EXPECT_EQ(hits[1].document, 1u);
  EXPECT_EQ(hits[2].document, 0u);
}

TEST(SearchIndex, MatchesWithoutAccentsWithATypoAndIgnoresStopWords) {
  SearchIndex index;
  index.Add({"Hébergement d'urgence", "Le 115", "mise à l'abri"});
  index.Add({"Porter plainte", "Commissariat", "gendarmerie"});
  EXPECT_EQ(index.Search("hebergement", 5).at(0).document, 0u);
  EXPECT_EQ(index.Search("herbergement", 5).at(0).document, 0u);
  EXPECT_EQ(index.Search("porter plaine", 5).at(0).document, 1u);
  EXPECT_TRUE(index.Search("le la de", 5).empty());
  EXPECT_TRUE(index.Search("astronomie", 5).empty());
}

}  // namespace
}  // namespace passerelle::content
