#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace passerelle::http {

// One part of a `multipart/form-data` body (RFC 7578). The views point into the body given to
// ParseMultipart: they live as long as it does.
struct MultipartPart {
  std::string name;                     // the form field's name, as the browser wrote it
  std::optional<std::string> filename;  // set for a file input (maybe empty: no file chosen)
  std::string content_type;             // "" when the part has none (text/plain then)
  std::string_view body;
};

struct MultipartLimits {
  std::size_t max_parts = 16;
  std::size_t max_part_headers = 8;              // header lines of one part
  std::size_t max_part_header_bytes = 2 * 1024;  // one header line
};

struct Multipart {
  std::vector<MultipartPart> parts;
  // The first part named `name`, or nullptr.
  const MultipartPart* Find(std::string_view name) const;
};

// The boundary of a `multipart/form-data` Content-Type ("multipart/form-data; boundary=…",
// maybe quoted), or nullopt when the type is another one or the boundary is missing or invalid
// (RFC 2046: 1 to 70 characters of its alphabet, not ending with a space).
std::optional<std::string> MultipartBoundary(std::string_view content_type);

// Parses a whole `multipart/form-data` body, strictly, the way browsers send it: no preamble,
// CRLF line ends, each part with a `Content-Disposition: form-data; name="…"` header, the close
// delimiter last (a final CRLF allowed, nothing else). Unknown part headers are ignored; the
// limits bound the work. Nullopt when the body is malformed, with a short English reason (for the log;
// never personal data) in `error`.
std::optional<Multipart> ParseMultipart(std::string_view content_type, std::string_view body,
                                        const MultipartLimits& limits = {}, std::string* error = nullptr);

}  // namespace passerelle::http
