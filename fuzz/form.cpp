// Form bodies (application/x-www-form-urlencoded, every POST of the site: /aide/questions,
// /aide/envoi, /suivi, /pro/…) and query strings: http::FormData::Parse, Get/GetAll, the
// percent decoders and the HTML escaping every decoded value goes through when a page gives her
// text back. Properties: escaped text holds no markup character; text without '%' and '+'
// decodes to itself; any text percent-encoded byte by byte decodes to itself.
#include <string>

#include "core/html.h"
#include "fuzz_support.h"
#include "http/message.h"

using namespace passerelle;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = fuzz::Text(data, size);
  http::Request request;
  request.body = std::string(body);
  request.query = std::string(body);
  const http::FormData form = request.Form();
  for (const char* field : {"token", "action", "answer", "message", "pseudonym", "email", "code", "csrf", "place"}) {
    const auto one = form.Get(field);
    const auto all = form.GetAll(field);
    FUZZ_CHECK(one.has_value() == !all.empty());
    if (one) FUZZ_CHECK(*one == all.front());
    for (const std::string& value : all) {
      const std::string escaped = core::HtmlEscape(value);
      FUZZ_CHECK(escaped.find_first_of("<>\"'") == std::string::npos);
    }
  }
  (void)request.QueryParams();
  const std::string path = http::PercentDecodePath(body);
  if (body.find_first_of("%+") == std::string_view::npos) {
    FUZZ_CHECK(http::PercentDecode(body) == body);
    FUZZ_CHECK(path == body);
  }
  // Every byte percent-encoded (as a browser sends her text) decodes to the text.
  std::string encoded;
  for (const unsigned char c : body) {
    constexpr char kHex[] = "0123456789ABCDEF";
    encoded += {'%', kHex[c >> 4], kHex[c & 15]};
  }
  FUZZ_CHECK(http::FormData::Parse("message=" + encoded).Get("message") == std::string(body));
  return 0;
}
