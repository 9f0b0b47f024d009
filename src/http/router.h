#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"
#include "http/priority.h"

namespace passerelle::http {

using Handler = std::function<Response(Request&)>;

// Routes by method and path pattern. A pattern is a sequence of literal segments and `{name}`
// segments, each matching one non-empty path segment (e.g. `/fiches/{slug}`).
class Router {
 public:
  // `priority`: the route's class under load (http/priority.h).
  // Without one, the class of the innermost ClassScope, else kPublic.
  void Add(Method method, std::string pattern, Handler handler, std::optional<Priority> priority = std::nullopt);
  void Get(std::string pattern, Handler handler, std::optional<Priority> priority = std::nullopt) {
    Add(Method::kGet, std::move(pattern), std::move(handler), priority);
  }
  void Post(std::string pattern, Handler handler, std::optional<Priority> priority = std::nullopt) {
    Add(Method::kPost, std::move(pattern), std::move(handler), priority);
  }

  // While it lives, routes added without an explicit class get `priority`: a domain puts all its
  // routes in one class with one line at the top of its Register function.
  class ClassScope {
   public:
    ClassScope(Router& router, Priority priority) : router_(router), previous_(router.default_priority_) {
      router.default_priority_ = priority;
    }
    ~ClassScope() { router_.default_priority_ = previous_; }
    ClassScope(const ClassScope&) = delete;
    ClassScope& operator=(const ClassScope&) = delete;

   private:
    Router& router_;
    Priority previous_;
  };

  // While it lives, every GET route added is observed: `tap(pattern, response)` runs after its
  // handler answered 200 to a GET (not a HEAD; the composition root counts visits of public pages
  // this way without the domains knowing of statistics; `response.visit_scope` says what the page
  // is about). `tap` must be cheap and must not throw: it runs on the request path.
  using Tap = std::function<void(const std::string& pattern, const Response& response)>;
  class TapScope {
   public:
    TapScope(Router& router, Tap tap) : router_(router), previous_(std::move(router.tap_)) {
      router.tap_ = std::move(tap);
    }
    ~TapScope() { router_.tap_ = std::move(previous_); }
    TapScope(const TapScope&) = delete;
    TapScope& operator=(const TapScope&) = delete;

   private:
    Router& router_;
    Tap previous_;
  };

  // While it lives, GET routes added are marked as never blocking (ADR 0017): their handler reads
  // memory only (no database, no file, no derivation, no lock held by slow work), so that the
  // server may run them on its I/O thread when no request waits. The composition root puts a
  // domain's in-memory pages under it; a single route is marked by MarkNonBlocking.
  class NonBlockingScope {
   public:
    explicit NonBlockingScope(Router& router) : router_(router), previous_(router.non_blocking_) {
      router.non_blocking_ = true;
    }
    ~NonBlockingScope() { router_.non_blocking_ = previous_; }
    NonBlockingScope(const NonBlockingScope&) = delete;
    NonBlockingScope& operator=(const NonBlockingScope&) = delete;

   private:
    Router& router_;
    bool previous_;
  };
  // Marks the route `method` `pattern` (already added) as never blocking. Throws
  // std::invalid_argument when there is no such route (a mistake of the composition root).
  void MarkNonBlocking(Method method, std::string_view pattern);

  struct Match {
    const Handler* handler = nullptr;      // null: no route for this method
    const std::string* pattern = nullptr;  // the matched pattern, for logs
    std::vector<Method> allowed;           // methods that exist for this path (for 405)
  };
  // HEAD falls back to the GET route. Fills `request.path_params` on a match.
  Match Find(Request& request) const;
  // The class of the route `method` and `path` (without language prefix) would reach; kPublic
  // when none would (a 404 or 405 is cheap).
  Priority PriorityOf(Method method, std::string_view path) const;
  // The class and whether the route is never blocking, in one look-up (kPublic and false when no
  // route would answer).
  struct Class {
    Priority priority = Priority::kPublic;
    bool non_blocking = false;
  };
  Class ClassOf(Method method, std::string_view path) const;

  // A body limit of its own for the route `method` `pattern` (already added): an upload may weigh
  // more than the server's limit for every other route (PipelineOptions::max_body_bytes).
  void SetBodyLimit(Method method, std::string_view pattern, std::size_t max_bytes);
  // The route's own body limit for `method` and `path` (without language prefix), or nullopt.
  std::optional<std::size_t> BodyLimitOf(Method method, std::string_view path) const;
  // The largest body limit of a route (0 when none has its own).
  std::size_t LargestBodyLimit() const;

 private:
  struct Route {
    Method method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
    Priority priority;
    std::optional<std::size_t> max_body_bytes;
    bool non_blocking = false;
  };
  static bool MatchSegments(const Route& route, const std::vector<std::string_view>& path,
                            std::map<std::string, std::string>* params);
  std::vector<Route> routes_;
  Priority default_priority_ = Priority::kPublic;
  bool non_blocking_ = false;
  Tap tap_;
};

}  // namespace passerelle::http
