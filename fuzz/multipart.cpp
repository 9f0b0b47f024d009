// Multipart bodies (multipart/form-data: the file upload of the territory console,
// /pro/territoires/{territory}/import): http::ParseMultipart and MultipartBoundary. Properties:
// never crashes nor reads out of bounds; every part's body lies inside the input; a parsed body
// has at most max_parts parts, each named; a body built from parsed parts parses back alike.
#include <string>

#include "fuzz_support.h"
#include "http/multipart.h"

using namespace passerelle;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz::Text(data, size);
  // The first line is the Content-Type, the rest the body.
  const std::size_t eol = input.find('\n');
  const std::string_view type = eol == std::string_view::npos ? input : input.substr(0, eol);
  const std::string_view body = eol == std::string_view::npos ? std::string_view() : input.substr(eol + 1);
  (void)http::MultipartBoundary(type);
  http::MultipartLimits limits;
  limits.max_parts = 8;
  const auto parsed = http::ParseMultipart(type, body, limits);
  if (!parsed) return 0;
  FUZZ_CHECK(!parsed->parts.empty() && parsed->parts.size() <= limits.max_parts);
  const std::string boundary = *http::MultipartBoundary(type);
  std::string rebuilt;
  for (const http::MultipartPart& part : parsed->parts) {
    FUZZ_CHECK(!part.name.empty());
    FUZZ_CHECK(part.body.data() >= body.data() && part.body.data() + part.body.size() <= body.data() + body.size());
    rebuilt += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part.name + "\"";
    if (part.filename) rebuilt += "; filename=\"" + *part.filename + "\"";
    rebuilt += "\r\n\r\n" + std::string(part.body) + "\r\n";
  }
  rebuilt += "--" + boundary + "--\r\n";
  const auto again = http::ParseMultipart(type, rebuilt, limits);
  FUZZ_CHECK(again && again->parts.size() == parsed->parts.size());
  for (std::size_t i = 0; i < parsed->parts.size(); ++i) {
    FUZZ_CHECK(again->parts[i].name == parsed->parts[i].name);
    FUZZ_CHECK(again->parts[i].body == parsed->parts[i].body);
  }
  return 0;
}
