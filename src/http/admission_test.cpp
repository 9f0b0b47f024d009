// The priority scheduler (DESIGN §9 "Priorities under load"): the highest class runs first, a
// full queue sheds its lowest class, low classes never take the reserved worker. Workers are
// held on a gate so that every case is deterministic (no timing).
#include "http/admission.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace passerelle::http {
namespace {

using namespace std::chrono_literals;

// Holds the tasks that wait on it until opened; records what ran and what was shed, in order.
class Recorder {
 public:
  PriorityScheduler::Task Blocking(std::string name) {
    return [this, name] {
      {
        std::lock_guard lock(mutex_);
        started_.push_back(name);
      }
      changed_.notify_all();
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return open_; });
    };
  }
  PriorityScheduler::Task Runs(std::string name) {
    return [this, name] {
      std::lock_guard lock(mutex_);
      ran_.push_back(name);
      changed_.notify_all();
    };
  }
  PriorityScheduler::Task Sheds(std::string name) {
    return [this, name] {
      std::lock_guard lock(mutex_);
      shed_.push_back(name);
    };
  }
  void Open() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    changed_.notify_all();
  }
  // Waits (bounded, for a hung scheduler to fail rather than hang) until `n` blocking tasks started.
  bool WaitStarted(std::size_t n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 10s, [&] { return started_.size() >= n; });
  }
  bool WaitRan(std::size_t n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 10s, [&] { return ran_.size() >= n; });
  }
  std::vector<std::string> ran() {
    std::lock_guard lock(mutex_);
    return ran_;
  }
  std::vector<std::string> shed() {
    std::lock_guard lock(mutex_);
    return shed_;
  }
  std::vector<std::string> started() {
    std::lock_guard lock(mutex_);
    return started_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = false;
  std::vector<std::string> started_, ran_, shed_;
};

using Names = std::vector<std::string>;

TEST(PrioritySchedulerTest, AFreeWorkerTakesTheHighestClassFirstThenInArrivalOrder) {
  Recorder r;
  PriorityScheduler scheduler({1, 100, 0});
  scheduler.Submit(Priority::kPublic, r.Blocking("gate"), r.Sheds("gate"));
  ASSERT_TRUE(r.WaitStarted(1));
  scheduler.Submit(Priority::kSearch, r.Runs("search-1"), r.Sheds("search-1"));
  scheduler.Submit(Priority::kPublic, r.Runs("public-1"), r.Sheds("public-1"));
  scheduler.Submit(Priority::kHelp, r.Runs("help-1"), r.Sheds("help-1"));
  scheduler.Submit(Priority::kLogin, r.Runs("login-1"), r.Sheds("login-1"));
  scheduler.Submit(Priority::kHelp, r.Runs("help-2"), r.Sheds("help-2"));
  scheduler.Submit(Priority::kInbox, r.Runs("inbox-1"), r.Sheds("inbox-1"));
  scheduler.Submit(Priority::kSearch, r.Runs("search-2"), r.Sheds("search-2"));
  EXPECT_EQ(scheduler.Snapshot().queued, 7u);
  r.Open();
  ASSERT_TRUE(r.WaitRan(7));
  EXPECT_EQ(r.ran(), (Names{"help-1", "help-2", "inbox-1", "public-1", "search-1", "search-2", "login-1"}));
  EXPECT_TRUE(r.shed().empty());
}

TEST(PrioritySchedulerTest, AFullQueueShedsTheNewestOfItsLowestClassForAHigherOne) {
  Recorder r;
  PriorityScheduler scheduler({1, 3, 0});
  scheduler.Submit(Priority::kPublic, r.Blocking("gate"), r.Sheds("gate"));
  ASSERT_TRUE(r.WaitStarted(1));
  scheduler.Submit(Priority::kSearch, r.Runs("search-1"), r.Sheds("search-1"));
  scheduler.Submit(Priority::kLogin, r.Runs("login-1"), r.Sheds("login-1"));
  scheduler.Submit(Priority::kSearch, r.Runs("search-2"), r.Sheds("search-2"));
  // Full (3 waiting). A help request takes the place of the lowest class's newest: login-1.
  scheduler.Submit(Priority::kHelp, r.Runs("help-1"), r.Sheds("help-1"));
  EXPECT_EQ(r.shed(), Names{"login-1"});
  // Then of the next lowest: the newest search.
  scheduler.Submit(Priority::kInbox, r.Runs("inbox-1"), r.Sheds("inbox-1"));
  EXPECT_EQ(r.shed(), (Names{"login-1", "search-2"}));
  // A search finds no lower class waiting: it is shed itself, and so is an equal one.
  scheduler.Submit(Priority::kSearch, r.Runs("search-3"), r.Sheds("search-3"));
  scheduler.Submit(Priority::kLogin, r.Runs("login-2"), r.Sheds("login-2"));
  EXPECT_EQ(r.shed(), (Names{"login-1", "search-2", "search-3", "login-2"}));
  // Help requests evict the last search, then the inbox request; with only help waiting, the
  // next help request is shed itself.
  scheduler.Submit(Priority::kHelp, r.Runs("help-2"), r.Sheds("help-2"));
  scheduler.Submit(Priority::kHelp, r.Runs("help-3"), r.Sheds("help-3"));
  scheduler.Submit(Priority::kHelp, r.Runs("help-4"), r.Sheds("help-4"));
  EXPECT_EQ(r.shed(), (Names{"login-1", "search-2", "search-3", "login-2", "search-1", "inbox-1", "help-4"}));
  r.Open();
  ASSERT_TRUE(r.WaitRan(3));
  EXPECT_EQ(r.ran(), (Names{"help-1", "help-2", "help-3"}));
  const auto counts = scheduler.Snapshot();
  EXPECT_EQ(counts.shed[static_cast<std::size_t>(Priority::kSearch)], 3u);
  EXPECT_EQ(counts.shed[static_cast<std::size_t>(Priority::kLogin)], 2u);
  EXPECT_EQ(counts.shed[static_cast<std::size_t>(Priority::kInbox)], 1u);
  EXPECT_EQ(counts.shed[static_cast<std::size_t>(Priority::kHelp)], 1u);
  EXPECT_EQ(counts.run[static_cast<std::size_t>(Priority::kHelp)], 3u);
}

TEST(PrioritySchedulerTest, LowClassesLeaveTheReservedWorkerToTheHelpPath) {
  Recorder r;
  PriorityScheduler scheduler({2, 100, 1});
  scheduler.Submit(Priority::kSearch, r.Blocking("search-1"), r.Sheds("search-1"));
  ASSERT_TRUE(r.WaitStarted(1));
  scheduler.Submit(Priority::kSearch, r.Blocking("search-2"), r.Sheds("search-2"));
  scheduler.Submit(Priority::kLogin, r.Blocking("login-1"), r.Sheds("login-1"));
  // One worker is free, but reserved: the second search and the login wait.
  scheduler.Submit(Priority::kHelp, r.Blocking("help-1"), r.Sheds("help-1"));
  ASSERT_TRUE(r.WaitStarted(2));
  EXPECT_EQ(r.started(), (Names{"search-1", "help-1"}));
  EXPECT_EQ(scheduler.Snapshot().busy, 2u);
  EXPECT_EQ(scheduler.Snapshot().queued, 2u);
  r.Open();
  ASSERT_TRUE(r.WaitStarted(4));
  EXPECT_TRUE(r.shed().empty());
}

TEST(PrioritySchedulerTest, PublicPagesMayUseTheReservedWorker) {
  Recorder r;
  PriorityScheduler scheduler({2, 100, 1});
  scheduler.Submit(Priority::kLogin, r.Blocking("login-1"), r.Sheds("login-1"));
  ASSERT_TRUE(r.WaitStarted(1));
  scheduler.Submit(Priority::kPublic, r.Blocking("public-1"), r.Sheds("public-1"));
  ASSERT_TRUE(r.WaitStarted(2));
  EXPECT_EQ(r.started(), (Names{"login-1", "public-1"}));
  r.Open();
}

TEST(PrioritySchedulerTest, StopEndsRunningTasksAndShedsLaterSubmissions) {
  Recorder r;
  auto scheduler = std::make_unique<PriorityScheduler>(SchedulerOptions{1, 10, 0});
  scheduler->Submit(Priority::kHelp, r.Blocking("gate"), r.Sheds("gate"));
  ASSERT_TRUE(r.WaitStarted(1));
  scheduler->Submit(Priority::kPublic, r.Runs("dropped"), r.Sheds("dropped"));
  std::thread opener([&] {
    std::this_thread::sleep_for(50ms);
    r.Open();
  });
  scheduler->Stop();  // waits for the gate to open and the running task to end
  opener.join();
  EXPECT_TRUE(r.ran().empty()) << "what still waited is dropped, not run";
  scheduler->Submit(Priority::kHelp, r.Runs("late"), r.Sheds("late"));
  EXPECT_EQ(r.shed(), Names{"late"});
}

// ADR 0016: a referral waiting for its Argon2id derivations on their pool lends its worker's
// place. Both workers hold a referral whose derivation is held on a gate (one running on the
// pool's only thread, one queued): /aide still runs, before any derivation ends.
TEST(PrioritySchedulerTest, AHandlerWaitingOnTheDerivationPoolLendsItsWorkerToTheHelpPath) {
  Recorder r;
  core::WorkPool derivations({1, 1, 0});
  SchedulerOptions options{2, 100, 1};
  options.spare_threads = derivations.threads() + derivations.max_queued();
  PriorityScheduler scheduler(options);
  const auto referral = [&](std::string name) -> PriorityScheduler::Task {
    return [&r, &derivations, name] {
      derivations.Run([&r, name] {
        r.Blocking(name)();
        return 0;
      });
      r.Runs(name + " sent")();
    };
  };
  scheduler.Submit(Priority::kHelp, referral("derivation-1"), r.Sheds("referral-1"));
  ASSERT_TRUE(r.WaitStarted(1));                                                       // runs on the pool's only thread
  scheduler.Submit(Priority::kHelp, referral("derivation-2"), r.Sheds("referral-2"));  // waits for it
  for (int i = 0; i < 10000 && scheduler.Snapshot().waiting < 2; ++i) std::this_thread::sleep_for(1ms);
  ASSERT_EQ(scheduler.Snapshot().waiting, 2u);
  ASSERT_EQ(derivations.queued(), 1u);
  // Every request worker holds a referral; a third finds the pool full: refused, never waiting.
  bool busy = false;
  scheduler.Submit(
      Priority::kHelp,
      [&derivations, &busy, &r] {
        try {
          derivations.Run([] { return 0; });
        } catch (const core::BusyError&) {
          busy = true;
        }
        r.Runs("referral-3 answered")();
      },
      r.Sheds("referral-3"));
  scheduler.Submit(Priority::kHelp, r.Runs("aide"), r.Sheds("aide"));
  ASSERT_TRUE(r.WaitRan(2));
  Names ran = r.ran();
  std::sort(ran.begin(), ran.end());  // two threads stood in: either may end first
  EXPECT_EQ(ran, (Names{"aide", "referral-3 answered"}));
  EXPECT_TRUE(busy);
  EXPECT_EQ(scheduler.Snapshot().waiting, 2u);
  EXPECT_EQ(r.started(), Names{"derivation-1"});  // no derivation ended meanwhile
  r.Open();
  ASSERT_TRUE(r.WaitRan(4));
  EXPECT_EQ(scheduler.Snapshot().waiting, 0u);
  EXPECT_TRUE(r.shed().empty());
}

TEST(PrioritySchedulerTest, WithoutWaitingNoMoreThanTheWorkersRunDespiteSpareThreads) {
  Recorder r;
  SchedulerOptions options{2, 100, 1};
  options.spare_threads = 4;
  PriorityScheduler scheduler(options);
  scheduler.Submit(Priority::kHelp, r.Blocking("help-1"), r.Sheds("help-1"));
  scheduler.Submit(Priority::kHelp, r.Blocking("help-2"), r.Sheds("help-2"));
  ASSERT_TRUE(r.WaitStarted(2));
  scheduler.Submit(Priority::kHelp, r.Runs("help-3"), r.Sheds("help-3"));
  EXPECT_EQ(scheduler.Snapshot().queued, 1u);  // the spare threads stay idle
  EXPECT_EQ(scheduler.Snapshot().busy, 2u);
  r.Open();
  ASSERT_TRUE(r.WaitRan(1));
  EXPECT_EQ(r.ran(), Names{"help-3"});
}

// ADR 0017: a never-blocking page runs on the caller's thread (the I/O thread) when nothing
// waits, and goes through the queue behind a backlog, so that it overtakes no one.
TEST(PrioritySchedulerTest, RunInlineRunsOnTheCallerWhenNothingWaitsAndQueuesBehindABacklog) {
  Recorder r;
  PriorityScheduler scheduler({1, 100, 0});
  std::thread::id ran_on;
  EXPECT_TRUE(scheduler.RunInline(Priority::kPublic, [&ran_on] { ran_on = std::this_thread::get_id(); }));
  EXPECT_EQ(ran_on, std::this_thread::get_id());
  // A busy worker with nothing queued: still inline (nothing waits to be overtaken).
  scheduler.Submit(Priority::kSearch, r.Blocking("search"), r.Sheds("search"));
  ASSERT_TRUE(r.WaitStarted(1));
  EXPECT_TRUE(scheduler.RunInline(Priority::kHelp, r.Runs("aide inline")));
  // A backlog: refused, not run; the caller queues it, and it runs after what waited before it.
  scheduler.Submit(Priority::kHelp, r.Runs("help queued"), r.Sheds("help queued"));
  bool ran = false;
  EXPECT_FALSE(scheduler.RunInline(Priority::kHelp, [&ran] { ran = true; }));
  EXPECT_FALSE(ran);
  scheduler.Submit(Priority::kHelp, r.Runs("aide queued"), r.Sheds("aide queued"));
  r.Open();
  ASSERT_TRUE(r.WaitRan(3));
  EXPECT_EQ(r.ran(), (Names{"aide inline", "help queued", "aide queued"}));
  const auto counts = scheduler.Snapshot();
  EXPECT_EQ(counts.inlined[static_cast<std::size_t>(Priority::kPublic)], 1u);
  EXPECT_EQ(counts.inlined[static_cast<std::size_t>(Priority::kHelp)], 1u);
  EXPECT_EQ(counts.run[static_cast<std::size_t>(Priority::kHelp)], 3u);
  // Nothing waits again: inline again.
  EXPECT_TRUE(scheduler.RunInline(Priority::kPublic, [] {}));
  EXPECT_TRUE(r.shed().empty());
}

TEST(PrioritySchedulerTest, RunInlineNeverInTheFifoBaselineNorOnceStopped) {
  SchedulerOptions fifo{1, 100, 0};
  fifo.fifo = true;
  PriorityScheduler baseline(fifo);
  bool ran = false;
  EXPECT_FALSE(baseline.RunInline(Priority::kPublic, [&ran] { ran = true; }));
  PriorityScheduler stopped({1, 100, 0});
  stopped.Stop();
  EXPECT_FALSE(stopped.RunInline(Priority::kPublic, [&ran] { ran = true; }));
  EXPECT_FALSE(ran);
}

// An inline run over the budget (a page rendered for the first time, an error page) sends the
// next ones through the queue for the pause; a clock of the test's own, no timing.
TEST(PrioritySchedulerTest, AnInlineRunOverItsBudgetPausesInlineRuns) {
  std::chrono::steady_clock::time_point now{std::chrono::seconds(1000)};
  SchedulerOptions options{1, 100, 0};
  options.inline_budget = 1000us;
  options.inline_pause = 100ms;
  options.clock = [&now] { return now; };
  PriorityScheduler scheduler(options);
  EXPECT_TRUE(scheduler.RunInline(Priority::kPublic, [&now] { now += 1000us; }));  // at the budget: fine
  EXPECT_TRUE(scheduler.RunInline(Priority::kPublic, [&now] { now += 1001us; }));  // over it
  int inline_runs = 0;
  EXPECT_FALSE(scheduler.RunInline(Priority::kPublic, [&inline_runs] { ++inline_runs; }));
  now += 99ms;
  EXPECT_FALSE(scheduler.RunInline(Priority::kHelp, [&inline_runs] { ++inline_runs; }));
  now += 1ms;
  EXPECT_TRUE(scheduler.RunInline(Priority::kPublic, [&inline_runs] { ++inline_runs; }));
  EXPECT_EQ(inline_runs, 1);
}

}  // namespace
}  // namespace passerelle::http
