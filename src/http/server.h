#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "core/config.h"
#include "http/message.h"

namespace passerelle::http {

struct ServerOptions {
  core::ListenAddress listen;
  std::size_t threads = 4;
  std::size_t hard_body_limit_bytes = 8 * 1024 * 1024;  // beyond: connection closed
  std::size_t max_header_value_bytes = 8 * 1024;
  std::size_t max_url_bytes = 8 * 1024;
  std::size_t max_header_fields = 100;
  std::chrono::seconds read_timeout{15};
  std::chrono::seconds write_timeout{15};
  std::chrono::seconds handle_timeout{30};
  std::chrono::seconds shutdown_grace{10};
};

using RequestHandler = std::function<Response(Request&)>;

// Serves HTTP/1.1 on `options.listen` until SIGINT or SIGTERM, then stops accepting, lets
// requests in flight finish (up to `shutdown_grace`) and returns. `on_listening` is called once
// the socket is bound. Throws when the address cannot be bound.
void RunServer(const ServerOptions& options, RequestHandler handler,
               const std::function<void()>& on_listening);

}  // namespace passerelle::http
