#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace passerelle::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

Method ParseMethod(std::string_view name);
std::string_view MethodName(Method method);
// GET, HEAD and OPTIONS change nothing; every other method is state-changing.
bool IsSafe(Method method);

// Decoded `application/x-www-form-urlencoded` pairs (also used for query strings). Repeated
// names keep every value in order.
class FormData {
 public:
  static FormData Parse(std::string_view encoded);
  std::optional<std::string> Get(std::string_view name) const;
  std::vector<std::string> GetAll(std::string_view name) const;
  // The pairs whose decoded name or value is not well-formed UTF-8, in order (issue 15, F4:
  // the pipeline refuses them at the edge, so that no handler sees invalid text).
  std::vector<std::pair<std::string, std::string>> InvalidUtf8Pairs() const;
  const std::vector<std::pair<std::string, std::string>>& Pairs() const { return pairs_; }

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
};

// Whether `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
// above U+10FFFF), which is what the JSON and template layers require.
bool IsValidUtf8(std::string_view text);
// `text` with each ill-formed sequence replaced by U+FFFD, to give someone her text back.
std::string RepairUtf8(std::string_view text);

// Form and query decoding ('+' is a space); paths keep '+'.
std::string PercentDecode(std::string_view text);
std::string PercentDecodePath(std::string_view text);

struct Request {
  Method method = Method::kGet;
  std::string path;                                          // decoded path, without query string
  std::string query;                                         // raw query string, without '?'
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;
  std::string request_id;
  std::string remote_address;
  std::map<std::string, std::string> path_params;  // filled by the router
  std::string locale = "fr";                       // filled by the pipeline
  std::string csrf_token;                          // filled by the pipeline

  std::optional<std::string_view> Header(std::string_view lower_name) const;
  std::string Param(const std::string& name) const;
  FormData Form() const;
  FormData QueryParams() const;
};

// The channel of a long-lived answer (Server-Sent Events), given by the server once the status
// and headers are sent. Usable from any thread. Send queues a chunk and returns false once the
// client is known to be gone or the answer was closed; Close ends the answer.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual bool Send(std::string chunk) = 0;
  virtual void Close() = 0;
};

struct Response {
  Response() = default;
  Response(int status_code, std::vector<std::pair<std::string, std::string>> header_list, std::string body_text)
      : status(status_code), headers(std::move(header_list)), body(std::move(body_text)) {}

  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Set by Error(): the pipeline renders the site's error page with this French message.
  std::string error_message;
  // What a public page is about, for the visits' tap (Router::TapScope): the territory of the
  // annuaire's commune or service, when the handler knows it; empty otherwise. Never sent.
  std::string visit_scope;
  // A long-lived answer (text/event-stream): the server sends the status and headers, then
  // hands the channel to `stream` and returns; `body` is ignored. The handler's worker is free
  // at once: whoever keeps the sink writes to it later (src/conversation).
  std::function<void(std::shared_ptr<EventSink>)> stream;

  static Response Html(int status, std::string body);
  static Response Text(int status, std::string body);
  static Response Json(int status, std::string body);
  static Response Redirect(int status, std::string location);
  // An expected failure: the pipeline turns it into the error page (or JSON under /api/).
  static Response Error(int status, std::string public_message = {});

  void SetHeader(std::string name, std::string value);
  std::optional<std::string_view> Header(std::string_view name) const;  // case-insensitive
};

std::string_view ReasonPhrase(int status);

}  // namespace passerelle::http
