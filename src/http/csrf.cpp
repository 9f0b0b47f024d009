#include "http/csrf.h"

#include <cstdint>

#include "core/crypto.h"
#include "http/multipart.h"

namespace passerelle::http {

namespace {

constexpr std::size_t kMacBytes = 16;

std::string Mac(const std::string& key, std::string_view scope, std::string_view issued) {
  std::string message = "csrf1|";
  message += scope;
  message += '|';
  message += issued;
  return core::HmacSha256(key, message).substr(0, kMacBytes);
}

std::string EncodeTime(std::int64_t seconds) {
  std::string bytes(8, '\0');
  for (int i = 7; i >= 0; --i) {
    bytes[i] = static_cast<char>(seconds & 0xff);
    seconds >>= 8;
  }
  return bytes;
}

std::int64_t DecodeTime(std::string_view bytes) {
  std::int64_t seconds = 0;
  for (unsigned char c : bytes) seconds = (seconds << 8) | c;
  return seconds;
}

// "host[:port]" of an Origin such as "https://example.org:8443".
std::string_view OriginHost(std::string_view origin) {
  const auto scheme_end = origin.find("://");
  if (scheme_end == std::string_view::npos) return {};
  return origin.substr(scheme_end + 3);
}

}  // namespace

std::string CsrfGuard::Issue(std::string_view scope, std::chrono::system_clock::time_point now) const {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  // A token is a function of the key, the scope and the second only: every page of the same
  // second carries the same one. Each thread keeps the last it computed, so that one HMAC is
  // done per thread and second instead of one per page (ADR 0017; a fifth of a cached page's
  // instructions). The same bytes as before, the same check.
  struct Last {
    std::string key;
    std::string scope;
    std::int64_t seconds = 0;
    std::string token;
  };
  thread_local Last last;
  if (!last.token.empty() && last.seconds == seconds && last.scope == scope && last.key == key_) return last.token;
  const std::string issued = EncodeTime(seconds);
  std::string token = core::Base64UrlEncode(issued + Mac(key_, scope, issued));
  last = Last{key_, std::string(scope), seconds, token};
  return token;
}

bool CsrfGuard::VerifyToken(std::string_view token, std::string_view scope,
                            std::chrono::system_clock::time_point now) const {
  const auto raw = core::Base64UrlDecode(token);
  if (!raw || raw->size() != 8 + kMacBytes) return false;
  const std::string issued = raw->substr(0, 8);
  if (!core::ConstantTimeEquals(raw->substr(8), Mac(key_, scope, issued))) return false;
  const auto now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const auto age = now_s - DecodeTime(issued);
  return age >= -60 && age <= kLifetime.count();  // a minute of clock skew between instances
}

CsrfGuard::Verdict CsrfGuard::Check(const Request& request, std::string_view scope,
                                    std::chrono::system_clock::time_point now) const {
  // Our pages send `Referrer-Policy: no-referrer`, under which browsers send `Origin: null` on
  // form posts. So Sec-Fetch-Site decides when present; without it (older browsers, e.g. Safari
  // before 16.4 on phones that cannot update), a real foreign Origin is refused and an opaque
  // "null" one falls through to the token check.
  if (const auto site = request.Header("sec-fetch-site")) {
    if (*site != "same-origin") return Verdict::kCrossSite;
  } else if (const auto origin = request.Header("origin"); origin && *origin != "null") {
    const auto host = request.Header("host");
    if (!host || OriginHost(*origin) != *host) return Verdict::kCrossSite;
  }
  std::string token;
  if (const auto header = request.Header(kHeaderName)) {
    token = std::string(*header);
  } else if (const auto content_type = request.Header("content-type");
             content_type && content_type->substr(0, 33) == "application/x-www-form-urlencoded") {
    token = request.Form().Get(kFieldName).value_or("");
  } else if (content_type && MultipartBoundary(*content_type)) {
    // A file upload (multipart/form-data): its `_csrf` part.
    if (const auto parts = ParseMultipart(*content_type, request.body)) {
      if (const MultipartPart* part = parts->Find(kFieldName)) token = std::string(part->body);
    }
  }
  if (token.empty() || !VerifyToken(token, scope, now)) return Verdict::kBadToken;
  return Verdict::kAllowed;
}

}  // namespace passerelle::http
