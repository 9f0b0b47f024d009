#include "accounts/secrets.h"

#include <sodium.h>

#include "core/crypto.h"
#include "core/error.h"

namespace passerelle::accounts {

namespace {

unsigned char* Bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }
const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

std::string HashPassword(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), kArgonOps, kArgonMemory) != 0) {
    throw core::InfrastructureError("accounts: Argon2id hashing failed (out of memory)");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  const std::string terminated(hash);
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

std::string DeriveKey(std::string_view secret, std::string_view salt) {
  if (salt.size() != crypto_pwhash_SALTBYTES) throw core::InfrastructureError("accounts: bad salt size");
  std::string key(kKeyBytes, '\0');
  if (crypto_pwhash(Bytes(key), key.size(), secret.data(), secret.size(), Bytes(salt), kArgonOps, kArgonMemory,
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw core::InfrastructureError("accounts: Argon2id key derivation failed (out of memory)");
  }
  return key;
}

std::string Wrap(std::string_view key, std::string_view plaintext, std::string_view context) {
  if (key.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
    throw core::InfrastructureError("accounts: bad key size");
  std::string out(
      crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES,
      '\0');
  randombytes_buf(Bytes(out), crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  unsigned long long length = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(Bytes(out) + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &length,
                                             Bytes(plaintext), plaintext.size(), Bytes(context), context.size(),
                                             nullptr, Bytes(std::string_view(out)), Bytes(key));
  out.resize(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + length);
  return core::Base64UrlEncode(out);
}

std::optional<std::string> Unwrap(std::string_view key, std::string_view wrapped, std::string_view context) {
  const auto raw = core::Base64UrlDecode(wrapped);
  constexpr std::size_t kOverhead =
      crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (!raw || raw->size() < kOverhead || key.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES) return std::nullopt;
  std::string plaintext(raw->size() - kOverhead, '\0');
  unsigned long long length = 0;
  const std::string_view bytes(*raw);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(Bytes(plaintext), &length, nullptr,
                                                 Bytes(bytes) + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
                                                 bytes.size() - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
                                                 Bytes(context), context.size(), Bytes(bytes), Bytes(key)) != 0) {
    return std::nullopt;
  }
  plaintext.resize(length);
  return plaintext;
}

std::string KeyedHashHex(std::string_view key, std::string_view data) {
  unsigned char out[32];
  crypto_generichash(out, sizeof out, Bytes(data), data.size(), Bytes(key), key.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : out) {
    hex += kHex[c >> 4];
    hex += kHex[c & 0xF];
  }
  return hex;
}

HashLimiter::Slot::~Slot() {
  if (owner_ != nullptr) owner_->Release();
}

std::optional<HashLimiter::Slot> HashLimiter::Acquire(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  if (!released_.wait_for(lock, wait, [this] { return free_ > 0; })) return std::nullopt;
  --free_;
  return Slot(this);
}

void HashLimiter::Release() {
  {
    std::lock_guard lock(mutex_);
    ++free_;
  }
  released_.notify_one();
}

}  // namespace passerelle::accounts
