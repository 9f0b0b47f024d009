// The machine's Argon2id bound for sending referrals (issue 14): the time of the three
// derivations a referral costs (the lookup index and the verification hash of her follow-up
// code, and her key pair derived from it: ReferralService::Send), with the server's own costs
// (src/referral/argon2_cost.h; the key pair's are org_keys::DeriveKeyPair's, libsodium's
// "interactive"). Built and run by bench/referral/run.sh:  argon2_time [ROUNDS]
// Prints the median time of one referral's derivations on one thread, and the referrals per
// second with one thread per core at once (memory bandwidth may make that less than cores ÷ time).
// Until session 12 the bound counted two derivations (the key pair was left out), so it was too
// high (docs/benchmarks.md).
#include <sodium.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "referral/argon2_cost.h"

namespace {

using passerelle::referral::kHashMemLimit;
using passerelle::referral::kHashOpsLimit;
using passerelle::referral::kLookupMemLimit;
using passerelle::referral::kLookupOpsLimit;

bool OneReferral(const std::string& code) {
  std::array<unsigned char, 32> index{};
  std::array<unsigned char, crypto_pwhash_SALTBYTES> salt{};
  randombytes_buf(salt.data(), salt.size());
  if (crypto_pwhash(index.data(), index.size(), code.data(), code.size(), salt.data(), kLookupOpsLimit, kLookupMemLimit,
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return false;
  }
  std::array<char, crypto_pwhash_STRBYTES> hash{};
  if (crypto_pwhash_str(hash.data(), code.data(), code.size(), kHashOpsLimit, kHashMemLimit) != 0) return false;
  std::array<unsigned char, crypto_box_SEEDBYTES> seed{};
  return crypto_pwhash(seed.data(), seed.size(), code.data(), code.size(), salt.data(),
                       crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                       crypto_pwhash_ALG_ARGON2ID13) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) return 1;
  const int rounds = argc > 1 ? std::max(3, std::atoi(argv[1])) : 15;
  const std::string code = "abeille-ancre-azur-0042";
  using Clock = std::chrono::steady_clock;
  std::vector<double> ms;
  for (int i = 0; i < rounds; ++i) {
    const auto start = Clock::now();
    if (!OneReferral(code)) {
      std::fprintf(stderr, "argon2_time: Argon2id failed (out of memory?)\n");
      return 1;
    }
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  const double median = ms[ms.size() / 2];

  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  std::atomic<bool> failed{false};
  for (unsigned t = 0; t < cores; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < rounds; ++i) {
        if (!OneReferral(code)) failed = true;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  if (failed) return 1;
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("referral_ms_median\t%.2f\ncores\t%u\nbound_per_s\t%.2f\nparallel_per_s\t%.2f\n", median, cores,
              cores * 1000.0 / median, cores * rounds / seconds);
  return 0;
}
