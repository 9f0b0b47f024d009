#include "core/crypto.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"

namespace passerelle::core {
namespace {

class CryptoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    InitCrypto();
    dir_ = std::filesystem::temp_directory_path() / ("passerelle-crypto-" + RandomHex(6));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(CryptoTest, Base64UrlRoundTripsAndRejectsGarbage) {
  const std::string bytes = RandomBytes(37);
  const auto decoded = Base64UrlDecode(Base64UrlEncode(bytes));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, bytes);
  EXPECT_FALSE(Base64UrlDecode("abc$def").has_value());
  EXPECT_FALSE(Base64UrlDecode("abc=").has_value());
}

TEST_F(CryptoTest, ServerKeyIsCreatedWithMode0600AndReloadedUnchanged) {
  const ServerKey first = ServerKey::LoadOrCreate(dir_);
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "server.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  const ServerKey again = ServerKey::LoadOrCreate(dir_);
  EXPECT_EQ(first.Derive("csrf"), again.Derive("csrf"));
}

TEST_F(CryptoTest, DerivedKeysDifferByPurpose) {
  const ServerKey key = ServerKey::FromBytes(std::string(32, 'k'));
  EXPECT_EQ(key.Derive("csrf").size(), 32u);
  EXPECT_NE(key.Derive("csrf"), key.Derive("flow"));
}

TEST_F(CryptoTest, ServerKeyOfWrongSizeIsRefusedWithTheFileName) {
  std::filesystem::create_directories(dir_);
  std::ofstream(dir_ / "server.key") << "short";
  try {
    (void)ServerKey::LoadOrCreate(dir_);
    FAIL() << "expected InfrastructureError";
  } catch (const InfrastructureError& e) {
    EXPECT_NE(std::string(e.what()).find("server.key"), std::string::npos);
  }
}

TEST_F(CryptoTest, HmacDependsOnKeyAndMessage) {
  const std::string k1(32, 'a'), k2(32, 'b');
  EXPECT_EQ(HmacSha256(k1, "m"), HmacSha256(k1, "m"));
  EXPECT_NE(HmacSha256(k1, "m"), HmacSha256(k2, "m"));
  EXPECT_NE(HmacSha256(k1, "m"), HmacSha256(k1, "n"));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

// Derived directory ids asked 8 bytes, which BLAKE2b does not give: a debug build aborted on an
// assert and a release build returned the same all-zero hash for every input. Both builds must
// refuse such a length with an exception (this test runs in the release build too).
TEST_F(CryptoTest, HashHexGivesBlake2bLengthsAndThrowsForOthers) {
  EXPECT_EQ(HashHex("a", kHashMinBytes).size(), 2 * kHashMinBytes);
  EXPECT_EQ(HashHex("a", kHashMaxBytes).size(), 2 * kHashMaxBytes);
  EXPECT_EQ(HashHex("a", 16), HashHex("a", 16));
  EXPECT_NE(HashHex("a", 16), HashHex("b", 16));
  // BLAKE2b-128 of the empty string (RFC 7693 parameters, checked with Python's hashlib).
  EXPECT_EQ(HashHex("", 16), "cae66941d9efbd404e4d88758ea67670");
  EXPECT_THROW((void)HashHex("a", 8), CryptoError);
  EXPECT_THROW((void)HashHex("a", 0), CryptoError);
  EXPECT_THROW((void)HashHex("a", kHashMaxBytes + 1), CryptoError);
  EXPECT_THROW((void)HashHex("a", 8), InfrastructureError);  // caught like any infrastructure failure
}

TEST_F(CryptoTest, KeysOfTheWrongSizeAndLongPurposesThrowInsteadOfOverflowing) {
  EXPECT_THROW((void)ServerKey::FromBytes(std::string(64, 'k')), CryptoError);
  EXPECT_THROW((void)ServerKey::FromBytes("short"), CryptoError);
  const ServerKey key = ServerKey::FromBytes(std::string(32, 'k'));
  EXPECT_THROW((void)key.Derive("nine-char"), CryptoError);
  EXPECT_EQ(key.Derive("eightchr").size(), 32u);
  EXPECT_THROW((void)HmacSha256(std::string(16, 'a'), "m"), CryptoError);
}

}  // namespace
}  // namespace passerelle::core
