#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace passerelle::core {

// Must be called once before any other function here (initialises libsodium).
void InitCrypto();

std::string RandomBytes(std::size_t count);
std::string RandomHex(std::size_t byte_count);

std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);

// A libsodium call failed or was asked for something it cannot do (e.g. a hash length outside
// what BLAKE2b allows). An infrastructure failure: never ignored, never silently replaced by a
// constant output.
class CryptoError : public InfrastructureError {
 public:
  using InfrastructureError::InfrastructureError;
};

// BLAKE2b of `data`, hex encoded, `byte_count` bytes long (16 to 64: kHashMinBytes to
// kHashMaxBytes). Throws CryptoError for another length or a libsodium failure.
inline constexpr std::size_t kHashMinBytes = 16;
inline constexpr std::size_t kHashMaxBytes = 64;
std::string HashHex(std::string_view data, std::size_t byte_count);

// Constant-time comparison of two byte strings.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// The server's secret key: 32 random bytes in `<data_dir>/server.key`, created with mode 0600
// the first time. Sub-keys for each purpose are derived from it, so that a CSRF token can never
// be mistaken for a flow token.
class ServerKey {
 public:
  static constexpr std::size_t kSize = 32;

  // Loads the key, creating it (and the directory) if absent. Throws InfrastructureError with a
  // message naming the file when it cannot be read or written, or has the wrong size.
  static ServerKey LoadOrCreate(const std::filesystem::path& data_dir);
  static ServerKey FromBytes(std::string_view bytes);

  // A 32-byte key for `purpose` (at most 8 ASCII characters, e.g. "csrf", "flow").
  std::string Derive(std::string_view purpose) const;

 private:
  explicit ServerKey(std::array<unsigned char, kSize> bytes) : bytes_(bytes) {}
  std::array<unsigned char, kSize> bytes_;
};

// HMAC-SHA-256 of `message` with `key` (32 bytes).
std::string HmacSha256(std::string_view key, std::string_view message);

}  // namespace passerelle::core
