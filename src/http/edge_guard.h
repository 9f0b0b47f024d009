#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/message.h"

namespace passerelle::http {

// What a request may weigh before any handler sees it (issue 15, F7). The same limits are given
// to RESTinio; the guard only makes sure a refused request gets an answer instead of a dropped
// connection.
struct EdgeLimits {
  std::size_t max_url_bytes = 8 * 1024;
  std::size_t max_field_name_bytes = 1024;
  std::size_t max_field_value_bytes = 8 * 1024;
  std::size_t max_header_fields = 100;
  std::size_t max_body_bytes = 256 * 1024;
  // The body limit of a request given its method, path and Cookie header (Pipeline::BodyLimitOf:
  // some routes take more, e.g. an upload, for a signed-in session only), asked once the head is
  // read; `max_body_bytes` when unset.
  std::function<std::size_t(const Request&)> body_limit_of;
};

// Follows the bytes of one connection with its own HTTP parser and tells when the request must
// be refused: 413 (body too large: from Content-Length, before the body is read), 414 (URL too
// long), 431 (a header field too long, too many fields, a header section too large) or 400
// (malformed). Once it has answered, it says nothing more.
class RequestHeadGuard {
 public:
  explicit RequestHeadGuard(EdgeLimits limits);
  ~RequestHeadGuard();
  RequestHeadGuard(const RequestHeadGuard&) = delete;
  RequestHeadGuard& operator=(const RequestHeadGuard&) = delete;

  // The status to answer before closing, or nullopt while the bytes are acceptable.
  std::optional<int> Feed(const char* data, std::size_t length);

  struct State;

 private:
  std::unique_ptr<State> state_;
};

// The whole HTTP/1.1 response (status line, headers, a short French page with the emergency
// numbers) that answers a request refused at the edge; it closes the connection.
std::string EdgeErrorResponse(int status);

}  // namespace passerelle::http
