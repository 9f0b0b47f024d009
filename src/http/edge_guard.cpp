#include "http/edge_guard.h"

#include <http_parser.h>

#include <algorithm>
#include <climits>

#include "http/message.h"
#include "http/security_headers.h"

namespace passerelle::http {

struct RequestHeadGuard::State {
  EdgeLimits limits;
  http_parser parser{};
  http_parser_settings settings{};
  std::size_t url_bytes = 0;
  std::size_t field_name_bytes = 0;
  std::size_t field_value_bytes = 0;
  std::size_t fields = 0;
  std::size_t body_bytes = 0;
  std::size_t body_limit = 0;  // of the current request, once its head is read
  std::string url;             // of the current request, up to max_url_bytes
  std::string field_name;      // of the current header field, its first bytes (to spot Cookie)
  bool in_cookie = false;      // the current header value is a Cookie's
  std::string cookie;          // the Cookie fields, joined by "; " (for body_limit_of)
  bool last_was_value = true;
  int verdict = 0;    // set by a callback that refused
  bool done = false;  // answered, or nothing more to watch (upgrade, closed)

  void StartMessage() {
    url_bytes = field_name_bytes = field_value_bytes = fields = body_bytes = 0;
    body_limit = limits.max_body_bytes;
    url.clear();
    field_name.clear();
    in_cookie = false;
    cookie.clear();
    last_was_value = true;
  }
};

namespace {

using State = RequestHeadGuard::State;

State& Of(http_parser* parser) { return *static_cast<State*>(parser->data); }

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x >= 'A' && x <= 'Z' ? x - 'A' + 'a' : x) == y;
         });
}

int Refuse(http_parser* parser, int status) {
  Of(parser).verdict = status;
  return -1;
}

}  // namespace

RequestHeadGuard::RequestHeadGuard(EdgeLimits limits) : state_(std::make_unique<State>()) {
  state_->limits = limits;
  http_parser_init(&state_->parser, HTTP_REQUEST);
  state_->parser.data = state_.get();
  http_parser_settings& s = state_->settings;
  http_parser_settings_init(&s);
  s.on_message_begin = [](http_parser* p) {
    Of(p).StartMessage();
    return 0;
  };
  s.on_url = [](http_parser* p, const char* at, std::size_t length) {
    State& state = Of(p);
    state.url_bytes += length;
    if (state.url_bytes > state.limits.max_url_bytes) return Refuse(p, 414);
    state.url.append(at, length);
    return 0;
  };
  s.on_header_field = [](http_parser* p, const char* at, std::size_t length) {
    State& state = Of(p);
    if (state.last_was_value) {
      if (++state.fields > state.limits.max_header_fields) return Refuse(p, 431);
      state.field_name_bytes = 0;
      state.field_name.clear();
      state.last_was_value = false;
    }
    state.field_name_bytes += length;
    if (state.field_name.size() < 8) state.field_name.append(at, std::min<std::size_t>(length, 8));
    return state.field_name_bytes > state.limits.max_field_name_bytes ? Refuse(p, 431) : 0;
  };
  s.on_header_value = [](http_parser* p, const char* at, std::size_t length) {
    State& state = Of(p);
    if (!state.last_was_value) {
      state.field_value_bytes = 0;
      state.last_was_value = true;
      state.in_cookie = EqualsIgnoringCase(state.field_name, "cookie");
      if (state.in_cookie && !state.cookie.empty()) state.cookie += "; ";
    }
    state.field_value_bytes += length;
    // RESTinio refuses a value of max_field_value_size bytes already.
    if (state.field_value_bytes >= state.limits.max_field_value_bytes) return Refuse(p, 431);
    if (state.in_cookie) state.cookie.append(at, length);
    return 0;
  };
  s.on_headers_complete = [](http_parser* p) {
    State& state = Of(p);
    if (state.limits.body_limit_of) {
      Request request;
      request.method = ParseMethod(http_method_str(static_cast<http_method>(p->method)));
      request.path = PercentDecodePath(std::string_view(state.url).substr(0, state.url.find('?')));
      // A larger limit may depend on who asks (docs/security.md F7: a signed-in session).
      if (!state.cookie.empty()) request.headers.emplace_back("cookie", state.cookie);
      state.body_limit = std::min(state.limits.body_limit_of(request), state.limits.max_body_bytes);
    }
    if (p->content_length != ULLONG_MAX && p->content_length > state.body_limit) return Refuse(p, 413);
    return 0;
  };
  s.on_body = [](http_parser* p, const char*, std::size_t length) {
    State& state = Of(p);
    state.body_bytes += length;
    return state.body_bytes > state.body_limit ? Refuse(p, 413) : 0;
  };
}

RequestHeadGuard::~RequestHeadGuard() = default;

std::optional<int> RequestHeadGuard::Feed(const char* data, std::size_t length) {
  State& state = *state_;
  if (state.done || length == 0) return std::nullopt;
  http_parser_execute(&state.parser, &state.settings, data, length);
  if (state.parser.upgrade) {
    state.done = true;  // RESTinio answers upgrades itself (it refuses them: no handler)
    return std::nullopt;
  }
  const auto error = static_cast<http_errno>(state.parser.http_errno);
  if (error == HPE_OK) return std::nullopt;
  state.done = true;
  if (state.verdict != 0) return state.verdict;
  if (error == HPE_HEADER_OVERFLOW) return 431;
  if (error == HPE_CLOSED_CONNECTION) return std::nullopt;  // RESTinio closes after its answer
  return 400;
}

std::string EdgeErrorResponse(int status) {
  const char* heading = "Demande incorrecte";
  const char* message = "La demande n’a pas pu être comprise.";
  switch (status) {
    case 413:
      heading = "Envoi trop volumineux";
      message = "Ce que vous avez envoyé est trop long. Raccourcissez votre texte et réessayez.";
      break;
    case 414:
      heading = "Adresse trop longue";
      message = "L’adresse de cette page est trop longue.";
      break;
    case 431:
      heading = "En-têtes trop volumineux";
      message = "La demande envoyée par votre navigateur est trop volumineuse. Fermez puis rouvrez-le et réessayez.";
      break;
    default:
      break;
  }
  const std::string body = std::string("<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\">") +
                           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                           "<title>Passerelle</title></head><body><main><h1>" +
                           heading + "</h1><p>" + message +
                           "</p><p>Passerelle ne remplace pas les secours : en cas de danger, appelez le 17 ou "
                           "envoyez un SMS au 114.</p><p><a href=\"tel:3919\">Appeler le 3919</a></p>"
                           "<p><a href=\"/\">Retour à l’accueil</a></p></main></body></html>";
  std::string reason;
  switch (status) {
    case 414:
      reason = "URI Too Long";
      break;
    case 431:
      reason = "Request Header Fields Too Large";
      break;
    default:
      reason = std::string(ReasonPhrase(status));
  }
  Response response = Response::Html(status, body);
  response.SetHeader("Cache-Control", "no-store");
  AddSecurityHeaders(response);  // the same as every other response
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n";
  for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  return out + body;
}

}  // namespace passerelle::http
