#include "accounts/throttle.h"

#include <algorithm>

#include "accounts/secrets.h"

namespace passerelle::accounts {

namespace {

// A row's failures, forgotten a day after the last one.
ThrottleRow Current(AccountRepository& repository, const std::string& key, long long now) {
  ThrottleRow row = repository.FindThrottle(key).value_or(ThrottleRow{key, 0, 0, 0});
  if (now - row.last_failure_at > kForgetAfterSeconds) row.failures = 0;
  return row;
}

long long Wait(const ThrottleRow& row, const ThrottleRule& rule, long long now) {
  const long long delay = DelayAfter(row.failures, rule);
  return delay == 0 ? 0 : std::max(0LL, row.last_failure_at + delay - now);
}

}  // namespace

long long DelayAfter(long long failures, const ThrottleRule& rule) {
  if (failures < rule.free_attempts) return 0;
  const long long exponent = failures - rule.free_attempts + 1;
  if (exponent >= 30) return rule.cap_seconds;
  return std::min(rule.cap_seconds, 1LL << exponent);
}

LoginThrottle::Keys LoginThrottle::KeysFor(const std::string& normalized_email,
                                           const std::string& client_address) const {
  return Keys{KeyedHashHex(key_, "pair|" + normalized_email + "|" + client_address),
              KeyedHashHex(key_, "address|" + client_address), KeyedHashHex(key_, "account|" + normalized_email)};
}

std::chrono::seconds LoginThrottle::CheckAndCount(AccountRepository& repository, const Keys& keys,
                                                  long long now) const {
  ThrottleRow pair = Current(repository, keys.pair, now);
  ThrottleRow address = Current(repository, keys.address, now);
  ThrottleRow account = Current(repository, keys.account, now);
  const bool recognized = pair.last_success_at > 0 && now - pair.last_success_at <= kRecognizedForSeconds;
  long long wait = std::max(Wait(pair, kPairRule, now), Wait(address, kAddressRule, now));
  if (!recognized) wait = std::max(wait, Wait(account, kAccountRule, now));
  if (wait > 0) return std::chrono::seconds(wait);
  for (ThrottleRow* row : {&pair, &address, &account}) {
    ++row->failures;
    row->last_failure_at = now;
    repository.SaveThrottle(*row);
  }
  return std::chrono::seconds(0);
}

void LoginThrottle::RecordSuccess(AccountRepository& repository, const Keys& keys, long long now) const {
  ThrottleRow pair = Current(repository, keys.pair, now);
  pair.failures = 0;
  pair.last_success_at = now;
  repository.SaveThrottle(pair);
  for (const std::string* key : {&keys.address, &keys.account}) {
    ThrottleRow row = Current(repository, *key, now);
    if (row.failures > 0) {
      --row.failures;
      repository.SaveThrottle(row);
    }
  }
}

}  // namespace passerelle::accounts
