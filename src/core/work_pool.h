#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

// Slow CPU work (the Argon2id derivations of a follow-up code) on a bounded pool of its own, so
// that it never fills the request workers (docs/adr/0016-derivation-pool.md).
namespace passerelle::core {

// Thrown when a bounded pool cannot take more work: the caller answers "busy, retry" (the HTTP
// pipeline turns it into the load-shedding answer, 503 with Retry-After). Nothing was run.
class BusyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Told when a thread starts and stops waiting for work done elsewhere, so that the pool the
// thread belongs to may lend its place meanwhile (http::PriorityScheduler's workers do).
class WaitHook {
 public:
  virtual ~WaitHook() = default;
  virtual void BeginWait() = 0;
  virtual void EndWait() = 0;
};

// The calling thread's hook (none unless a pool set one on its own threads).
void SetThreadWaitHook(WaitHook* hook);

// While alive, the calling thread is waiting (its hook, if any, is told).
class ScopedWait {
 public:
  ScopedWait();
  ~ScopedWait();
  ScopedWait(const ScopedWait&) = delete;
  ScopedWait& operator=(const ScopedWait&) = delete;

 private:
  WaitHook* hook_;
};

struct WorkPoolOptions {
  std::size_t threads = 0;     // 0: one per core
  std::size_t max_queued = 0;  // jobs waiting for a thread, beyond those running; 0: 4 per thread
  int nice = 0;                // the threads' niceness (Linux; ignored when it cannot be set)
};

// A fixed number of threads fed by one bounded FIFO queue. Thread-safe.
class WorkPool {
 public:
  explicit WorkPool(WorkPoolOptions options = {});  // starts the threads
  ~WorkPool();                                      // lets queued jobs run, then joins
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  // Runs `work` on a thread of the pool and returns its result (or rethrows its exception); the
  // caller waits inside a ScopedWait. Throws BusyError, without running `work`, when
  // max_queued jobs already wait.
  template <typename F>
  std::invoke_result_t<F&> Run(F work) {
    using R = std::invoke_result_t<F&>;
    auto task = std::make_shared<std::packaged_task<R()>>(std::move(work));
    std::future<R> result = task->get_future();
    Submit([task] { (*task)(); });
    {
      const ScopedWait waiting;
      result.wait();
    }
    return result.get();
  }

  std::size_t threads() const { return threads_.size(); }
  std::size_t queued();  // jobs waiting for a thread now
  std::size_t max_queued() const { return max_queued_; }

 private:
  void Submit(std::function<void()> job);
  void Work();

  std::size_t max_queued_;
  int nice_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace passerelle::core
