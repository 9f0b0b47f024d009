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

}  // namespace
}  // namespace passerelle::http
