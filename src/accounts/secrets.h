#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

// Password hashing, password-derived keys and key wrapping (docs/accounts.md). Every Argon2id
// here runs with t=2 and 64 MiB, and only inside a HashLimiter slot.
namespace passerelle::accounts {

inline constexpr unsigned long long kArgonOps = 2;
inline constexpr std::size_t kArgonMemory = 64u * 1024 * 1024;
inline constexpr std::size_t kSaltBytes = 16;  // crypto_pwhash_SALTBYTES
inline constexpr std::size_t kKeyBytes = 32;

// crypto_pwhash_str (Argon2id) of a password.
std::string HashPassword(std::string_view password);
// Verifies in constant time against a crypto_pwhash_str string; false for a malformed one.
bool VerifyPassword(std::string_view hash, std::string_view password);

// A 32-byte key derived from `secret` (a password or a recovery code) and `salt` (raw bytes,
// kSaltBytes). Throws InfrastructureError when out of memory.
std::string DeriveKey(std::string_view secret, std::string_view salt);

// XChaCha20-Poly1305 (IETF) of `plaintext` under `key` with associated data `context` (what
// the value belongs to: a wrapped value cannot be moved to another row). base64url of nonce+ciphertext.
std::string Wrap(std::string_view key, std::string_view plaintext, std::string_view context);
// The plaintext, or nothing when the key or the context is wrong or `wrapped` was altered.
std::optional<std::string> Unwrap(std::string_view key, std::string_view wrapped, std::string_view context);

// Keyed BLAKE2b-256 of `data` under `key`, hex: stable ids of tokens and throttle keys.
std::string KeyedHashHex(std::string_view key, std::string_view data);

// A bound on concurrent Argon2id computations (each takes 64 MiB and ~0.1-0.5 s of a core).
class HashLimiter {
 public:
  explicit HashLimiter(std::size_t slots) : free_(slots) {}

  class Slot {
   public:
    explicit Slot(HashLimiter* owner) : owner_(owner) {}
    Slot(Slot&& other) noexcept : owner_(other.owner_) { other.owner_ = nullptr; }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    Slot& operator=(Slot&&) = delete;
    ~Slot();

   private:
    HashLimiter* owner_;
  };

  // A slot, waiting at most `wait`; nothing when every slot stayed busy that long.
  std::optional<Slot> Acquire(std::chrono::milliseconds wait);

 private:
  void Release();
  std::mutex mutex_;
  std::condition_variable released_;
  std::size_t free_;
};

}  // namespace passerelle::accounts
