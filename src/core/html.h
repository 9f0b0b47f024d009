#pragma once

#include <string>
#include <string_view>

namespace passerelle::core {

// Escapes the five characters that matter in HTML text and quoted attributes (& < > " ').
// The one escaping function: http's templates and error pages and the accounts' QR code SVG.
std::string HtmlEscape(std::string_view text);

// Percent-encodes every byte but the RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~), for a
// value in a URL's path, query or label: the accounts' otpauth:// label, the console's links
// that keep a list's filters.
std::string PercentEncode(std::string_view text);

}  // namespace passerelle::core
