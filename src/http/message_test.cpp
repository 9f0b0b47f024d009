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

TEST(HtmlEscape, EscapesTheFiveCharacters) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">l'&</a>"), "&lt;a href=&quot;x&quot;&gt;l&#39;&amp;&lt;/a&gt;");
}

TEST(Response, HeadersAreCaseInsensitiveAndReplaced) {
  Response r = Response::Html(200, "x");
  r.SetHeader("content-type", "text/plain");
  EXPECT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.Header("Content-Type"), "text/plain");
}

}  // namespace
}  // namespace passerelle::http
