#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <thread>
#include <utility>

namespace passerelle::core {

// A thread that calls `tick` every `interval` until it is destroyed (its destructor asks it to
// stop and joins; a wait in progress ends at once). `tick` must not throw: the callers catch and
// log what may fail (a database briefly unreachable) and try again at the next tick.
template <typename Tick>
std::jthread EveryInterval(std::chrono::milliseconds interval, Tick tick) {
  return std::jthread([interval, tick = std::move(tick)](std::stop_token stop) mutable {
    std::mutex mutex;
    std::condition_variable_any wake;
    while (!stop.stop_requested()) {
      {
        std::unique_lock lock(mutex);
        if (wake.wait_for(lock, stop, interval, [] { return false; })) break;
        if (stop.stop_requested()) break;
      }
      tick();
    }
  });
}

}  // namespace passerelle::core
