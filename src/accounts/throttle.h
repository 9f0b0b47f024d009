#pragma once

#include <chrono>
#include <string>

#include "accounts/repository.h"

// Login throttling that never locks the real user out (docs/accounts.md). Three counters of
// attempts, each forgotten a day after its last failure, each imposing a growing delay once its
// free attempts are spent (2 s, 4 s, 8 s … up to its cap):
//  - per (e-mail, address): 5 free, cap 15 min — one guesser at one address;
//  - per address: 30 free, cap 30 min — one address trying many accounts;
//  - per e-mail: 10 free, cap 15 min — many addresses guessing one account; NOT applied to an
//    address that signed in to that account successfully in the last 30 days.
// Keys are HMACs of the e-mail address and the client address under a server sub-key: neither
// is stored, and an unknown e-mail is throttled exactly like an existing one.
namespace passerelle::accounts {

struct ThrottleRule {
  long long free_attempts;
  long long cap_seconds;
};

inline constexpr ThrottleRule kPairRule{5, 15 * 60};
inline constexpr ThrottleRule kAddressRule{30, 30 * 60};
inline constexpr ThrottleRule kAccountRule{10, 15 * 60};
inline constexpr long long kForgetAfterSeconds = 24 * 3600;
inline constexpr long long kRecognizedForSeconds = 30LL * 24 * 3600;

// The delay after `failures` attempts under `rule`: 0 while free, then 2^(n) seconds, capped.
long long DelayAfter(long long failures, const ThrottleRule& rule);

class LoginThrottle {
 public:
  explicit LoginThrottle(std::string key) : key_(std::move(key)) {}

  struct Keys {
    std::string pair;
    std::string address;
    std::string account;
  };
  Keys KeysFor(const std::string& normalized_email, const std::string& client_address) const;

  // In the caller's transaction: how long the client must still wait (0: it may try, and the
  // attempt is counted now, before the password is checked, so that parallel guesses count too).
  std::chrono::seconds CheckAndCount(AccountRepository& repository, const Keys& keys, long long now) const;

  // A successful sign-in: the pair is cleared and remembered (recognized address); the attempt
  // counted on the address and the account is given back.
  void RecordSuccess(AccountRepository& repository, const Keys& keys, long long now) const;

 private:
  std::string key_;
};

}  // namespace passerelle::accounts
