#include "http/edge_guard.h"

#include <gtest/gtest.h>

#include <string>

namespace passerelle::http {
namespace {

EdgeLimits Small() {
  EdgeLimits limits;
  limits.max_url_bytes = 64;
  limits.max_field_name_bytes = 32;
  limits.max_field_value_bytes = 64;
  limits.max_header_fields = 5;
  limits.max_body_bytes = 100;
  return limits;
}

std::optional<int> FeedAll(const std::string& bytes, std::size_t piece = 7) {
  RequestHeadGuard guard(Small());
  for (std::size_t at = 0; at < bytes.size(); at += piece) {
    if (auto verdict = guard.Feed(bytes.data() + at, std::min(piece, bytes.size() - at))) return verdict;
  }
  return std::nullopt;
}

TEST(RequestHeadGuard, LetsOrdinaryRequestsThroughEvenPipelined) {
  const std::string get = "GET /aide HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n";
  const std::string post =
      "POST /aide/questions HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + std::string(100, 'a');
  EXPECT_FALSE(FeedAll(get));
  EXPECT_FALSE(FeedAll(get + post + get + post, 1));
  EXPECT_FALSE(FeedAll(get + post, 4096));
}

TEST(RequestHeadGuard, RefusesABodyTooLargeFromContentLengthBeforeItArrives) {
  RequestHeadGuard guard(Small());
  const std::string head = "POST /aide/envoi HTTP/1.1\r\nHost: x\r\nContent-Length: 8388608\r\n\r\n";
  EXPECT_EQ(guard.Feed(head.data(), head.size()), 413) << "on the header alone";
  EXPECT_FALSE(guard.Feed("aaaa", 4)) << "answered once";
  EXPECT_EQ(
      FeedAll("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n65\r\n" + std::string(101, 'a') + "\r\n0\r\n\r\n"),
      413)
      << "a chunked body, counted as it comes";
}

TEST(RequestHeadGuard, GivesARouteItsOwnBodyLimit) {
  EdgeLimits limits = Small();
  limits.max_body_bytes = 1000;  // the largest of any route
  limits.body_limit_of = [](const Request& request) -> std::size_t {
    return request.method == Method::kPost && request.path == "/pro/territoires/t/import" ? 1000 : 100;
  };
  const auto feed = [&](const std::string& bytes) {
    RequestHeadGuard guard(limits);
    return guard.Feed(bytes.data(), bytes.size());
  };
  EXPECT_FALSE(feed("POST /pro/territoires/t/import?x=1 HTTP/1.1\r\nContent-Length: 900\r\n\r\n"));
  EXPECT_EQ(feed("POST /pro/territoires/t/import HTTP/1.1\r\nContent-Length: 1001\r\n\r\n"), 413);
  EXPECT_EQ(feed("POST /pro/territoires/t/delais HTTP/1.1\r\nContent-Length: 101\r\n\r\n"), 413);
  EXPECT_EQ(
      feed("POST /aide HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n65\r\n" + std::string(101, 'a') + "\r\n0\r\n\r\n"),
      413);
  EXPECT_FALSE(feed("POST /pro/territoires/t/%69mport HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n65\r\n" +
                    std::string(101, 'a') + "\r\n0\r\n\r\n"))
      << "the path is decoded";
}

// docs/security.md F7: the larger limit may depend on the session cookie, so the guard hands the
// Cookie header (every Cookie field, split or not across reads) to body_limit_of.
TEST(RequestHeadGuard, GivesTheCookieToTheBodyLimit) {
  EdgeLimits limits = Small();
  limits.max_body_bytes = 1000;
  limits.body_limit_of = [](const Request& request) -> std::size_t {
    const auto cookie = request.Header("cookie");
    return cookie && *cookie == "a=1; passerelle_pro=live" ? 1000 : 100;
  };
  const auto feed = [&](const std::string& bytes, std::size_t split) {
    RequestHeadGuard guard(limits);
    if (auto first = guard.Feed(bytes.data(), split)) return first;
    return guard.Feed(bytes.data() + split, bytes.size() - split);
  };
  const std::string head = "POST /pro/territoires/t/import HTTP/1.1\r\nContent-Length: 900\r\n";
  const std::string signed_in = head + "Cookie: a=1\r\nX-Cookie: no\r\nCOOKIE: passerelle_pro=live\r\n\r\n";
  for (std::size_t split = 1; split < signed_in.size(); ++split) {
    EXPECT_FALSE(feed(signed_in, split)) << "split at " << split;
  }
  EXPECT_EQ(feed(head + "\r\n", 10), 413) << "no cookie: the usual limit";
  EXPECT_EQ(feed(head + "Cookie: passerelle_pro=forged\r\n\r\n", 10), 413);
  EXPECT_EQ(feed(head + "X-Cookie: a=1; passerelle_pro=live\r\n\r\n", 10), 413) << "another field";
  // The next request on the connection starts without the first one's cookie.
  RequestHeadGuard guard(limits);
  const std::string two = head + "Cookie: a=1; passerelle_pro=live\r\n\r\n" + std::string(900, 'x') + head + "\r\n";
  EXPECT_EQ(guard.Feed(two.data(), two.size()), 413);
}

TEST(RequestHeadGuard, RefusesOversizedHeadersWith431AndLongUrlsWith414) {
  EXPECT_EQ(FeedAll("GET /" + std::string(100, 'a') + " HTTP/1.1\r\n\r\n"), 414);
  EXPECT_EQ(FeedAll("GET / HTTP/1.1\r\nX-Long: " + std::string(64, 'v') + "\r\n\r\n"), 431);
  EXPECT_FALSE(FeedAll("GET / HTTP/1.1\r\nX-Long: " + std::string(63, 'v') + "\r\n\r\n"));
  EXPECT_EQ(FeedAll("GET / HTTP/1.1\r\nX-" + std::string(40, 'n') + ": v\r\n\r\n"), 431);
  std::string many = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 6; ++i) many += "X-F" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(FeedAll(many + "\r\n"), 431);
}

TEST(RequestHeadGuard, RefusesMalformedRequestsWith400) {
  EXPECT_EQ(FeedAll("GET / HTTP/9.Z\r\n\r\n"), 400);
  EXPECT_EQ(FeedAll("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"), 400);
  EXPECT_EQ(FeedAll("GET / HTTP/1.1\r\nBad Header\r\n\r\n"), 400);
}

TEST(EdgeErrorResponse, IsACompleteResponseThatClosesWithTheEmergencyNumbers) {
  const std::string response = EdgeErrorResponse(431);
  EXPECT_EQ(response.rfind("HTTP/1.1 431 Request Header Fields Too Large\r\n", 0), 0u);
  EXPECT_NE(response.find("\r\nConnection: close\r\n"), std::string::npos);
  const std::string body = response.substr(response.find("\r\n\r\n") + 4);
  EXPECT_NE(response.find("Content-Length: " + std::to_string(body.size()) + "\r\n"), std::string::npos);
  EXPECT_NE(body.find("114"), std::string::npos);
  EXPECT_NE(response.find("\r\nContent-Security-Policy: default-src 'self'"), std::string::npos) << "the usual headers";
  EXPECT_NE(response.find("\r\nReferrer-Policy: no-referrer\r\n"), std::string::npos);
  EXPECT_NE(EdgeErrorResponse(413).find("413 Payload Too Large"), std::string::npos);
}

}  // namespace
}  // namespace passerelle::http
