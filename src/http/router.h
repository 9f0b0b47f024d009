#pragma once

#include <functional>
#include <string>
#include <vector>

#include "http/message.h"

namespace passerelle::http {

using Handler = std::function<Response(Request&)>;

// Routes by method and path pattern. A pattern is a sequence of literal segments and `{name}`
// segments, each matching one non-empty path segment (e.g. `/fiches/{slug}`).
class Router {
 public:
  void Add(Method method, std::string pattern, Handler handler);
  void Get(std::string pattern, Handler handler) { Add(Method::kGet, std::move(pattern), std::move(handler)); }
  void Post(std::string pattern, Handler handler) { Add(Method::kPost, std::move(pattern), std::move(handler)); }

  struct Match {
    const Handler* handler = nullptr;       // null: no route for this method
    const std::string* pattern = nullptr;   // the matched pattern, for logs
    std::vector<Method> allowed;            // methods that exist for this path (for 405)
  };
  // HEAD falls back to the GET route. Fills `request.path_params` on a match.
  Match Find(Request& request) const;

 private:
  struct Route {
    Method method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  static bool MatchSegments(const Route& route, const std::vector<std::string_view>& path,
                            std::map<std::string, std::string>* params);
  std::vector<Route> routes_;
};

}  // namespace passerelle::http
