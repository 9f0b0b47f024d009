#include "core/crypto.h"

#include <sodium.h>
#include <sys/stat.h>

#include <fstream>
#include <stdexcept>
#include <system_error>

#include "core/error.h"

namespace passerelle::core {

void InitCrypto() {
  if (sodium_init() < 0) throw InfrastructureError("libsodium could not be initialised");
}

std::string RandomBytes(std::size_t count) {
  std::string out(count, '\0');
  randombytes_buf(out.data(), out.size());
  return out;
}

std::string RandomHex(std::size_t byte_count) {
  std::string bytes = RandomBytes(byte_count);
  std::string hex(byte_count * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  hex.pop_back();
  return hex;
}

std::string Base64UrlEncode(std::string_view bytes) {
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(bytes.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    kVariant);
  out.resize(out.size() - 1);  // drop the terminating NUL
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  std::string out(text.size(), '\0');
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &length, &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

std::string HashHex(std::string_view data, std::size_t byte_count) {
  static_assert(kHashMinBytes == crypto_generichash_BYTES_MIN && kHashMaxBytes == crypto_generichash_BYTES_MAX);
  if (byte_count < kHashMinBytes || byte_count > kHashMaxBytes) {
    throw CryptoError("HashHex: " + std::to_string(byte_count) + " bytes asked, BLAKE2b gives " +
                      std::to_string(kHashMinBytes) + " to " + std::to_string(kHashMaxBytes));
  }
  std::string digest(byte_count, '\0');
  if (crypto_generichash(reinterpret_cast<unsigned char*>(digest.data()), byte_count,
                         reinterpret_cast<const unsigned char*>(data.data()), data.size(), nullptr, 0) != 0) {
    throw CryptoError("HashHex: crypto_generichash failed");
  }
  std::string hex(byte_count * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(digest.data()), digest.size());
  hex.pop_back();
  return hex;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

ServerKey ServerKey::FromBytes(std::string_view bytes) {
  if (bytes.size() != kSize) {
    throw CryptoError("server key: " + std::to_string(bytes.size()) + " bytes, " + std::to_string(kSize) + " expected");
  }
  std::array<unsigned char, kSize> key{};
  std::copy(bytes.begin(), bytes.end(), key.begin());
  return ServerKey(key);
}

ServerKey ServerKey::LoadOrCreate(const std::filesystem::path& data_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec) {
    throw InfrastructureError("cannot create data directory " + data_dir.string() + ": " + ec.message());
  }
  const fs::path path = data_dir / "server.key";
  if (!fs::exists(path)) {
    // Create with 0600 from the start: never a moment where the key is readable by others.
    const mode_t old_mask = ::umask(077);
    {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      const std::string bytes = RandomBytes(kSize);
      out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      out.flush();
      ::umask(old_mask);
      if (!out) throw InfrastructureError("cannot write server key file " + path.string());
    }
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace, ec);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InfrastructureError("cannot read server key file " + path.string());
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() != kSize) {
    throw InfrastructureError("server key file " + path.string() + " must hold exactly " + std::to_string(kSize) +
                              " bytes, found " + std::to_string(bytes.size()));
  }
  return FromBytes(bytes);
}

std::string ServerKey::Derive(std::string_view purpose) const {
  if (purpose.size() > crypto_kdf_CONTEXTBYTES) {
    throw CryptoError("server key: purpose longer than " + std::to_string(crypto_kdf_CONTEXTBYTES) + " characters");
  }
  char context[crypto_kdf_CONTEXTBYTES] = {};
  std::copy(purpose.begin(), purpose.end(), context);
  std::string sub(crypto_kdf_KEYBYTES, '\0');
  if (crypto_kdf_derive_from_key(reinterpret_cast<unsigned char*>(sub.data()), sub.size(), 1, context, bytes_.data()) !=
      0) {
    throw CryptoError("server key: crypto_kdf_derive_from_key failed");
  }
  return sub;
}

std::string HmacSha256(std::string_view key, std::string_view message) {
  if (key.size() != crypto_auth_hmacsha256_KEYBYTES) {
    throw CryptoError("HmacSha256: " + std::to_string(key.size()) + "-byte key, " +
                      std::to_string(crypto_auth_hmacsha256_KEYBYTES) + " expected");
  }
  std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(mac.data()));
  return mac;
}

}  // namespace passerelle::core
