#pragma once

#include <string>
#include <string_view>

namespace passerelle::core {

// Escapes the five characters that matter in HTML text and quoted attributes (& < > " ').
// The one escaping function: http's templates and error pages and the accounts' QR code SVG.
std::string HtmlEscape(std::string_view text);

}  // namespace passerelle::core
