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

// These were asserts: in the release build (NDEBUG) a 9-byte purpose or a short key overflowed a
// buffer instead of stopping. Now every build refuses them the same way.
TEST_F(CryptoTest, MisusedKeysAndLengthsAreRefusedInEveryBuild) {
  EXPECT_THROW((void)ServerKey::FromBytes(std::string(31, 'k')), InfrastructureError);
  EXPECT_THROW((void)ServerKey::FromBytes(std::string(33, 'k')), InfrastructureError);
  const ServerKey key = ServerKey::FromBytes(std::string(32, 'k'));
  EXPECT_EQ(key.Derive("12345678").size(), 32u);
  EXPECT_THROW((void)key.Derive("123456789"), InfrastructureError);
  EXPECT_THROW((void)HashHex("x", 0), InfrastructureError);
  EXPECT_THROW((void)HashHex("x", 65), InfrastructureError);
  EXPECT_EQ(HashHex("x", 16).size(), 32u);
  EXPECT_EQ(HashHex("x", 64).size(), 128u);
  EXPECT_THROW((void)HmacSha256(std::string(16, 'a'), "m"), InfrastructureError);
}

// The directory derives 8-byte ids from names (organizations, services, locations of a CSV file
// without ids). An assert wanted 16 bytes at least: the debug build stopped on such a file while
// the release build (asserts off) imported it. Both now give BLAKE2b-64, as the release build
// did, so ids already stored stay the same. Found by fuzz/corpus/csv_import/bom-no-ids.csv.
TEST_F(CryptoTest, ShortDigestsAreBlake2bOfThatLength) {
  // python3 -c "import hashlib; print(hashlib.blake2b(b'paris-10\nMaison A', digest_size=8).hexdigest())"
  EXPECT_EQ(HashHex("paris-10\nMaison A", 8), "0ffd4dadd60caab8");
  EXPECT_EQ(HashHex("paris-10\nMaison A", 16), "991472da32113a1d5df070e5606ea7bc");
  EXPECT_NE(HashHex("paris-10\nMaison B", 8), HashHex("paris-10\nMaison A", 8));
  EXPECT_EQ(HashHex("x", 1).size(), 2u);
}

}  // namespace
}  // namespace passerelle::core
