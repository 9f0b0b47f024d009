// The bounded pool of slow work (ADR 0016): results and exceptions come back to the caller, a
// full queue refuses at once (BusyError) without running the work, and the caller's thread
// tells its hook that it waits. Jobs are held on a gate: no timing.
#include "core/work_pool.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace passerelle::core {
namespace {

using namespace std::chrono_literals;

class Gate {
 public:
  void Open() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    changed_.notify_all();
  }
  void Pass() {
    std::unique_lock lock(mutex_);
    ++waiting_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return open_; });
  }
  // Bounded, so that a broken pool fails the test instead of hanging it.
  bool WaitWaiting(int n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 10s, [&] { return waiting_ >= n; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = false;
  int waiting_ = 0;
};

class CountingHook : public WaitHook {
 public:
  void BeginWait() override { ++began; }
  void EndWait() override { ++ended; }
  int began = 0;
  int ended = 0;
};

TEST(WorkPoolTest, RunsOnAnotherThreadAndGivesBackTheResult) {
  WorkPool pool({2, 4, 0});
  EXPECT_EQ(pool.threads(), 2u);
  EXPECT_EQ(pool.max_queued(), 4u);
  const auto caller = std::this_thread::get_id();
  EXPECT_NE(pool.Run([] { return std::this_thread::get_id(); }), caller);
  EXPECT_EQ(pool.Run([] { return std::string("abc") + "def"; }), "abcdef");
}

TEST(WorkPoolTest, AnExceptionOfTheWorkReachesTheCaller) {
  WorkPool pool({1, 1, 0});
  EXPECT_THROW(pool.Run([]() -> int { throw std::invalid_argument("bad"); }), std::invalid_argument);
  EXPECT_EQ(pool.Run([] { return 7; }), 7);  // the thread survived
}

TEST(WorkPoolTest, DefaultsFollowTheCoreCount) {
  WorkPool pool;
  EXPECT_GE(pool.threads(), 1u);
  EXPECT_EQ(pool.max_queued(), 4 * pool.threads());
}

TEST(WorkPoolTest, AFullQueueRefusesAtOnceWithoutRunningTheWork) {
  WorkPool pool({1, 1, 0});
  Gate gate;
  auto first = std::async(std::launch::async, [&] {
    return pool.Run([&] {
      gate.Pass();
      return 1;
    });
  });
  ASSERT_TRUE(gate.WaitWaiting(1));  // the thread is busy
  auto second = std::async(std::launch::async, [&] { return pool.Run([] { return 2; }); });
  for (int i = 0; i < 10000 && pool.queued() < 1; ++i) std::this_thread::sleep_for(1ms);
  ASSERT_EQ(pool.queued(), 1u);  // the queue is full
  bool ran = false;
  EXPECT_THROW(pool.Run([&] {
    ran = true;
    return 3;
  }),
               BusyError);
  EXPECT_FALSE(ran);
  gate.Open();
  EXPECT_EQ(first.get(), 1);
  EXPECT_EQ(second.get(), 2);
  EXPECT_EQ(pool.Run([] { return 4; }), 4);  // room again
}

TEST(WorkPoolTest, TheCallerTellsItsThreadsHookThatItWaits) {
  WorkPool pool({1, 1, 0});
  CountingHook hook;
  SetThreadWaitHook(&hook);
  EXPECT_EQ(pool.Run([] { return 1; }), 1);
  EXPECT_EQ(hook.began, 1);
  EXPECT_EQ(hook.ended, 1);
  // Refused work never waits.
  Gate gate;
  std::thread holder([&] {
    pool.Run([&] {
      gate.Pass();
      return 0;
    });
  });
  ASSERT_TRUE(gate.WaitWaiting(1));
  std::thread queued([&] { pool.Run([] { return 0; }); });
  for (int i = 0; i < 10000 && pool.queued() < 1; ++i) std::this_thread::sleep_for(1ms);
  EXPECT_THROW(pool.Run([] { return 0; }), BusyError);
  EXPECT_EQ(hook.began, 1);
  SetThreadWaitHook(nullptr);
  gate.Open();
  holder.join();
  queued.join();
  EXPECT_EQ(hook.ended, 1);  // other threads' waits are theirs
}

}  // namespace
}  // namespace passerelle::core
