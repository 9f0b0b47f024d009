#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace passerelle::referral {

// Counts failed attempts per key in a sliding window (in memory, per instance: N instances
// allow N times as many). Used by /suivi per client address and per code's words, so that
// guessing codes is slow while the person who typed her code wrong twice is not locked out.
class AttemptThrottle {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  AttemptThrottle(std::size_t max_failures, std::chrono::seconds window)
      : max_failures_(max_failures), window_(window) {}

  // False while `key` has had `max_failures` failures within the window.
  bool Allows(const std::string& key, TimePoint now);
  void RecordFailure(const std::string& key, TimePoint now);

 private:
  void Prune(std::deque<TimePoint>& times, TimePoint now) const;
  std::size_t max_failures_;
  std::chrono::seconds window_;
  std::mutex mutex_;
  std::map<std::string, std::deque<TimePoint>> failures_;
};

}  // namespace passerelle::referral
