#include "http/router.h"

#include <algorithm>
#include <cassert>
#include <stdexcept>

namespace passerelle::http {

namespace {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start < path.size()) {
    if (path[start] == '/') {
      ++start;
      continue;
    }
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    segments.push_back(path.substr(start, end - start));
    start = end;
  }
  return segments;
}

bool IsParam(std::string_view segment) { return segment.size() > 2 && segment.front() == '{' && segment.back() == '}'; }

}  // namespace

void Router::Add(Method method, std::string pattern, Handler handler, std::optional<Priority> priority) {
  assert(!pattern.empty() && pattern.front() == '/');
  std::vector<std::string> segments;
  for (auto s : SplitPath(pattern)) segments.emplace_back(s);
  if (tap_ && method == Method::kGet) {
    handler = [inner = std::move(handler), tap = tap_, pattern](Request& request) {
      Response response = inner(request);
      if (response.status == 200 && request.method == Method::kGet) tap(pattern, response);
      return response;
    };
  }
  routes_.push_back(Route{method, std::move(pattern), std::move(segments), std::move(handler),
                          priority.value_or(default_priority_), std::nullopt, non_blocking_ && method == Method::kGet});
}

void Router::MarkNonBlocking(Method method, std::string_view pattern) {
  bool found = false;
  for (Route& route : routes_) {
    if (route.method == method && route.pattern == pattern) {
      route.non_blocking = true;
      found = true;
    }
  }
  if (!found) throw std::invalid_argument("Router::MarkNonBlocking: no route " + std::string(pattern));
}

bool Router::MatchSegments(const Route& route, const std::vector<std::string_view>& path,
                           std::map<std::string, std::string>* params) {
  if (route.segments.size() != path.size()) return false;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const std::string& expected = route.segments[i];
    if (IsParam(expected)) {
      if (params) (*params)[expected.substr(1, expected.size() - 2)] = std::string(path[i]);
    } else if (expected != path[i]) {
      return false;
    }
  }
  return true;
}

Router::Match Router::Find(Request& request) const {
  const auto path = SplitPath(request.path);
  // A trailing slash is a different URL: "/aide/" is not "/aide".
  const bool trailing_slash = request.path.size() > 1 && request.path.back() == '/';
  Match match;
  if (trailing_slash) return match;
  const Method wanted = request.method == Method::kHead ? Method::kGet : request.method;
  for (const Route& route : routes_) {
    if (!MatchSegments(route, path, nullptr)) continue;
    if (std::find(match.allowed.begin(), match.allowed.end(), route.method) == match.allowed.end()) {
      match.allowed.push_back(route.method);
      if (route.method == Method::kGet) match.allowed.push_back(Method::kHead);
    }
    if (route.method == wanted && match.handler == nullptr) {
      MatchSegments(route, path, &request.path_params);
      match.handler = &route.handler;
      match.pattern = &route.pattern;
    }
  }
  return match;
}

Priority Router::PriorityOf(Method method, std::string_view path) const { return ClassOf(method, path).priority; }

Router::Class Router::ClassOf(Method method, std::string_view path) const {
  if (path.size() > 1 && path.back() == '/') return {};
  const auto segments = SplitPath(path);
  const Method wanted = method == Method::kHead ? Method::kGet : method;
  for (const Route& route : routes_) {
    if (route.method == wanted && MatchSegments(route, segments, nullptr)) return {route.priority, route.non_blocking};
  }
  return {};
}

void Router::SetBodyLimit(Method method, std::string_view pattern, std::size_t max_bytes) {
  bool found = false;
  for (Route& route : routes_) {
    if (route.method == method && route.pattern == pattern) {
      route.max_body_bytes = max_bytes;
      found = true;
    }
  }
  assert(found);
  (void)found;
}

std::optional<std::size_t> Router::BodyLimitOf(Method method, std::string_view path) const {
  if (path.size() > 1 && path.back() == '/') return std::nullopt;
  const auto segments = SplitPath(path);
  const Method wanted = method == Method::kHead ? Method::kGet : method;
  for (const Route& route : routes_) {
    if (route.method == wanted && MatchSegments(route, segments, nullptr)) return route.max_body_bytes;
  }
  return std::nullopt;
}

std::size_t Router::LargestBodyLimit() const {
  std::size_t largest = 0;
  for (const Route& route : routes_) largest = std::max(largest, route.max_body_bytes.value_or(0));
  return largest;
}

}  // namespace passerelle::http
