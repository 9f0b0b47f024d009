#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "storage/database.h"

namespace passerelle::referral {

// The limits of /suivi (issue 15, F6). A follow-up code is three words and four digits: someone
// who knows her words (seen on a note) must neither guess the digits nor lock her out.
struct FollowUpLimits {
  // Failed attempts of one client address per window: beyond, that client may not try at all.
  std::size_t failures_per_client = 10;
  // Failed attempts on one code's words per window, all clients together: beyond, the words are
  // "under attack" and ...
  std::size_t failures_per_code = 5;
  // ... a client that has itself failed this often on these words may not try them again. Any
  // other client (she, elsewhere, or after one typo) still gets in with the right code.
  std::size_t failures_per_guesser = 2;
  std::chrono::seconds window{15 * 60};
};

// Counts failed /suivi attempts in the database (table attempt_throttle, migration 0011), so
// that the limits hold across restarts and across instances. Keys are HMACs under `key`; windows
// are fixed and aligned (a row dates a failure to its quarter of an hour, then is deleted).
// Throttles the guesser, not the code: a lock on the words only stops clients that failed on them.
class FollowUpThrottle {
 public:
  FollowUpThrottle(storage::Database& db, std::string key, FollowUpLimits limits = {});

  // Whether `client` may try a code now. `words`: the canonical code's three words, "" when
  // what was typed is not a code.
  bool Allows(const std::string& client, const std::string& words, std::chrono::system_clock::time_point now) const;
  // A code that opened nothing (or could not be read).
  void RecordFailure(const std::string& client, const std::string& words,
                     std::chrono::system_clock::time_point now) const;

 private:
  long long WindowStart(std::chrono::system_clock::time_point now) const;
  std::string KeyOf(std::string_view kind, std::string_view value) const;

  storage::Database& db_;
  std::string key_;
  FollowUpLimits limits_;
};

}  // namespace passerelle::referral
