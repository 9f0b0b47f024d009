#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace passerelle::referral {

// The follow-up code shown once to the person at the end of a referral: three short French
// words (ASCII, from a built-in list of 277) and four digits, e.g. "pomme-lune-velo-4821"
// (about 37.6 bits). The server keeps only a slow lookup index and an Argon2id hash (docs/referral.md).

// The code for 20+ bytes of uniformly random (or keyed-hash) material; the same bytes always
// give the same code, so that a resubmitted referral can show its code again.
std::string CodeFromBytes(std::string_view bytes);

// The canonical form of what she typed ("Pomme Lune  vélo 4821" → "pomme-lune-velo-4821":
// lower case, accents folded, any separators), or nothing when it cannot be a code.
std::optional<std::string> NormalizeCode(std::string_view typed);

// "pomme-lune-velo" of a canonical code: the throttling key shared by every digit variant.
std::string WordsOf(std::string_view canonical_code);

// Argon2id (crypto_pwhash_str, interactive limits) of a canonical code, and its check.
std::string HashCode(std::string_view canonical_code);
bool VerifyCode(std::string_view hash, std::string_view canonical_code);

std::size_t WordCount();

}  // namespace passerelle::referral
