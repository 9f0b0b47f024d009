#include "core/periodic.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>

namespace passerelle::core {
namespace {

using namespace std::chrono_literals;

TEST(EveryInterval, TicksUntilDestroyed) {
  std::atomic<int> ticks = 0;
  {
    std::jthread thread = EveryInterval(1ms, [&] { ++ticks; });
    // Waits for the ticks (no timing assertion: a busy machine may be slow, never stuck).
    while (ticks.load() < 3) std::this_thread::sleep_for(1ms);
  }
  const int at_stop = ticks.load();
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(ticks.load(), at_stop) << "no tick after the thread was destroyed";
}

TEST(EveryInterval, StopsAtOnceDuringALongWait) {
  std::atomic<int> ticks = 0;
  {
    // Were the wait deaf to the stop token, this destructor would block for an hour and the
    // test would fail on ctest's timeout.
    std::jthread thread = EveryInterval(1h, [&] { ++ticks; });
  }
  EXPECT_EQ(ticks.load(), 0) << "the first tick comes after one interval, not at start";
}

}  // namespace
}  // namespace passerelle::core
