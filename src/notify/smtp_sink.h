#pragma once
// Test-only: a real SMTP server on 127.0.0.1 (no mock of libcurl), in-process, for the notify
// tests. It records what it received and can be told to fail the ways a real server fails.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace passerelle::notify::testing {

struct ReceivedMail {
  std::string mail_from;
  std::vector<std::string> rcpt_to;
  std::string data;      // as received, dot-unstuffed, CRLF line ends, without the final "."
  std::string username;  // after a successful AUTH PLAIN, else ""
};

enum class SinkMode {
  kAccept,
  kCloseOnConnect,    // accepts the TCP connection and closes it at once
  kTemporaryFailure,  // "421" greeting: service not available
  kRejectRecipient,   // "550" to RCPT TO
  kDropAfterData,     // reads the whole message then closes without answering
};

class SmtpSink {
 public:
  // Listens on 127.0.0.1:`port` (0: a free port). Throws std::runtime_error when it cannot.
  explicit SmtpSink(std::uint16_t port = 0);
  ~SmtpSink();  // stops listening and closes every connection
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  std::uint16_t port() const { return port_; }
  void SetMode(SinkMode mode) { mode_ = mode; }
  // Offers AUTH PLAIN and refuses MAIL before a successful login with these.
  void RequireAuth(const std::string& username, const std::string& password);

  std::vector<ReceivedMail> Received() const;
  int Connections() const { return connections_; }

 private:
  void AcceptLoop();
  void Serve(int fd);

  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<SinkMode> mode_{SinkMode::kAccept};
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  mutable std::mutex mutex_;
  std::string auth_user_;
  std::string auth_password_;
  std::vector<ReceivedMail> received_;
  std::vector<std::thread> workers_;
  std::thread acceptor_;
};

// "smtp://127.0.0.1:<port>"
std::string SinkUrl(const SmtpSink& sink);

}  // namespace passerelle::notify::testing
