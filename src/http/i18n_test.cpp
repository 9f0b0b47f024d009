#include "http/i18n.h"

#include <gtest/gtest.h>

namespace passerelle::http {
namespace {

TEST(Translator, FrenchIsTheSourceAndCatalogsTranslate) {
  const Translator translator(DefaultLocaleDir());
  EXPECT_EQ(translator.Translate("fr", "Cacher le site"), "Cacher le site");
  EXPECT_EQ(translator.Translate("en", "Cacher le site"), "Leave this site");
  EXPECT_EQ(translator.Translate("ar", "J'ai besoin d'aide"), "أحتاج إلى مساعدة");
  // A string without translation falls back to French rather than to nothing.
  EXPECT_EQ(translator.Translate("en", "Phrase sans traduction"), "Phrase sans traduction");
  EXPECT_TRUE(translator.IsRightToLeft("ar"));
  EXPECT_FALSE(translator.IsRightToLeft("en"));
  EXPECT_FALSE(translator.Supports("de"));
}

TEST(FrenchSpacing, NarrowNoBreakSpaceBeforeHighPunctuationAndInsideQuotes) {
  const std::string n = "\u202F";
  EXPECT_EQ(FrenchSpacing("Que faire ? Appelez : le 17 ; vite !"),
            "Que faire" + n + "? Appelez" + n + ": le 17" + n + "; vite" + n + "!");
  EXPECT_EQ(FrenchSpacing("le bouton « Cacher le site »"), "le bouton «" + n + "Cacher le site" + n + "»");
  EXPECT_EQ(FrenchSpacing("déjà\u00A0: oui"), "déjà" + n + ": oui");
  // Nothing to do without a typed space: addresses, hours, Markdown links.
  for (const char* kept : {"https://www.service-public.fr", "10:30", "[lien](/fiches/preuves)", "a?b", "", " ", "«"}) {
    EXPECT_EQ(FrenchSpacing(kept), kept);
  }
}

TEST(Translator, FrenchStringsGetTheirTypographicSpacesAndTranslationsDoNot) {
  const Translator translator(DefaultLocaleDir());
  EXPECT_EQ(translator.Translate("fr", "Comment préférez-vous être contactée ?"),
            "Comment préférez-vous être contactée\u202F?");
  EXPECT_EQ(translator.Translate("en", "Comment préférez-vous être contactée ?"),
            "How would you prefer to be contacted?");
  // A string without translation falls back to the French msgid as written.
  EXPECT_EQ(translator.Translate("en", "Phrase sans traduction ?"), "Phrase sans traduction ?");
}

}  // namespace
}  // namespace passerelle::http
