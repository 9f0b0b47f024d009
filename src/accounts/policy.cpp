#include "accounts/policy.h"

#include <algorithm>
#include <cassert>

#include "http/cookie.h"

namespace passerelle::accounts {

namespace {

bool Intersects(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return std::any_of(a.begin(), a.end(),
                     [&](const std::string& x) { return std::find(b.begin(), b.end(), x) != b.end(); });
}

bool IsProPath(std::string_view path) { return path == "/pro" || path.rfind("/pro/", 0) == 0; }

// Drops the session cookie from a request (it named no valid session).
void ForgetCookie(http::Request& request) {
  std::erase_if(request.headers, [](const auto& header) { return header.first == "cookie"; });
}

}  // namespace

std::string FormToken(const http::Request& request, const Principal& principal) {
  return principal.account_id.empty() ? request.csrf_token : principal.csrf_token;
}

nlohmann::json NavLinks(const Principal& principal) {
  const bool signed_in = !principal.account_id.empty();
  return {{"member", signed_in && principal.role == Role::kMember},
          {"manager", signed_in && principal.role != Role::kMember}};
}

ProRoutes::ProRoutes(http::Router& router, SessionStore& sessions, const http::CsrfGuard& csrf,
                     const http::Renderer& renderer, CookieSettings cookie, Clock clock)
    : router_(router),
      sessions_(sessions),
      csrf_(csrf),
      renderer_(renderer),
      cookie_(cookie),
      clock_(std::move(clock)) {}

void ProRoutes::AddResolver(std::string_view kind, OwnerResolver resolver) {
  resolvers_[std::string(kind)] = std::move(resolver);
}

void ProRoutes::Get(std::string pattern, Access access, ProHandler handler, http::Priority priority) {
  Add(http::Method::kGet, std::move(pattern), std::move(access), std::move(handler), priority);
}

void ProRoutes::Post(std::string pattern, Access access, ProHandler handler, http::Priority priority) {
  Add(http::Method::kPost, std::move(pattern), std::move(access), std::move(handler), priority);
}

void ProRoutes::GetAnonymous(std::string pattern, http::Handler handler) {
  Add(
      http::Method::kGet, std::move(pattern), Access::Anonymous(),
      [handler = std::move(handler)](http::Request& request, const Principal&) { return handler(request); },
      http::Priority::kPublic);
}

void ProRoutes::PostAnonymous(std::string pattern, http::Handler handler) {
  Add(
      http::Method::kPost, std::move(pattern), Access::Anonymous(),
      [handler = std::move(handler)](http::Request& request, const Principal&) { return handler(request); },
      http::Priority::kLogin);
}

std::string ProRoutes::TokenOf(const http::Request& request) const {
  const auto header = request.Header("cookie");
  return header ? http::CookieValue(*header, cookie_.Name()) : std::string();
}

bool ProRoutes::HasLiveSession(const http::Request& request) const {
  const std::string token = TokenOf(request);
  return !token.empty() && sessions_.IsLive(token);
}

std::optional<Principal> ProRoutes::Authenticate(const http::Request& request) const {
  const std::string token = TokenOf(request);
  if (token.empty()) return std::nullopt;
  auto principal = sessions_.Resume(token);
  if (principal) principal->csrf_token = csrf_.Issue(SessionStore::CsrfScopeOf(token), clock_());
  return principal;
}

std::string ProRoutes::CsrfScope(const http::Request& request) const {
  if (!IsProPath(request.path)) return "public";
  const std::string token = TokenOf(request);
  return token.empty() ? "public" : SessionStore::CsrfScopeOf(token);
}

std::string ProRoutes::SessionCookie(const std::string& token) const {
  return cookie_.Name() + "=" + token + "; Path=" + cookie_.Path() + "; HttpOnly; SameSite=Strict" +
         (cookie_.secure ? "; Secure" : "");
}

std::string ProRoutes::ClearedCookie() const {
  return cookie_.Name() + "=; Path=" + cookie_.Path() + "; Max-Age=0; HttpOnly; SameSite=Strict" +
         (cookie_.secure ? "; Secure" : "");
}

Decision ProRoutes::Decide(const Access& access, const Principal* principal,
                           const std::map<std::string, std::string>& path_params) const {
  if (access.anonymous) return Decision::kAllow;
  if (principal == nullptr) return Decision::kSignIn;
  if (std::find(access.roles.begin(), access.roles.end(), principal->role) == access.roles.end()) {
    return Decision::kNotFound;
  }
  for (const ObjectRule& rule : access.objects) {
    const auto param = path_params.find(rule.param);
    const auto resolver = resolvers_.find(rule.kind);
    // A rule naming no parameter or no resolver is a declaration error: it denies.
    if (param == path_params.end() || resolver == resolvers_.end() || !resolver->second) return Decision::kNotFound;
    const auto owner = resolver->second(param->second);
    if (!owner) return Decision::kNotFound;
    switch (principal->role) {
      case Role::kMember:
        if (!Intersects(owner->organization_ids, principal->organization_ids)) return Decision::kNotFound;
        break;
      case Role::kCoordinator:
        if (principal->territory_slug.empty() || std::find(owner->territory_slugs.begin(), owner->territory_slugs.end(),
                                                           principal->territory_slug) == owner->territory_slugs.end()) {
          return Decision::kNotFound;
        }
        break;
      case Role::kOperator:
        break;
    }
  }
  return Decision::kAllow;
}

http::Response ProRoutes::Deny(Decision decision, const http::Request& request) const {
  if (decision == Decision::kSignIn) {
    if (http::IsSafe(request.method)) {
      http::Response response = http::Response::Redirect(303, "/pro");
      if (!TokenOf(request).empty()) response.SetHeader("Set-Cookie", ClearedCookie());
      return response;
    }
    http::Response response =
        renderer_.Page(request, 401, "pro/signed_out", "Session terminée", nlohmann::json::object());
    if (!TokenOf(request).empty()) response.SetHeader("Set-Cookie", ClearedCookie());
    return response;
  }
  // Not allowed, another owner's object and an unknown id look the same.
  return http::Response::Error(404);
}

void ProRoutes::Add(http::Method method, std::string pattern, Access access, ProHandler handler,
                    http::Priority priority) {
  assert(IsProPath(pattern));
  const std::size_t index = routes_.size();
  routes_.push_back(DeclaredRoute{method, pattern, access, priority});
  router_.Add(
      method, std::move(pattern),
      [this, index, access = std::move(access), handler = std::move(handler)](http::Request& request) {
        std::optional<Principal> principal;
        const bool had_cookie = !TokenOf(request).empty();
        if (had_cookie) principal = Authenticate(request);
        const bool stale = had_cookie && !principal;
        if (access.anonymous) {
          // A cookie that names no session is dropped, so that the page's forms carry the
          // public CSRF token matching what the browser will send next.
          if (stale) ForgetCookie(request);
          if (observer_) observer_(index);
          http::Response response = handler(request, principal ? *principal : Principal{});
          if (stale && !response.Header("Set-Cookie")) response.SetHeader("Set-Cookie", ClearedCookie());
          return response;
        }
        const Decision decision = Decide(access, principal ? &*principal : nullptr, request.path_params);
        if (decision != Decision::kAllow) return Deny(decision, request);
        if (observer_) observer_(index);
        return handler(request, *principal);
      },
      priority);
}

}  // namespace passerelle::accounts
