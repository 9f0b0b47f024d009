#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace passerelle::org_keys {

// An X25519 key pair (libsodium crypto_box), raw bytes.
struct KeyPair {
  std::string public_key;  // 32 bytes
  std::string secret_key;  // 32 bytes
};

KeyPair GenerateKeyPair();

// The key pair whose secret is derived from `secret` (the follow-up code) with Argon2id
// (interactive limits) and `salt` (16 bytes): the person can re-derive it from her code alone.
KeyPair DeriveKeyPair(std::string_view secret, std::string_view salt);

// crypto_box_seal of `plaintext` to `public_key` (32 raw bytes), base64url encoded. Only the
// holder of the matching secret key can open it; the sender (the server) cannot.
std::string Seal(std::string_view plaintext, std::string_view public_key);

// The plaintext, or nothing when `sealed` is malformed or was sealed to another key.
std::optional<std::string> Open(std::string_view sealed, const KeyPair& keys);

}  // namespace passerelle::org_keys
