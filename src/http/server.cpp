// The only translation unit that knows RESTinio: it turns RESTinio requests into
// http::Request, and http::Response into RESTinio responses.
#include "http/server.h"

#include <spdlog/spdlog.h>
#include <restinio/all.hpp>

#include <array>
#include <atomic>
#include <csignal>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "core/crypto.h"
#include "core/logging.h"
#include "http/admission.h"
#include "http/edge_guard.h"

namespace passerelle::http {

namespace {

// The limits of every connection's guard, set once by RunServer before the first accept
// (RESTinio constructs sockets from the io_context alone).
EdgeLimits g_edge_limits;

// A TCP socket that reads through a RequestHeadGuard: a request RESTinio would refuse by
// dropping the connection (body too large from Content-Length, URL or header fields too large,
// malformed) gets a short error page first (issue 15, F7). The read then reports an error, so
// that RESTinio closes the connection without handling the request.
class GuardedSocket : public asio::ip::tcp::socket {
 public:
  explicit GuardedSocket(asio::io_context& io_context)
      : asio::ip::tcp::socket(io_context), guard_(std::make_unique<RequestHeadGuard>(g_edge_limits)) {}
  // RESTinio moves each accepted socket out of its pool and accepts again on the moved-from one:
  // that one gets a fresh guard.
  GuardedSocket(GuardedSocket&& other)
      : asio::ip::tcp::socket(std::move(other)),
        guard_(std::exchange(other.guard_, std::make_unique<RequestHeadGuard>(g_edge_limits))) {}
  GuardedSocket& operator=(GuardedSocket&& other) {
    asio::ip::tcp::socket::operator=(std::move(other));
    // Only the socket base was moved from: `other.guard_` is intact.
    guard_ = std::exchange(other.guard_,  // NOLINT(bugprone-use-after-move)
                           std::make_unique<RequestHeadGuard>(g_edge_limits));
    return *this;
  }

  template <typename Buffers, typename Handler>
  auto async_read_some(const Buffers& buffers, Handler&& handler) {
    const asio::mutable_buffer first = *asio::buffer_sequence_begin(buffers);
    // Same executor (RESTinio's strand) as the handler it wraps.
    auto executor = asio::get_associated_executor(handler, get_executor());
    return asio::ip::tcp::socket::async_read_some(
        buffers, asio::bind_executor(executor, [this, first, executor, handler = std::forward<Handler>(handler)](
                                                   const asio::error_code& ec, std::size_t length) mutable {
          if (!ec) {
            if (const auto status =
                    guard_->Feed(static_cast<const char*>(first.data()), std::min(length, first.size()))) {
              const std::string response = EdgeErrorResponse(*status);
              asio::error_code ignored;
              asio::write(static_cast<asio::ip::tcp::socket&>(*this), asio::buffer(response), ignored);
              shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
              core::VisitorLog::Instance().Hold(spdlog::level::info,
                                                fmt::format("event=refused_at_edge status={}", *status));
              DrainThenFail(executor, std::make_shared<std::array<char, 16384>>(), kMaxDrainedBytes,
                            std::move(handler));
              return;
            }
          }
          handler(ec, length);
        }));
  }

 private:
  static constexpr std::size_t kMaxDrainedBytes = 1024 * 1024;

  // After an answer at the edge: reads and drops what the client still sends (a body already on
  // its way, up to kMaxDrainedBytes), so that closing does not reset the connection before the
  // client has read the answer; then fails the read, and RESTinio closes the connection. An idle
  // client is closed by RESTinio's read timeout.
  template <typename Executor, typename Handler>
  void DrainThenFail(Executor executor, std::shared_ptr<std::array<char, 16384>> scratch, std::size_t left,
                     Handler&& handler) {
    asio::ip::tcp::socket::async_read_some(
        asio::buffer(*scratch),
        asio::bind_executor(executor, [this, executor, scratch, left, handler = std::forward<Handler>(handler)](
                                          const asio::error_code& ec, std::size_t length) mutable {
          if (ec || length >= left) {
            handler(asio::error_code(asio::error::connection_aborted), std::size_t{0});
            return;
          }
          DrainThenFail(executor, scratch, left - length, std::move(handler));
        }));
  }

 public:
 private:
  std::unique_ptr<RequestHeadGuard> guard_;
};

struct Traits : restinio::traits_t<restinio::asio_timer_manager_t, restinio::null_logger_t,
                                   restinio::details::autodetect_request_handler_type, restinio::default_strand_t,
                                   GuardedSocket> {
  static constexpr bool use_connection_count_limiter = true;  // NOLINT(readability-identifier-naming): RESTinio's name
};

// A chunked RESTinio answer as an EventSink: each Send is one chunk, flushed at once. A failed
// write (the client went away) marks it closed.
class ChunkedSink final : public EventSink {
 public:
  explicit ChunkedSink(restinio::response_builder_t<restinio::chunked_output_t> builder)
      : builder_(std::move(builder)) {}
  ~ChunkedSink() override { Close(); }
  ChunkedSink(const ChunkedSink&) = delete;
  ChunkedSink& operator=(const ChunkedSink&) = delete;

  bool Send(std::string chunk) override {
    const std::lock_guard lock(mutex_);
    if (closed_ || broken_->load()) return false;
    builder_.append_chunk(std::move(chunk));
    builder_.flush([broken = broken_](const asio::error_code& ec) {
      if (ec) broken->store(true);
    });
    return true;
  }
  void Close() override {
    const std::lock_guard lock(mutex_);
    if (closed_) return;
    closed_ = true;
    builder_.done();
  }
  // Sends the status and headers.
  void Start() {
    const std::lock_guard lock(mutex_);
    builder_.flush([broken = broken_](const asio::error_code& ec) {
      if (ec) broken->store(true);
    });
  }

 private:
  std::mutex mutex_;
  restinio::response_builder_t<restinio::chunked_output_t> builder_;
  bool closed_ = false;
  std::shared_ptr<std::atomic<bool>> broken_ = std::make_shared<std::atomic<bool>>(false);
};

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
               OverloadHandler overloaded, const std::function<void()>& on_listening) {
  asio::io_context io_context;
  std::atomic<std::size_t> in_flight{0};
  // Declared before the server: it outlives every handler call.
  PriorityScheduler scheduler(options.scheduling);
  std::atomic<bool> stopping{false};

  g_edge_limits = EdgeLimits{options.max_url_bytes,     options.max_field_name_bytes, options.max_header_value_bytes,
                             options.max_header_fields, options.max_body_bytes,       options.body_limit_of};
  auto settings =
      restinio::server_settings_t<Traits>{}
          .address(options.listen.host)
          .port(options.listen.port)
          .read_next_http_message_timelimit(options.read_timeout)
          .write_http_response_timelimit(options.write_timeout)
          .handle_request_timeout(options.handle_timeout)
          .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}
                                        .max_url_size(options.max_url_bytes)
                                        .max_field_name_size(options.max_field_name_bytes)
                                        .max_field_value_size(options.max_header_value_bytes)
                                        .max_field_count(options.max_header_fields)
                                        .max_body_size(options.max_body_bytes))
          .max_parallel_connections(options.max_connections)
          .request_handler([&](const restinio::request_handle_t& req) {
            ++in_flight;
            auto request = std::make_shared<Request>(ToRequest(req));
            const Admission admission = classify(*request);
            const Priority priority = admission.priority;
            // Runs on a worker (or, when shed, on this I/O thread); RESTinio's done()
            // hands the response to the connection's own executor.
            auto respond = [req, &in_flight, &stopping](Response response) {
              if (response.stream) {
                // A long-lived answer: headers now, chunks later from whoever holds the sink. It
                // is not "in flight": a shutdown does not wait for it.
                auto chunked = req->create_response<restinio::chunked_output_t>(restinio::http_status_line_t{
                    restinio::http_status_code_t{static_cast<std::uint16_t>(response.status)},
                    std::string(ReasonPhrase(response.status))});
                for (auto& [name, value] : response.headers) chunked.append_header(name, std::move(value));
                auto sink = std::make_shared<ChunkedSink>(std::move(chunked));
                sink->Start();
                --in_flight;
                response.stream(sink);
                return;
              }
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
            // A never-blocking page while nothing waits: answered here, without the hand-off to a
            // worker and back (ADR 0017).
            if (admission.may_run_inline &&
                scheduler.RunInline(priority, [&request, &respond, &handler] { respond(handler(*request)); })) {
              return restinio::request_accepted();
            }
            scheduler.Submit(
                priority, [request, respond, &handler] { respond(handler(*request)); },
                [request, respond, priority, &overloaded] { respond(overloaded(*request, PriorityName(priority))); });
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
    if (options.on_stopping) options.on_stopping();
    drain_deadline = std::chrono::steady_clock::now() + options.shutdown_grace;
    server.close_async([&] { wait_for_drain(); }, [&](std::exception_ptr) { io_context.stop(); });
  });

  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < options.io_threads; ++i) threads.emplace_back([&] { io_context.run(); });
  io_context.run();
  for (auto& thread : threads) thread.join();
  scheduler.Stop();
}

}  // namespace passerelle::http
