// The SMTP server's replies, as the notification client reads them (notify::SendMail over
// libcurl, then the classification of the failure). A scripted SMTP server on 127.0.0.1 sends
// the input as its replies: the input's lines, grouped as SMTP groups them (a line whose fourth
// character is '-' continues the reply), one reply after the greeting and after each command the
// client sends; when the script ends, the server closes the connection.
// libcurl is not instrumented for coverage (Debian's build), so the fuzzer is guided only by the
// classification code: this target is robustness testing of the whole path rather than deep
// coverage of libcurl's reply parser.
// Properties: a sent mail has no error class; a failure has one of the documented classes.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "fuzz_support.h"
#include "notify/smtp.h"

using namespace passerelle;

namespace {

int listen_fd = -1;
std::uint16_t port = 0;

// Replies of the script: lines without their line end, grouped into SMTP replies.
std::vector<std::string> Replies(std::string_view input) {
  std::vector<std::string> replies;
  std::string current;
  std::size_t start = 0;
  while (start < input.size() && replies.size() < 32) {
    std::size_t end = input.find('\n', start);
    if (end == std::string_view::npos) end = input.size();
    std::string line(input.substr(start, end - start));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    current += line + "\r\n";
    if (line.size() < 4 || line[3] != '-') {
      replies.push_back(current);
      current.clear();
    }
    start = end + 1;
  }
  if (!current.empty()) replies.push_back(current);
  return replies;
}

bool Readable(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, timeout_ms) == 1;
}

void Serve(const std::vector<std::string>& replies) {
  if (!Readable(listen_fd, 5000)) return;
  const int fd = accept(listen_fd, nullptr, nullptr);
  if (fd < 0) return;
  for (const std::string& reply : replies) {
    if (send(fd, reply.data(), reply.size(), MSG_NOSIGNAL) < 0) break;
    // Wait for the client's next command (or the end of a message), up to its line end. On
    // loopback the client answers within milliseconds; a reply it does not answer (an unfinished
    // multi-line reply, say) costs this wait, so it is short: a longer one made the target run
    // about one input per second. A slow client only ends the script early, which is a valid
    // conversation too.
    std::string received;
    char buffer[4096];
    while (received.empty() || received.back() != '\n') {
      if (!Readable(fd, 250)) break;
      const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      received.append(buffer, static_cast<std::size_t>(n));
    }
    if (received.empty()) break;
  }
  close(fd);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  listen_fd = socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (bind(listen_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || listen(listen_fd, 4) != 0 ||
      getsockname(listen_fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    std::perror("smtp_reply: cannot listen on 127.0.0.1");
    std::abort();
  }
  port = ntohs(address.sin_port);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::set<std::string> kClasses = {"connect",   "timeout",   "tls",         "auth",
                                                 "temporary", "permanent", "interrupted", "other"};
  notify::SmtpSettings settings =
      notify::ParseSmtpSettings("smtp://127.0.0.1:" + std::to_string(port), "passerelle@example.org");
  settings.connect_timeout = std::chrono::seconds(2);
  settings.total_timeout = std::chrono::seconds(4);
  std::thread server(Serve, Replies(fuzz::Text(data, size)));
  const notify::SendResult result = notify::SendMail(
      settings, "professionnelle@example.org",
      "From: passerelle@example.org\r\nTo: professionnelle@example.org\r\nSubject: Nouvelle demande\r\n\r\n"
      "Une nouvelle demande vous attend.\r\n.\r\nfin\r\n");
  server.join();
  if (result.outcome == notify::SendOutcome::kSent) {
    FUZZ_CHECK(result.error_class.empty());
  } else {
    FUZZ_CHECK(kClasses.count(result.error_class) == 1);
  }
  return 0;
}
