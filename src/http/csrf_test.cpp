#include "http/csrf.h"

#include <gtest/gtest.h>

#include "core/crypto.h"

namespace passerelle::http {
namespace {

using std::chrono::hours;
using std::chrono::system_clock;

class CsrfTest : public ::testing::Test {
 protected:
  void SetUp() override { core::InitCrypto(); }
  CsrfGuard guard_{std::string(32, 'k')};
  system_clock::time_point now_ = system_clock::time_point(std::chrono::seconds(1'800'000'000));

  Request Post(std::string token, std::vector<std::pair<std::string, std::string>> extra = {}) {
    Request r;
    r.method = Method::kPost;
    r.path = "/aide";
    r.headers = {{"host", "127.0.0.1:8080"}, {"content-type", "application/x-www-form-urlencoded"}};
    for (auto& h : extra) r.headers.push_back(h);
    r.body = "_csrf=" + token + "&x=1";
    return r;
  }
};

TEST_F(CsrfTest, FreshTokenOfTheSameScopeIsAccepted) {
  const std::string token = guard_.Issue("public", now_);
  EXPECT_TRUE(guard_.VerifyToken(token, "public", now_ + hours(11)));
  EXPECT_EQ(guard_.Check(Post(token, {{"origin", "http://127.0.0.1:8080"}, {"sec-fetch-site", "same-origin"}}),
                         "public", now_),
            CsrfGuard::Verdict::kAllowed);
}

TEST_F(CsrfTest, AFileUploadCarriesItsTokenInAPart) {
  const std::string token = guard_.Issue("public", now_);
  Request r = Post(token, {{"sec-fetch-site", "same-origin"}});
  r.headers[1].second = "multipart/form-data; boundary=XyZ";
  r.body = "--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + token +
           "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"a.csv\"\r\n\r\nx\r\n--XyZ--\r\n";
  EXPECT_EQ(guard_.Check(r, "public", now_), CsrfGuard::Verdict::kAllowed);
  r.body = "--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + token + "\r\n";  // malformed
  EXPECT_EQ(guard_.Check(r, "public", now_), CsrfGuard::Verdict::kBadToken);
}

TEST_F(CsrfTest, ExpiredForeignScopeTamperedAndOtherKeyTokensAreRefused) {
  const std::string token = guard_.Issue("public", now_);
  EXPECT_FALSE(guard_.VerifyToken(token, "public", now_ + hours(13)));
  EXPECT_FALSE(guard_.VerifyToken(token, "session-1", now_));
  std::string tampered = token;
  tampered[3] = tampered[3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(guard_.VerifyToken(tampered, "public", now_));
  EXPECT_FALSE(guard_.VerifyToken(token.substr(0, token.size() - 2), "public", now_));
  EXPECT_FALSE(guard_.VerifyToken("", "public", now_));
  const CsrfGuard other(std::string(32, 'o'));
  EXPECT_FALSE(other.VerifyToken(token, "public", now_));
}

TEST_F(CsrfTest, CrossSiteRequestsAreRefusedEvenWithAValidToken) {
  const std::string token = guard_.Issue("public", now_);
  EXPECT_EQ(guard_.Check(Post(token, {{"sec-fetch-site", "cross-site"}}), "public", now_),
            CsrfGuard::Verdict::kCrossSite);
  EXPECT_EQ(guard_.Check(Post(token, {{"origin", "https://evil.example"}}), "public", now_),
            CsrfGuard::Verdict::kCrossSite);
  EXPECT_EQ(guard_.Check(Post(token, {{"origin", "null"}, {"sec-fetch-site", "cross-site"}}), "public", now_),
            CsrfGuard::Verdict::kCrossSite);
  EXPECT_EQ(
      guard_.Check(Post(token, {{"origin", "https://evil.example"}, {"sec-fetch-site", "same-site"}}), "public", now_),
      CsrfGuard::Verdict::kCrossSite);
}

// Under `Referrer-Policy: no-referrer` a same-origin form post carries `Origin: null`.
TEST_F(CsrfTest, OpaqueOriginIsJudgedBySecFetchSiteElseByTheToken) {
  const std::string token = guard_.Issue("public", now_);
  EXPECT_EQ(guard_.Check(Post(token, {{"origin", "null"}, {"sec-fetch-site", "same-origin"}}), "public", now_),
            CsrfGuard::Verdict::kAllowed);
  EXPECT_EQ(guard_.Check(Post(token, {{"origin", "null"}}), "public", now_), CsrfGuard::Verdict::kAllowed);
  EXPECT_EQ(guard_.Check(Post("", {{"origin", "null"}}), "public", now_), CsrfGuard::Verdict::kBadToken);
  EXPECT_EQ(guard_.Check(Post("forged", {{"origin", "null"}, {"sec-fetch-site", "same-origin"}}), "public", now_),
            CsrfGuard::Verdict::kBadToken);
}

TEST_F(CsrfTest, MissingTokenIsRefusedAndHeaderTokenIsAccepted) {
  EXPECT_EQ(guard_.Check(Post(""), "public", now_), CsrfGuard::Verdict::kBadToken);
  Request json;
  json.method = Method::kPost;
  json.headers = {{"host", "h"}, {"content-type", "application/json"}, {"x-csrf-token", guard_.Issue("public", now_)}};
  EXPECT_EQ(guard_.Check(json, "public", now_), CsrfGuard::Verdict::kAllowed);
}

}  // namespace
}  // namespace passerelle::http
