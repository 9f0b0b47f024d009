#include "referral/throttle.h"

namespace passerelle::referral {

namespace {
// Keys kept at most; beyond, the oldest-looking entries are dropped (memory bound under attack).
constexpr std::size_t kMaxKeys = 100000;
}  // namespace

void AttemptThrottle::Prune(std::deque<TimePoint>& times, TimePoint now) const {
  while (!times.empty() && now - times.front() >= window_) times.pop_front();
}

bool AttemptThrottle::Allows(const std::string& key, TimePoint now) {
  std::lock_guard lock(mutex_);
  const auto it = failures_.find(key);
  if (it == failures_.end()) return true;
  Prune(it->second, now);
  if (it->second.empty()) {
    failures_.erase(it);
    return true;
  }
  return it->second.size() < max_failures_;
}

void AttemptThrottle::RecordFailure(const std::string& key, TimePoint now) {
  std::lock_guard lock(mutex_);
  if (failures_.size() >= kMaxKeys) {
    for (auto it = failures_.begin(); it != failures_.end();) {
      Prune(it->second, now);
      it = it->second.empty() ? failures_.erase(it) : std::next(it);
    }
    if (failures_.size() >= kMaxKeys) failures_.erase(failures_.begin());
  }
  auto& times = failures_[key];
  Prune(times, now);
  times.push_back(now);
}

}  // namespace passerelle::referral
