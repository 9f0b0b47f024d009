#pragma once
// The Argon2id costs of a follow-up code, in one place: the server's two derivations per
// referral (ReferralService::LookupOf, HashCode) and the referral-throughput benchmark, which
// times the same two derivations to compute the machine's bound (bench/referral/argon2_time.cpp).

#include <sodium.h>

#include <cstddef>

namespace passerelle::referral {

// The lookup index (deterministic, salted with the first crypto_pwhash_SALTBYTES bytes of the
// "followup" sub-key): 16 MiB, 2 passes.
inline constexpr unsigned long long kLookupOpsLimit = 2;
inline constexpr std::size_t kLookupMemLimit = 16u << 20;
// The verification hash (crypto_pwhash_str, random salt): libsodium's "interactive" costs.
inline constexpr unsigned long long kHashOpsLimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
inline constexpr std::size_t kHashMemLimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

}  // namespace passerelle::referral
