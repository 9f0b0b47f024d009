#include "core/html.h"

#include <gtest/gtest.h>

namespace passerelle::core {
namespace {

TEST(HtmlEscape, EscapesTheFiveCharacters) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">l'&</a>"), "&lt;a href=&quot;x&quot;&gt;l&#39;&amp;&lt;/a&gt;");
}

}  // namespace
}  // namespace passerelle::core
