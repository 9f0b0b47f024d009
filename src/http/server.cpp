// The only translation unit that knows RESTinio: it turns RESTinio requests into
// http::Request, and http::Response into RESTinio responses.
#include "http/server.h"

#include <restinio/all.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <csignal>
#include <memory>
#include <thread>

#include "core/crypto.h"
#include "http/admission.h"

namespace passerelle::http {

namespace {

using Traits = restinio::traits_t<restinio::asio_timer_manager_t, restinio::null_logger_t>;

Request ToRequest(const restinio::request_handle_t& req) {
  Request request;
  const auto& header = req->header();
  request.method = ParseMethod(header.method().c_str());
  request.path = PercentDecodePath(header.path());
  request.query = std::string(header.query());
  for (const auto& field : header) {
    std::string name(field.name());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    request.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  request.body = req->body();
  request.remote_address = req->remote_endpoint().address().to_string();
  request.request_id = core::RandomHex(8);
  return request;
}

}  // namespace

void RunServer(const ServerOptions& options, const Classifier& classify, RequestHandler handler,
               OverloadHandler overloaded,
               const std::function<void()>& on_listening) {
  asio::io_context io_context;
  std::atomic<std::size_t> in_flight{0};
  // Declared before the server: it outlives every handler call.
  PriorityScheduler scheduler(options.scheduling);
  std::atomic<bool> stopping{false};

  auto settings = restinio::server_settings_t<Traits>{}
                      .address(options.listen.host)
                      .port(options.listen.port)
                      .read_next_http_message_timelimit(options.read_timeout)
                      .write_http_response_timelimit(options.write_timeout)
                      .handle_request_timeout(options.handle_timeout)
                      .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}
                                                    .max_url_size(options.max_url_bytes)
                                                    .max_field_value_size(options.max_header_value_bytes)
                                                    .max_field_count(options.max_header_fields)
                                                    .max_body_size(options.hard_body_limit_bytes))
                      .request_handler([&](const restinio::request_handle_t& req) {
                        ++in_flight;
                        auto request = std::make_shared<Request>(ToRequest(req));
                        const Priority priority = classify(*request);
                        // Runs on a worker (or, when shed, on this I/O thread); RESTinio's done()
                        // hands the response to the connection's own executor.
                        auto respond = [req, &in_flight, &stopping](Response response) {
                          auto builder = req->create_response(restinio::http_status_line_t{
                              restinio::http_status_code_t{static_cast<std::uint16_t>(response.status)},
                              std::string(ReasonPhrase(response.status))});
                          for (auto& [name, value] : response.headers) {
                            builder.append_header(name, std::move(value));
                          }
                          if (stopping) builder.connection_close();
                          builder.set_body(std::move(response.body));
                          builder.done([&in_flight](const auto&) { --in_flight; });
                        };
                        scheduler.Submit(
                            priority, [request, respond, &handler] { respond(handler(*request)); },
                            [request, respond, priority, &overloaded] {
                              respond(overloaded(*request, PriorityName(priority)));
                            });
                        return restinio::request_accepted();
                      });

  restinio::http_server_t<Traits> server{restinio::external_io_context(io_context), std::move(settings)};
  server.open_sync();  // binds now, so that a busy port is reported before we claim to listen
  on_listening();

  asio::signal_set signals(io_context, SIGINT, SIGTERM);
  asio::steady_timer drain_timer(io_context);
  std::chrono::steady_clock::time_point drain_deadline;
  std::function<void()> wait_for_drain = [&] {
    if (in_flight == 0 || std::chrono::steady_clock::now() >= drain_deadline) {
      spdlog::info("event=stopped in_flight={}", in_flight.load());
      io_context.stop();
      return;
    }
    drain_timer.expires_after(std::chrono::milliseconds(20));
    drain_timer.async_wait([&](const asio::error_code&) { wait_for_drain(); });
  };
  signals.async_wait([&](const asio::error_code& ec, int signal_number) {
    if (ec) return;
    spdlog::info("event=stopping signal={}", signal_number);
    stopping = true;
    drain_deadline = std::chrono::steady_clock::now() + options.shutdown_grace;
    server.close_async([&] { wait_for_drain(); },
                       [&](std::exception_ptr) { io_context.stop(); });
  });

  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < options.io_threads; ++i) threads.emplace_back([&] { io_context.run(); });
  io_context.run();
  for (auto& thread : threads) thread.join();
  scheduler.Stop();
}

}  // namespace passerelle::http
