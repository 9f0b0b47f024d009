#include "referral/text.h"

#include <gtest/gtest.h>

namespace passerelle::referral {
namespace {

TEST(TextTest, DropsBidirectionalOverridesAndIsolates) {
  // "abc" U+202E "gnp.exe" would read "abcexe.png".
  EXPECT_EQ(WithoutInvisibleFormatting("abc\u202Egnp.exe"), "abcgnp.exe");
  EXPECT_EQ(WithoutInvisibleFormatting("\u202A\u202B\u202C\u202D\u202Ex"), "x");
  EXPECT_EQ(WithoutInvisibleFormatting("\u2066a\u2067b\u2068c\u2069"), "abc");
}

TEST(TextTest, DropsZeroWidthSpacesAndWordJoiners) {
  EXPECT_EQ(WithoutInvisibleFormatting("06\u200B12\u2060 34\uFEFF56\u180E"), "0612 3456");
  EXPECT_EQ(WithoutInvisibleFormatting("\u2061\u2062\u2063\u2064"), "");
}

TEST(TextTest, KeepsWhatScriptsAndEmojiNeed) {
  // Joiners (Persian, emoji sequences), direction marks, Arabic, accents, other U+20xx signs.
  for (const char* kept : {"می\u200Cخواهم", "👩\u200D👧", "a\u200Eb\u200Fc\u061C", "مرحبا Zoé", "5 €…", "‘é’ — « x »"}) {
    EXPECT_EQ(WithoutInvisibleFormatting(kept), kept) << kept;
  }
}

TEST(TextTest, TrimTextCleansThenTrims) {
  EXPECT_EQ(TrimText("\u200B  Bonjour\u202E \n"), "Bonjour");
  EXPECT_EQ(TrimText("\u202E\u200B"), "");
  EXPECT_FALSE(IsAcceptableText(TrimText("\u200B\u200B"), 10, Multiline::kNo, Required::kYes));
}

}  // namespace
}  // namespace passerelle::referral
