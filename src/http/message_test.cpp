#include "http/message.h"

#include <gtest/gtest.h>

namespace passerelle::http {
namespace {

TEST(FormData, DecodesPairsPlusAndPercent) {
  const FormData form = FormData::Parse("a=1&b=deux+mots&c=%C3%A9t%C3%A9&a=2&flag&=x&&");
  EXPECT_EQ(form.Get("a"), "1");
  EXPECT_EQ(form.GetAll("a"), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(form.Get("b"), "deux mots");
  EXPECT_EQ(form.Get("c"), "été");
  EXPECT_EQ(form.Get("flag"), "");
  EXPECT_FALSE(form.Get("missing").has_value());
}

TEST(PercentDecode, LeavesMalformedEscapesAsTheyAre) {
  EXPECT_EQ(PercentDecode("100%"), "100%");
  EXPECT_EQ(PercentDecode("%zz"), "%zz");
  EXPECT_EQ(PercentDecode("%4"), "%4");
  EXPECT_EQ(PercentDecodePath("/a+b%20c"), "/a+b c");
}

TEST(Utf8, AcceptsWellFormedTextAndRefusesEveryIllFormedSequence) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("café été ? مرحبا 😀"));
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  EXPECT_FALSE(IsValidUtf8("caf\xE9"));          // Latin-1 é
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));          // truncated €
}

TEST(Utf8, RepairReplacesEachBadByteAndKeepsTheRest) {
  EXPECT_EQ(RepairUtf8("caf\xE9 \xFF été"), "caf\xEF\xBF\xBD \xEF\xBF\xBD été");
  EXPECT_EQ(RepairUtf8("ok"), "ok");
  EXPECT_TRUE(IsValidUtf8(RepairUtf8("\xC3\xE2\x82\xED\xA0\x80")));
}

TEST(FormData, ListsThePairsWithInvalidUtf8) {
  const FormData form = FormData::Parse("pseudonym=L%C3%A9a&message=caf%E9+%FF&%FFname=x");
  const auto invalid = form.InvalidUtf8Pairs();
  ASSERT_EQ(invalid.size(), 2u);
  EXPECT_EQ(invalid[0].first, "message");
  EXPECT_EQ(invalid[0].second, "caf\xE9 \xFF");
  EXPECT_EQ(invalid[1].first, "\xFFname");
  EXPECT_TRUE(FormData::Parse("a=%C3%A9").InvalidUtf8Pairs().empty());
}

TEST(Response, HeadersAreCaseInsensitiveAndReplaced) {
  Response r = Response::Html(200, "x");
  r.SetHeader("content-type", "text/plain");
  EXPECT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.Header("Content-Type"), "text/plain");
}

}  // namespace
}  // namespace passerelle::http
