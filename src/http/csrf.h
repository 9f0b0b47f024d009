#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "http/message.h"

namespace passerelle::http {

// Cookie-free CSRF protection for state-changing requests: the request must come from this
// site (Sec-Fetch-Site / Origin) AND carry a token the server signed. Tokens are stateless
// (issue time + HMAC over a scope), so any instance can check them and nothing is stored for
// the public. Public pages use the scope "public"; the professional space binds tokens to its
// session id.
class CsrfGuard {
 public:
  static constexpr std::chrono::seconds kLifetime{12 * 3600};  // a tab left open half a day
  static constexpr std::string_view kFieldName = "_csrf";
  static constexpr std::string_view kHeaderName = "x-csrf-token";

  explicit CsrfGuard(std::string key) : key_(std::move(key)) {}

  std::string Issue(std::string_view scope, std::chrono::system_clock::time_point now) const;
  bool VerifyToken(std::string_view token, std::string_view scope, std::chrono::system_clock::time_point now) const;

  enum class Verdict { kAllowed, kCrossSite, kBadToken };
  // Checks the request's origin headers, then its token (form field `_csrf`, or header
  // `X-CSRF-Token` for JSON).
  Verdict Check(const Request& request, std::string_view scope, std::chrono::system_clock::time_point now) const;

 private:
  std::string key_;
};

}  // namespace passerelle::http
