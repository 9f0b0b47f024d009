#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "core/config.h"
#include "http/admission.h"
#include "http/message.h"

namespace passerelle::http {

struct ServerOptions {
  core::ListenAddress listen;
  std::size_t io_threads = 1;   // read requests and write responses
  SchedulerOptions scheduling;  // the workers that run the handlers, by priority (http/admission.h)
  // Refused from Content-Length before the body is read (413, then the connection is closed):
  // the largest body of any route (Pipeline::LargestBodyLimit), and below it each request's own
  // limit (`body_limit_of`, Pipeline::BodyLimitOf) when set.
  std::size_t max_body_bytes = 256 * 1024;
  std::function<std::size_t(const Request&)> body_limit_of;
  std::size_t max_header_value_bytes = 8 * 1024;  // beyond: 431
  std::size_t max_field_name_bytes = 1024;        // beyond: 431
  std::size_t max_url_bytes = 8 * 1024;           // beyond: 414
  std::size_t max_header_fields = 100;            // beyond: 431
  // Open connections at most; beyond, new ones wait in the listen backlog until one closes.
  std::size_t max_connections = 1024;
  std::chrono::seconds read_timeout{15};
  std::chrono::seconds write_timeout{15};
  std::chrono::seconds handle_timeout{30};
  std::chrono::seconds shutdown_grace{10};
  // Called on the I/O thread when a stop signal arrives, before the drain: long-lived answers
  // (Response::stream) must be closed now, while their connections can still be written.
  std::function<void()> on_stopping;
};

using RequestHandler = std::function<Response(Request&)>;
// The class of a request under load, and whether its handler may run on the I/O thread when no
// request waits (Pipeline::AdmissionOf, ADR 0017); called on the I/O thread.
using Classifier = std::function<Admission(const Request&)>;
// The answer to a request shed under load (Pipeline::Overloaded), given its class's name.
using OverloadHandler = std::function<Response(Request&, std::string_view priority_class)>;

// Serves HTTP/1.1 on `options.listen` until SIGINT or SIGTERM, then stops accepting, lets
// requests in flight finish (up to `shutdown_grace`) and returns. `handler` runs on the
// scheduler's workers, highest class (`classify`) first — or on the I/O thread at once when
// `classify` allows it and no request waits (PriorityScheduler::RunInline, ADR 0017); a request
// the bounded queue cannot take gets
// `overloaded` instead. `on_listening` is called once the socket is bound. Throws when the
// address cannot be bound.
void RunServer(const ServerOptions& options, const Classifier& classify, RequestHandler handler,
               OverloadHandler overloaded, const std::function<void()>& on_listening);

}  // namespace passerelle::http
