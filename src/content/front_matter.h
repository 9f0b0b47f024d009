#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "content/sheet.h"

namespace passerelle::content {

// Parses a sheet file: front matter between two `---` lines (a strict YAML subset: `key: value`
// on one line, lists as `  - item` lines under `key:`), then Markdown. Fills every field but
// body_html, locale and territory. Problems name the line.
struct ParsedSheet {
  Sheet sheet;
  std::vector<Problem> problems;
};
ParsedSheet ParseSheetFile(std::string_view text, const std::string& file);

}  // namespace passerelle::content
