#include <gtest/gtest.h>

#include <qrencode.h>

#include <regex>

#include "accounts/qr.h"
#include "accounts/totp.h"
#include "core/crypto.h"

namespace passerelle::accounts {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

system_clock::time_point At(long long unix_seconds) { return system_clock::time_point(seconds(unix_seconds)); }

class TotpTest : public ::testing::Test {
 protected:
  void SetUp() override { core::InitCrypto(); }
};

// RFC 6238 Appendix B: 8-digit codes, one secret per hash function.
struct Vector {
  long long time;
  const char* sha1;
  const char* sha256;
  const char* sha512;
};
constexpr Vector kRfc6238[] = {
    {59, "94287082", "46119246", "90693936"},         {1111111109, "07081804", "68084774", "25091201"},
    {1111111111, "14050471", "67062674", "99943326"}, {1234567890, "89005924", "91819424", "93441116"},
    {2000000000, "69279037", "90698825", "38618901"}, {20000000000, "65353130", "77737706", "47863826"},
};

TEST_F(TotpTest, Rfc6238TestVectors) {
  const std::string sha1_secret = "12345678901234567890";
  const std::string sha256_secret = "12345678901234567890123456789012";
  const std::string sha512_secret = "1234567890123456789012345678901234567890123456789012345678901234";
  for (const Vector& v : kRfc6238) {
    // The year 2603 does not fit a nanosecond time_point: the step is computed here.
    const std::int64_t step = v.time / kTotpStepSeconds;
    if (v.time < 10'000'000'000) {
      EXPECT_EQ(TotpStep(At(v.time)), step);
    }
    EXPECT_EQ(TotpCode(sha1_secret, step, 8, TotpHash::kSha1), v.sha1) << v.time;
    EXPECT_EQ(TotpCode(sha256_secret, step, 8, TotpHash::kSha256), v.sha256) << v.time;
    EXPECT_EQ(TotpCode(sha512_secret, step, 8, TotpHash::kSha512), v.sha512) << v.time;
  }
  // Six digits are the last six of the same number (RFC 4226 Appendix D, counter 0 and 1).
  EXPECT_EQ(TotpCode(sha1_secret, 0), "755224");
  EXPECT_EQ(TotpCode(sha1_secret, 1), "287082");
}

TEST_F(TotpTest, AcceptsOneStepEarlyOrLateAndNoMore) {
  const std::string secret = NewTotpSecret();
  ASSERT_EQ(secret.size(), kTotpSecretBytes);
  const auto now = At(1'800'000'015);
  const std::int64_t step = TotpStep(now);
  EXPECT_EQ(MatchTotp(secret, TotpCode(secret, step), now, 0), step);
  EXPECT_EQ(MatchTotp(secret, TotpCode(secret, step - 1), now, 0), step - 1);
  EXPECT_EQ(MatchTotp(secret, TotpCode(secret, step + 1), now, 0), step + 1);
  for (std::int64_t far : {step - 2, step + 2, step - 100}) {
    const std::string code = TotpCode(secret, far);
    // A far code may collide with a near one by chance (1 in 10^6): only assert when it does not.
    if (code != TotpCode(secret, step) && code != TotpCode(secret, step - 1) && code != TotpCode(secret, step + 1)) {
      EXPECT_FALSE(MatchTotp(secret, code, now, 0)) << far;
    }
  }
  // RFC 4226 Appendix D: around counter 1 the codes are 755224, 287082, 359152; 000000 is none.
  EXPECT_FALSE(MatchTotp("12345678901234567890", "000000", At(59), 0));
  EXPECT_EQ(MatchTotp("12345678901234567890", "359152", At(59), 0), 2);
}

TEST_F(TotpTest, AStepIsNeverAcceptedTwice) {
  const std::string secret = NewTotpSecret();
  const auto now = At(1'800'000'000);
  const std::int64_t step = TotpStep(now);
  const std::string code = TotpCode(secret, step);
  ASSERT_EQ(MatchTotp(secret, code, now, 0), step);
  EXPECT_FALSE(MatchTotp(secret, code, now, step));                        // replay of the accepted step
  EXPECT_FALSE(MatchTotp(secret, TotpCode(secret, step - 1), now, step));  // an older step
  EXPECT_EQ(MatchTotp(secret, TotpCode(secret, step + 1), now, step), step + 1);
}

TEST_F(TotpTest, TypedCodesAreNormalisedAndMalformedOnesRefused) {
  const std::string secret = "12345678901234567890";
  const auto now = At(59);
  const std::string code = TotpCode(secret, TotpStep(now));
  EXPECT_TRUE(MatchTotp(secret, code.substr(0, 3) + " " + code.substr(3), now, 0));
  EXPECT_TRUE(MatchTotp(secret, " " + code + " ", now, 0));
  EXPECT_FALSE(MatchTotp(secret, code.substr(0, 5), now, 0));
  EXPECT_FALSE(MatchTotp(secret, code + "0", now, 0));
  EXPECT_FALSE(MatchTotp(secret, "abcdef", now, 0));
  EXPECT_FALSE(MatchTotp(secret, "", now, 0));
}

TEST_F(TotpTest, Base32FollowsRfc4648) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "MY"},
                                                         {"fo", "MZXQ"},
                                                         {"foo", "MZXW6"},
                                                         {"foob", "MZXW6YQ"},
                                                         {"fooba", "MZXW6YTB"},
                                                         {"foobar", "MZXW6YTBOI"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base32Encode(plain), encoded);
    EXPECT_EQ(Base32Decode(encoded), plain);
  }
  EXPECT_EQ(Base32Decode("mzxw 6ytb-oi"), "foobar");
  EXPECT_FALSE(Base32Decode("MZXW1"));  // 1 is not in the alphabet
  const std::string secret = NewTotpSecret();
  EXPECT_EQ(Base32Decode(GroupedKey(secret)), secret);
}

TEST_F(TotpTest, OtpauthUriNamesTheIssuerAndEncodesTheLabel) {
  const std::string uri = OtpauthUri("12345678901234567890", "a+b@example.org");
  EXPECT_EQ(uri,
            "otpauth://totp/Passerelle:a%2Bb%40example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Passerelle"
            "&algorithm=SHA1&digits=6&period=30");
}

TEST_F(TotpTest, QrCodeIsAPlainSvgWithoutStyleOrScript) {
  const std::string svg = QrSvg(OtpauthUri(NewTotpSecret(), "alice@example.org"), "QR <code>");
  EXPECT_EQ(svg.rfind("<svg ", 0), 0u);
  EXPECT_NE(svg.find("<path fill=\"#000\" d=\"M"), std::string::npos);
  EXPECT_NE(svg.find("aria-label=\"QR &lt;code&gt;\""), std::string::npos);
  EXPECT_EQ(svg.find("style"), std::string::npos);
  EXPECT_EQ(svg.find("script"), std::string::npos);
  EXPECT_EQ(svg.find("data:"), std::string::npos);
}

TEST_F(TotpTest, QrCodeModulesAreExactlyLibqrencodes) {
  const std::string text = OtpauthUri(NewTotpSecret(), "alice@example.org");
  const std::string svg = QrSvg(text, "QR");
  QRcode* code = QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M);
  ASSERT_NE(code, nullptr);
  const int width = code->width;
  std::vector<bool> expected(static_cast<std::size_t>(width * width));
  for (int i = 0; i < width * width; ++i) expected[static_cast<std::size_t>(i)] = (code->data[i] & 1) != 0;
  QRcode_free(code);
  // Paint the path's rectangles ("M x y h n v1 h-n z", quiet zone 4) back into modules.
  std::vector<bool> painted(expected.size());
  const std::regex rect(R"(M(\d+) (\d+)h(\d+)v1h-(\d+)z)");
  for (auto m = std::sregex_iterator(svg.begin(), svg.end(), rect); m != std::sregex_iterator(); ++m) {
    const int x = std::stoi((*m)[1]) - 4;
    const int y = std::stoi((*m)[2]) - 4;
    const int run = std::stoi((*m)[3]);
    ASSERT_EQ(run, std::stoi((*m)[4]));
    for (int dx = 0; dx < run; ++dx) {
      ASSERT_TRUE(x + dx >= 0 && x + dx < width && y >= 0 && y < width);
      painted[static_cast<std::size_t>(y * width + x + dx)] = true;
    }
  }
  EXPECT_EQ(painted, expected);
  EXPECT_NE(svg.find("viewBox=\"0 0 " + std::to_string(width + 8) + " " + std::to_string(width + 8) + "\""),
            std::string::npos);
}

}  // namespace
}  // namespace passerelle::accounts
