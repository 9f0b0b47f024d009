// The help flow token (help::FlowTokens::Open): every token a visitor's browser sends back
// (form field `token` of /aide/questions, `"token"` of /api/v1/help).
// Each input is tried twice:
//  1. as the token itself: decoding, length and format checks, authentication (it never opens:
//     forging it would need the key);
//  2. as the JSON payload of a token sealed with the fuzzer's key, in the token format of
//     docs/help-flow.md: what an authentic token can hold (only a server bug or an older release
//     makes an odd one). When it opens, the state goes through the engine as the help pages do,
//     and sealing it again gives the same state back.
#include <sodium.h>

#include <chrono>
#include <string>

#include "core/crypto.h"
#include "help/token.h"
#include "help_flow_support.h"

using namespace passerelle;

namespace {

const std::string kKey(32, 'k');
// A fixed "now" so that a crash reproduces: seeds use "t":1700000000.
const std::chrono::system_clock::time_point kNow{std::chrono::seconds(1700000000)};

// base64url(0x01 | nonce | AEAD(payload)), as FlowTokens::Seal does for its JSON.
std::string SealPayload(std::string_view payload) {
  constexpr std::string_view kAssociatedData = "passerelle/flow-token/v1";
  const std::string nonce(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, 'n');
  std::string out(1 + nonce.size() + payload.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  out[0] = 0x01;
  out.replace(1, nonce.size(), nonce);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      reinterpret_cast<unsigned char*>(out.data()) + 1 + nonce.size(), &written,
      reinterpret_cast<const unsigned char*>(payload.data()), payload.size(),
      reinterpret_cast<const unsigned char*>(kAssociatedData.data()), kAssociatedData.size(), nullptr,
      reinterpret_cast<const unsigned char*>(nonce.data()), reinterpret_cast<const unsigned char*>(kKey.data()));
  out.resize(1 + nonce.size() + written);
  return core::Base64UrlEncode(out);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  core::InitCrypto();
  (void)fuzz::Flows();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const help::FlowTokens tokens(kKey);
  const std::string_view input = fuzz::Text(data, size);

  FUZZ_CHECK(!tokens.Open(input, kNow).ok());

  const auto opened = tokens.Open(SealPayload(input), kNow);
  if (!opened) return 0;
  const help::FlowState& state = opened.value();
  const auto again = tokens.Open(tokens.Seal(state, kNow), kNow);
  FUZZ_CHECK(again.ok() && again.value() == state);
  fuzz::Exercise(*fuzz::Flows().For("fr"), state, {});
  return 0;
}
