#include "notify/smtp_sink.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <stdexcept>

namespace passerelle::notify::testing {

namespace {

constexpr int kPollMs = 50;

bool SendAll(int fd, const std::string& text) {
  std::size_t sent = 0;
  while (sent < text.size()) {
    const ssize_t n = ::send(fd, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// The address between angle brackets of "MAIL FROM:<a@b>".
std::string AngleAddress(const std::string& line) {
  const auto open = line.find('<');
  const auto close = line.find('>', open == std::string::npos ? 0 : open);
  if (open == std::string::npos || close == std::string::npos) return "";
  return line.substr(open + 1, close - open - 1);
}

std::string Base64Decode(const std::string& text) {
  std::string out(text.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return "";
  }
  out.resize(len);
  return out;
}

class LineReader {
 public:
  LineReader(int fd, const std::atomic<bool>& stop) : fd_(fd), stop_(stop) {}
  // One line without its CRLF; false on end of connection or stop.
  bool Next(std::string& line) {
    for (;;) {
      if (const auto end = buffer_.find("\r\n"); end != std::string::npos) {
        line = buffer_.substr(0, end);
        buffer_.erase(0, end + 2);
        return true;
      }
      if (stop_) return false;
      pollfd p{fd_, POLLIN, 0};
      const int ready = ::poll(&p, 1, kPollMs);
      if (ready < 0) return false;
      if (ready == 0) continue;
      char chunk[4096];
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

 private:
  int fd_;
  const std::atomic<bool>& stop_;
  std::string buffer_;
};

}  // namespace

SmtpSink::SmtpSink(std::uint16_t port) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0) throw std::runtime_error("smtp sink: socket failed");
  const int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listen_fd_, 16) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error("smtp sink: cannot listen on 127.0.0.1:" + std::to_string(port));
  }
  socklen_t length = sizeof address;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

SmtpSink::~SmtpSink() {
  stop_ = true;
  acceptor_.join();
  ::close(listen_fd_);
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    workers.swap(workers_);
  }
  for (std::thread& worker : workers) worker.join();
}

void SmtpSink::RequireAuth(const std::string& username, const std::string& password) {
  std::lock_guard<std::mutex> lock(mutex_);
  auth_user_ = username;
  auth_password_ = password;
}

std::vector<ReceivedMail> SmtpSink::Received() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return received_;
}

void SmtpSink::AcceptLoop() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, kPollMs) <= 0) continue;
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    ++connections_;
    std::lock_guard<std::mutex> lock(mutex_);
    workers_.emplace_back([this, fd] {
      Serve(fd);
      ::close(fd);
    });
  }
}

void SmtpSink::Serve(int fd) {
  const SinkMode mode = mode_;
  if (mode == SinkMode::kCloseOnConnect) return;
  if (mode == SinkMode::kTemporaryFailure) {
    SendAll(fd, "421 4.3.2 Service not available, try again later\r\n");
    return;
  }
  std::string user;
  std::string password;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    user = auth_user_;
    password = auth_password_;
  }
  const bool auth_required = !user.empty();
  bool authenticated = false;
  ReceivedMail mail;
  LineReader reader(fd, stop_);
  if (!SendAll(fd, "220 sink.test ESMTP test sink\r\n")) return;
  std::string line;
  while (reader.Next(line)) {
    const std::string command = Upper(line.substr(0, line.find(' ')));
    std::string reply;
    if (command == "EHLO") {
      reply = "250-sink.test\r\n";
      if (auth_required) reply += "250-AUTH PLAIN\r\n";
      reply += "250 SIZE 1000000\r\n";
    } else if (command == "HELO" || command == "NOOP") {
      reply = "250 OK\r\n";
    } else if (command == "RSET") {
      mail = ReceivedMail{};
      reply = "250 OK\r\n";
    } else if (command == "AUTH") {
      std::string initial = line.size() > 11 ? line.substr(11) : "";  // "AUTH PLAIN " + response
      if (initial.empty()) {
        if (!SendAll(fd, "334 \r\n") || !reader.Next(initial)) return;
      }
      const std::string decoded = Base64Decode(initial);  // authzid \0 user \0 password
      const auto first = decoded.find('\0');
      const auto second = first == std::string::npos ? first : decoded.find('\0', first + 1);
      if (second != std::string::npos && decoded.substr(first + 1, second - first - 1) == user &&
          decoded.substr(second + 1) == password) {
        authenticated = true;
        mail.username = user;
        reply = "235 2.7.0 Authentication successful\r\n";
      } else {
        reply = "535 5.7.8 Authentication credentials invalid\r\n";
      }
    } else if (command == "MAIL") {
      if (auth_required && !authenticated) {
        reply = "530 5.7.0 Authentication required\r\n";
      } else {
        mail.mail_from = AngleAddress(line);
        mail.rcpt_to.clear();
        reply = "250 OK\r\n";
      }
    } else if (command == "RCPT") {
      if (mode == SinkMode::kRejectRecipient) {
        reply = "550 5.1.1 Mailbox unavailable\r\n";
      } else {
        mail.rcpt_to.push_back(AngleAddress(line));
        reply = "250 OK\r\n";
      }
    } else if (command == "DATA") {
      if (!SendAll(fd, "354 End data with <CR><LF>.<CR><LF>\r\n")) return;
      std::string data_line;
      mail.data.clear();
      for (;;) {
        if (!reader.Next(data_line)) return;
        if (data_line == ".") break;
        if (!data_line.empty() && data_line[0] == '.') data_line.erase(0, 1);
        mail.data += data_line + "\r\n";
      }
      if (mode == SinkMode::kDropAfterData) return;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        received_.push_back(mail);
      }
      reply = "250 2.0.0 Queued\r\n";
    } else if (command == "QUIT") {
      SendAll(fd, "221 2.0.0 Bye\r\n");
      return;
    } else {
      reply = "502 5.5.2 Command not recognized\r\n";
    }
    if (!SendAll(fd, reply)) return;
  }
}

std::string SinkUrl(const SmtpSink& sink) { return "smtp://127.0.0.1:" + std::to_string(sink.port()); }

}  // namespace passerelle::notify::testing
