#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

namespace passerelle::core {

// Values computed from data that changes as a whole (an index's generation, a snapshot, the
// minute): kept by key for one epoch only. A lookup with another epoch finds nothing; a store
// with another epoch forgets every value of the one kept (a late store of an older epoch may
// replace a newer one: a miss for the next lookup, never a stale value, since a lookup wants
// the same epoch). Bounded: emptied when `max_entries` are held. Thread-safe. `Epoch` needs ==.
template <typename Epoch, typename Value>
class EpochCache {
 public:
  explicit EpochCache(std::size_t max_entries) : max_entries_(max_entries) {}

  std::optional<Value> Find(const Epoch& epoch, const std::string& key) const {
    const std::lock_guard lock(mutex_);
    if (!(epoch == epoch_)) return std::nullopt;
    const auto found = values_.find(key);
    if (found == values_.end()) return std::nullopt;
    return found->second;
  }

  void Store(const Epoch& epoch, const std::string& key, Value value) {
    const std::lock_guard lock(mutex_);
    if (!(epoch == epoch_)) {
      values_.clear();
      epoch_ = epoch;
    }
    if (values_.size() >= max_entries_) values_.clear();
    values_.insert_or_assign(key, std::move(value));
  }

 private:
  const std::size_t max_entries_;
  mutable std::mutex mutex_;
  Epoch epoch_{};
  std::unordered_map<std::string, Value> values_;
};

}  // namespace passerelle::core
