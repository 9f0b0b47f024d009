#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "accounts/session.h"
#include "http/csrf.h"
#include "http/message.h"
#include "http/router.h"
#include "http/templates.h"

// Access control of the professional space (issue 4 §8, docs/accounts.md): deny by default, one
// declared policy per route, checked in one place (ProRoutes::Decide). Every /pro route is
// registered through ProRoutes with its Access; nothing under /pro goes on http::Router directly.
namespace passerelle::accounts {

// Kinds of objects named in paths, each with one ownership resolver (ProRoutes::AddResolver).
inline constexpr std::string_view kOrganizationObject = "organization";  // resolver in accounts
inline constexpr std::string_view kAccountObject = "account";            // resolver in accounts
inline constexpr std::string_view kReferralObject = "referral";          // resolver given by the inbox
inline constexpr std::string_view kTerritoryObject = "territory";        // resolver in accounts

// Who owns an object: the organizations it belongs to and the territories it lies in.
//  - a referral: its organization, the organization's territory;
//  - an organization: itself, its territory;
//  - an account: its memberships and their territories (a coordinator: its territory);
//  - a territory: itself.
struct ObjectOwner {
  std::vector<std::string> organization_ids;
  std::vector<std::string> territory_slugs;
};
// The owner of the object `id`, or nothing when it does not exist.
using OwnerResolver = std::function<std::optional<ObjectOwner>(const std::string& id)>;

// One object of a route: the path parameter naming it and its kind. The object must exist and
//  - for a member: belong to one of the member's organizations;
//  - for a coordinator: lie in the coordinator's territory;
//  - for an operator: exist.
struct ObjectRule {
  std::string param;
  std::string kind;
};

struct Access {
  bool anonymous = false;           // no session needed (login, invitation pages); nothing else is checked
  std::vector<Role> roles;          // signed-in roles allowed; empty = nobody
  std::vector<ObjectRule> objects;  // every one must pass

  static Access Anonymous() { return Access{true, {}, {}}; }
  static Access Roles(std::vector<Role> roles, std::vector<ObjectRule> objects = {}) {
    return Access{false, std::move(roles), std::move(objects)};
  }
  static Access AnySignedIn() { return Roles({Role::kMember, Role::kCoordinator, Role::kOperator}); }
};

// A handler of a signed-in route: called only once Decide allowed the request.
using ProHandler = std::function<http::Response(http::Request&, const Principal&)>;

struct DeclaredRoute {
  http::Method method;
  std::string pattern;
  Access access;
  http::Priority priority;  // its class under load
};

enum class Decision {
  kAllow,
  kSignIn,    // no valid session: GET → 303 to /pro, otherwise 401
  kNotFound,  // not allowed, another owner's object, or unknown object: the same 404
};

// The session cookie of the professional space. Over HTTPS (public URL starting with https://):
// `__Host-passerelle_pro`, Secure, Path=/ (the prefix requires it); over plain HTTP (development,
// tests): `passerelle_pro`, Path=/pro. Always HttpOnly, SameSite=Strict, no Domain.
struct CookieSettings {
  bool secure = false;
  std::string Name() const { return secure ? "__Host-passerelle_pro" : "passerelle_pro"; }
  std::string Path() const { return secure ? "/" : "/pro"; }
};

// The CSRF token the forms of a /pro page must carry in `_csrf`: the session's when someone is
// signed in, the public one otherwise.
std::string FormToken(const http::Request& request, const Principal& principal);

// What the signed-in navigation (templates/pro/_signed_in_nav.mustache) may link to for
// `principal`'s role; every /pro page puts it in its data as `pro_nav`:
//   member  → /pro/demandes, /pro/organisations;
//   manager (coordinator, operator) → /pro/organisations, /pro/approbations, /pro/comptes,
//   /pro/territoires.
// Both false when nobody is signed in. The links follow the declared policy: a role is never
// shown a page it would get a 404 for (checked by src/pro_space/pro_space_test.cpp).
nlohmann::json NavLinks(const Principal& principal);

class ProRoutes {
 public:
  ProRoutes(http::Router& router, SessionStore& sessions, const http::CsrfGuard& csrf, const http::Renderer& renderer,
            CookieSettings cookie, Clock clock);

  void AddResolver(std::string_view kind, OwnerResolver resolver);

  // `pattern` must start with /pro. A signed-in route's handler gets the Principal. An anonymous
  // route's handler (Access::Anonymous()) gets the signed-in Principal when there is one and an
  // empty one (account_id "") otherwise; a cookie naming no valid session is removed from the
  // request and cleared in the response.
  // `priority`: the route's class under load (http/priority.h); signed-in pages are the inbox
  // class, what runs Argon2id says kLogin.
  void Get(std::string pattern, Access access, ProHandler handler, http::Priority priority = http::Priority::kInbox);
  void Post(std::string pattern, Access access, ProHandler handler, http::Priority priority = http::Priority::kInbox);
  void GetAnonymous(std::string pattern, http::Handler handler);
  void PostAnonymous(std::string pattern, http::Handler handler);

  // A body limit of its own for a route declared above (http::Router::SetBodyLimit): an upload.
  void SetBodyLimit(http::Method method, std::string_view pattern, std::size_t max_bytes) {
    router_.SetBodyLimit(method, pattern, max_bytes);
  }

  // Every route declared so far, in order (for the generated access matrix).
  const std::vector<DeclaredRoute>& Routes() const { return routes_; }

  // Test hook of the generated access matrix (src/pro_space/pro_space_test.cpp): `observer` is
  // called with the index in Routes() of a route whose handler is about to run, i.e. each time
  // the policy let a request through, and never for a denial. Set it before serving; serve
  // never sets it.
  using HandlerObserver = std::function<void(std::size_t route_index)>;
  void ObserveHandlerCalls(HandlerObserver observer) { observer_ = std::move(observer); }

  // The one decision, given the route's access, who is signed in (nullptr: nobody) and the path
  // parameters of the request.
  Decision Decide(const Access& access, const Principal* principal,
                  const std::map<std::string, std::string>& path_params) const;

  // The signed-in principal of a request (cookie → session), or nothing.
  std::optional<Principal> Authenticate(const http::Request& request) const;
  // The cookie token of a request, or "".
  std::string TokenOf(const http::Request& request) const;
  // Whether the request's cookie names a live session (SessionStore::IsLive: one read, no write).
  bool HasLiveSession(const http::Request& request) const;

  // Set-Cookie values that start and end a session.
  std::string SessionCookie(const std::string& token) const;
  std::string ClearedCookie() const;

  // The CSRF scope of a request (for http::PipelineOptions::csrf_scope): bound to the session
  // cookie on /pro paths that carry one, "public" otherwise.
  std::string CsrfScope(const http::Request& request) const;

  SessionStore& sessions() { return sessions_; }
  const http::Renderer& renderer() const { return renderer_; }
  const CookieSettings& cookie() const { return cookie_; }

 private:
  void Add(http::Method method, std::string pattern, Access access, ProHandler handler, http::Priority priority);
  http::Response Deny(Decision decision, const http::Request& request) const;

  http::Router& router_;
  SessionStore& sessions_;
  const http::CsrfGuard& csrf_;
  const http::Renderer& renderer_;
  CookieSettings cookie_;
  Clock clock_;
  std::map<std::string, OwnerResolver, std::less<>> resolvers_;
  std::vector<DeclaredRoute> routes_;
  HandlerObserver observer_;
};

}  // namespace passerelle::accounts
