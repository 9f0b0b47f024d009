// Practical sheets (content/sheets/<locale>/<slug>.md and territory sheets): the front matter
// reader content::ParseSheetFile, then the Markdown renderer content::RenderMarkdown (cmark-gfm,
// safe mode) on the body and on the whole input. Property: the HTML never carries a script, frame,
// object or style element or a javascript:/vbscript: link, whatever the Markdown says.
#include <algorithm>
#include <cctype>
#include <string>

#include "content/front_matter.h"
#include "content/markdown.h"
#include "fuzz_support.h"

using namespace passerelle;

namespace {

void CheckSafe(const std::string& html) {
  std::string lower = html;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  // Text is escaped, so every '<' left is a tag cmark wrote itself.
  for (const char* tag : {"<script", "<iframe", "<object", "<embed", "<style", "<svg", "<form", "<base"}) {
    FUZZ_CHECK(lower.find(tag) == std::string::npos);
  }
  for (const char* link : {"href=\"javascript:", "src=\"javascript:", "href=\"vbscript:", "src=\"vbscript:"}) {
    FUZZ_CHECK(lower.find(link) == std::string::npos);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::Text(data, size);
  const content::ParsedSheet parsed = content::ParseSheetFile(text, "fuzz.md");
  for (const auto& p : parsed.problems) (void)p.ToString();
  CheckSafe(content::RenderMarkdown(parsed.sheet.body_markdown));
  CheckSafe(content::RenderMarkdown(text));
  return 0;
}
