#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/result.h"
#include "help/engine.h"

namespace passerelle::help {

// The stateless flow token: the FlowState, encrypted and authenticated with
// XChaCha20-Poly1305 (libsodium crypto_aead_xchacha20poly1305_ietf) under a key derived from
// the server key, valid two hours after it was issued. Any instance holding the server key can
// open it; nothing is stored. Format (docs/help-flow.md):
//   base64url( 0x01 | nonce (24 bytes) | ciphertext of the JSON state + tag (16 bytes) )
class FlowTokens {
 public:
  static constexpr std::chrono::seconds kLifetime{2 * 3600};
  static constexpr std::chrono::seconds kClockSkew{60};  // between instances
  static constexpr std::size_t kMaxLength = 16 * 1024;   // characters of an acceptable token

  // `key`: 32 bytes, core::ServerKey::Derive("flow").
  explicit FlowTokens(std::string key);

  static constexpr std::size_t kRunSecretBytes = 32;

  // A state without a run (Engine::Start) gets a new random run here: the run is born with the
  // first token of the flow and kept by every token sealed from a state opened later.
  std::string Seal(const FlowState& state, std::chrono::system_clock::time_point now) const;

  // The state, or kInvalidInput with internal_detail "malformed" (truncated, not base64url,
  // unknown format), "forged" (tampered with, or sealed under another key) or "expired".
  // A token sealed before runs existed (no "r") gets a run derived from the token itself, so
  // that its resubmissions still meet (such tokens are gone two hours after an upgrade).
  core::Result<FlowState> Open(std::string_view token, std::chrono::system_clock::time_point now) const;

 private:
  std::string key_;
};

}  // namespace passerelle::help
