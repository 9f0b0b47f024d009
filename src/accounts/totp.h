#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// Time-based one-time passwords (RFC 6238 over RFC 4226): 30-second steps, 6 digits, HMAC-SHA-1
// (what every authenticator app reads from an otpauth:// URI), a code accepted one step early
// or late, and never twice (the caller stores the last accepted step).
namespace passerelle::accounts {

enum class TotpHash { kSha1, kSha256, kSha512 };

inline constexpr std::int64_t kTotpStepSeconds = 30;
inline constexpr int kTotpDigits = 6;
inline constexpr std::size_t kTotpSecretBytes = 20;  // 160 bits, as RFC 4226 recommends

// A new random secret (raw bytes).
std::string NewTotpSecret();

// The step of a moment: floor(unix seconds / 30).
std::int64_t TotpStep(std::chrono::system_clock::time_point now);

// The code of `step` (zero-padded, `digits` long).
std::string TotpCode(std::string_view secret, std::int64_t step, int digits = kTotpDigits,
                     TotpHash hash = TotpHash::kSha1);

// The step `code` belongs to, among now-1, now, now+1 and strictly after `last_accepted_step`;
// or nothing. Spaces in the typed code are ignored. Constant-time comparison.
std::optional<std::int64_t> MatchTotp(std::string_view secret, std::string_view typed_code,
                                      std::chrono::system_clock::time_point now, std::int64_t last_accepted_step);

// RFC 4648 base32 without padding (upper case), and its decoding (case and spaces ignored).
std::string Base32Encode(std::string_view bytes);
std::optional<std::string> Base32Decode(std::string_view text);

// The manual key shown to the user: base32 in groups of four ("ABCD EFGH …").
std::string GroupedKey(std::string_view secret);

// otpauth://totp/Passerelle:<account>?secret=…&issuer=Passerelle&algorithm=SHA1&digits=6&period=30
std::string OtpauthUri(std::string_view secret, std::string_view account_label);

}  // namespace passerelle::accounts
