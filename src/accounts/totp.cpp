#include "accounts/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/crypto.h"
#include "core/error.h"
#include "core/html.h"

namespace passerelle::accounts {

namespace {

constexpr char kBase32Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

const EVP_MD* Digest(TotpHash hash) {
  switch (hash) {
    case TotpHash::kSha1:
      return EVP_sha1();
    case TotpHash::kSha256:
      return EVP_sha256();
    case TotpHash::kSha512:
      return EVP_sha512();
  }
  return EVP_sha1();
}

}  // namespace

std::string NewTotpSecret() { return core::RandomBytes(kTotpSecretBytes); }

std::int64_t TotpStep(std::chrono::system_clock::time_point now) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return seconds >= 0 ? seconds / kTotpStepSeconds : (seconds - kTotpStepSeconds + 1) / kTotpStepSeconds;
}

std::string TotpCode(std::string_view secret, std::int64_t step, int digits, TotpHash hash) {
  unsigned char counter[8];
  auto value = static_cast<std::uint64_t>(step);
  for (int i = 7; i >= 0; --i) {
    counter[i] = static_cast<unsigned char>(value & 0xFF);
    value >>= 8;
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_length = 0;
  if (HMAC(Digest(hash), secret.data(), static_cast<int>(secret.size()), counter, sizeof counter, mac, &mac_length) ==
      nullptr) {
    throw core::InfrastructureError("totp: HMAC failed");
  }
  // RFC 4226 §5.3 dynamic truncation.
  const unsigned offset = mac[mac_length - 1] & 0x0F;
  const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7F) << 24) |
                               (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                               (static_cast<std::uint32_t>(mac[offset + 2]) << 8) | mac[offset + 3];
  std::uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::string code = std::to_string(binary % modulus);
  return std::string(static_cast<std::size_t>(digits) - code.size(), '0') + code;
}

std::optional<std::int64_t> MatchTotp(std::string_view secret, std::string_view typed_code,
                                      std::chrono::system_clock::time_point now, std::int64_t last_accepted_step) {
  std::string code;
  for (char c : typed_code) {
    if (c == ' ' || c == '\t' || c == '-') continue;
    if (c < '0' || c > '9') return std::nullopt;
    code += c;
  }
  if (code.size() != static_cast<std::size_t>(kTotpDigits)) return std::nullopt;
  const std::int64_t current = TotpStep(now);
  std::optional<std::int64_t> matched;
  // Every candidate is computed and compared, whichever matches.
  for (std::int64_t step = current - 1; step <= current + 1; ++step) {
    const bool equal = core::ConstantTimeEquals(TotpCode(secret, step), code);
    if (equal && step > last_accepted_step && !matched) matched = step;
  }
  return matched;
}

std::string Base32Encode(std::string_view bytes) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out += kBase32Alphabet[(buffer >> (bits - 5)) & 0x1F];
      bits -= 5;
    }
  }
  if (bits > 0) out += kBase32Alphabet[(buffer << (5 - bits)) & 0x1F];
  return out;
}

std::optional<std::string> Base32Decode(std::string_view text) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char raw : text) {
    if (raw == ' ' || raw == '=' || raw == '-') continue;
    const char c = (raw >= 'a' && raw <= 'z') ? static_cast<char>(raw - 'a' + 'A') : raw;
    int value = -1;
    if (c >= 'A' && c <= 'Z') value = c - 'A';
    if (c >= '2' && c <= '7') value = c - '2' + 26;
    if (value < 0) return std::nullopt;
    buffer = (buffer << 5) | static_cast<std::uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xFF);
      bits -= 8;
    }
  }
  return out;
}

std::string GroupedKey(std::string_view secret) {
  const std::string key = Base32Encode(secret);
  std::string out;
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += ' ';
    out += key[i];
  }
  return out;
}

std::string OtpauthUri(std::string_view secret, std::string_view account_label) {
  return "otpauth://totp/Passerelle:" + core::PercentEncode(account_label) + "?secret=" + Base32Encode(secret) +
         "&issuer=Passerelle&algorithm=SHA1&digits=" + std::to_string(kTotpDigits) +
         "&period=" + std::to_string(kTotpStepSeconds);
}

}  // namespace passerelle::accounts
