#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/error.h"
#include "http/csrf.h"
#include "http/message.h"
#include "http/router.h"
#include "http/static_files.h"
#include "http/templates.h"

namespace passerelle::http {

// Fixed-window counter of state-changing requests per client address, kept in memory only
// (never stored, never logged).
class RateLimiter {
 public:
  RateLimiter(std::size_t limit, std::chrono::seconds window) : limit_(limit), window_(window) {}
  // Nullopt when allowed; otherwise the seconds until the client may try again.
  std::optional<std::chrono::seconds> Hit(const std::string& client, std::chrono::steady_clock::time_point now);

 private:
  std::size_t limit_;
  std::chrono::seconds window_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point window_start_{};
  std::unordered_map<std::string, std::size_t> counts_;
};

struct PipelineOptions {
  std::size_t max_body_bytes = 256 * 1024;
  std::size_t post_limit_per_minute = 120;
  // The help class (help flow, referral, /suivi) has its own, larger budget, so that women behind
  // one shared address can all finish; under load, the priority queues protect it.
  std::size_t help_post_limit_per_minute = 1200;
};

int StatusOf(core::ErrorCode code);

// The response for an expected failure of a domain service.
inline Response ErrorFor(const core::Error& error) {
  return Response::Error(StatusOf(error.code), error.public_message);
}

// Everything between the socket adapter and a domain handler: body limit, static files,
// rate limit, CSRF, routing (404/405), error pages, caching and security headers, request log.
// Handle() never throws.
class Pipeline {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  // Describes an exception for the log without personal data (e.g. the storage layer's).
  using ErrorDescriber = std::function<std::optional<std::string>(const std::exception&)>;

  Pipeline(const Router& router, const StaticFiles& static_files, const Renderer& renderer, const CsrfGuard& csrf,
           PipelineOptions options, Clock clock, ErrorDescriber describe_error = {});

  Response Handle(Request& request);

  // --- accounts: the CSRF scope of a state-changing request; "public" when unset. The
  // professional space binds its forms to the session (accounts::ProRoutes::CsrfScope). ---
  using CsrfScope = std::function<std::string(const Request&)>;
  void SetCsrfScope(CsrfScope scope) { csrf_scope_ = std::move(scope); }
  // --- end accounts ---

  // The class of `request` under load (http/priority.h): its route's, after the language prefix;
  // static files and unknown paths are kPublic. Cheap: called on the I/O thread.
  Priority PriorityOf(const Request& request) const;
  // Its class, and whether it may run on the I/O thread when no request waits (ADR 0017): a GET
  // or HEAD of a static file or of a route marked never blocking (Router::NonBlockingScope), in
  // the help or public class. Cheap: called on the I/O thread.
  Admission AdmissionOf(const Request& request) const;

  // The body limit of `request`'s route (Router::SetBodyLimit), after the language prefix, else
  // `options.max_body_bytes`. Cheap: called on the I/O thread once the request head is read.
  std::size_t BodyLimitOf(const Request& request) const;
  // What the server must accept at most before asking BodyLimitOf (ServerOptions::max_body_bytes).
  std::size_t LargestBodyLimit() const;

  // The answer to a request shed under load (http/admission.h): 503 with Retry-After, the error
  // page in the request's language (with the emergency numbers and the help button), the same
  // headers as any response, one log line `event=shed`.
  Response Overloaded(Request& request, std::string_view priority_class);

  // The French error page (HTML) or error object (JSON, under /api/) for `status`.
  Response ErrorResponse(const Request& request, int status, const std::string& message = {}) const;

 private:
  Response Dispatch(Request& request, std::string& route_for_log);
  // `given_back`: her text, shown on the error page so that she can copy it (errors/error).
  Response ErrorPage(const Request& request, int status, const std::string& message,
                     const nlohmann::json& given_back) const;
  // 400 naming the first query or form field that is not UTF-8 (issue 15, F4), or nullopt.
  std::optional<Response> RefuseInvalidUtf8(const Request& request) const;

  const Router& router_;
  const StaticFiles& static_files_;
  const Renderer& renderer_;
  const CsrfGuard& csrf_;
  PipelineOptions options_;
  Clock clock_;
  ErrorDescriber describe_error_;
  RateLimiter post_limiter_;
  RateLimiter help_post_limiter_;
  CsrfScope csrf_scope_;  // accounts
};

// The client address to rate-limit on: the peer, or the last X-Forwarded-For entry when the
// peer is a reverse proxy on this machine (loopback).
std::string ClientAddress(const Request& request);

}  // namespace passerelle::http
