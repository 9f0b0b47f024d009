#include "content/markdown.h"

#include <gtest/gtest.h>

namespace passerelle::content {
namespace {

TEST(RenderMarkdown, RendersHeadingsListsAndTables) {
  const std::string html = RenderMarkdown("## Titre\n\n- un\n- deux\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
  EXPECT_NE(html.find("<h2>Titre</h2>"), std::string::npos) << html;
  EXPECT_NE(html.find("<li>deux</li>"), std::string::npos) << html;
  EXPECT_NE(html.find("<table>"), std::string::npos) << html;
}

TEST(RenderMarkdown, DropsRawHtmlAndScriptLinks) {
  const std::string html = RenderMarkdown(
      "<script>alert(1)</script>\n\nTexte <img src=x onerror=alert(1)> et [lien](javascript:alert(1)).\n");
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("<img"), std::string::npos) << html;
  EXPECT_EQ(html.find("javascript:"), std::string::npos) << html;
}

}  // namespace
}  // namespace passerelle::content
