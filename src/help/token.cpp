#include "help/token.h"

#include <sodium.h>

#include <limits>

#include "core/crypto.h"
#include "core/error.h"

namespace passerelle::help {

namespace {

constexpr unsigned char kFormatVersion = 0x01;
constexpr std::string_view kAssociatedData = "passerelle/flow-token/v1";
constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
// The latest issue time a token may carry: 9999-12-31 (seconds since 1970), far from overflow.
constexpr long long kLatestIssue = 253402300799;

constexpr const char* kPublicMessage =
    "Ce parcours a expiré ou n’a pas pu être lu. Pour votre sécurité, les réponses ne sont gardées que deux "
    "heures : recommencez depuis le début.";

core::Error Refuse(const char* detail) { return core::Error{core::ErrorCode::kInvalidInput, kPublicMessage, detail}; }

long long Seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

FlowTokens::FlowTokens(std::string key) : key_(std::move(key)) {
  if (key_.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES) {
    throw core::InfrastructureError("flow token key must be 32 bytes");
  }
}

std::string FlowTokens::Seal(const FlowState& state, std::chrono::system_clock::time_point now) const {
  nlohmann::json payload = {{"f", state.flow_id}, {"v", state.flow_version}, {"c", state.current},
                            {"h", state.history}, {"a", state.answers},      {"t", Seconds(now)}};
  if (!state.proposed.empty()) payload["p"] = state.proposed;
  if (!state.counted.empty()) payload["k"] = state.counted;
  payload["r"] = core::Base64UrlEncode(state.run_secret.size() == kRunSecretBytes ? state.run_secret
                                                                                  : core::RandomBytes(kRunSecretBytes));
  const std::string plain = payload.dump();
  const std::string nonce = core::RandomBytes(kNonceBytes);
  std::string out(1 + kNonceBytes + plain.size() + kTagBytes, '\0');
  out[0] = static_cast<char>(kFormatVersion);
  out.replace(1, kNonceBytes, nonce);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char*>(out.data()) + 1 + kNonceBytes, &written,
                                             Bytes(plain), plain.size(), Bytes(kAssociatedData), kAssociatedData.size(),
                                             nullptr, Bytes(nonce), Bytes(key_));
  out.resize(1 + kNonceBytes + written);
  return core::Base64UrlEncode(out);
}

core::Result<FlowState> FlowTokens::Open(std::string_view token, std::chrono::system_clock::time_point now) const {
  if (token.empty() || token.size() > kMaxLength) return Refuse("malformed");
  const auto raw = core::Base64UrlDecode(token);
  if (!raw || raw->size() < 1 + kNonceBytes + kTagBytes || static_cast<unsigned char>((*raw)[0]) != kFormatVersion) {
    return Refuse("malformed");
  }
  const std::string_view nonce = std::string_view(*raw).substr(1, kNonceBytes);
  const std::string_view sealed = std::string_view(*raw).substr(1 + kNonceBytes);
  std::string plain(sealed.size() - kTagBytes, '\0');
  unsigned long long length = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(plain.data()), &length, nullptr,
                                                 Bytes(sealed), sealed.size(), Bytes(kAssociatedData),
                                                 kAssociatedData.size(), Bytes(nonce), Bytes(key_)) != 0) {
    return Refuse("forged");
  }
  plain.resize(length);
  FlowState state;
  long long issued = 0;
  try {
    const nlohmann::json payload = nlohmann::json::parse(plain);
    state.flow_id = payload.at("f").get<std::string>();
    // Numbers must be integers in range: converting a float (1e63) to an integer is undefined
    // behaviour, found by the help_token fuzz target on a token sealed with the right key.
    const auto integer_in = [&payload](const char* field, long long low, long long high) {
      const nlohmann::json& value = payload.at(field);
      if (!value.is_number_integer()) return false;
      if (value.is_number_unsigned()) return value.get<unsigned long long>() <= static_cast<unsigned long long>(high);
      const long long number = value.get<long long>();
      return number >= low && number <= high;
    };
    if (!integer_in("v", 0, std::numeric_limits<int>::max()) || !integer_in("t", 0, kLatestIssue)) {
      return Refuse("malformed");
    }
    state.flow_version = payload.at("v").get<int>();
    state.current = payload.at("c").get<std::string>();
    state.history = payload.at("h").get<std::vector<std::string>>();
    state.answers = payload.at("a").get<Answers>();
    issued = payload.at("t").get<long long>();
    if (payload.contains("p")) state.proposed = payload.at("p").get<std::vector<std::string>>();
    if (payload.contains("k")) state.counted = payload.at("k").get<std::vector<std::string>>();
    if (payload.contains("r")) {
      const auto run = core::Base64UrlDecode(payload.at("r").get<std::string>());
      if (!run || run->size() != kRunSecretBytes) return Refuse("malformed");
      state.run_secret = *run;
    } else {
      state.run_secret = core::HmacSha256(key_, "legacy-run|" + *raw);
    }
  } catch (const nlohmann::json::exception&) {
    // Authentic but unreadable: only a server bug can make it.
    return Refuse("malformed");
  }
  const long long age = Seconds(now) - issued;
  if (age > kLifetime.count() || age < -kClockSkew.count()) return Refuse("expired");
  return state;
}

}  // namespace passerelle::help
