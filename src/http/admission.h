#pragma once

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "core/work_pool.h"
#include "http/priority.h"

// Priorities under load (DESIGN §9, docs/load-shedding.md): requests wait for a worker in one
// queue per class (http/priority.h), bounded together; a free worker takes the highest class first; when the queue is
// full, the lowest class is shed with 503 and Retry-After instead of queueing without bound.
namespace passerelle::http {

struct SchedulerOptions {
  std::size_t workers = 4;
  // Requests waiting for a worker, every class together; beyond, the lowest class is shed.
  std::size_t max_queued = 256;
  // Workers that the slow classes below kPublic (search, login, export) never occupy, so that a
  // flood of searches or logins leaves the help path, the inbox and the public pages a worker
  // at once. At most workers - 1.
  std::size_t reserved_workers = 1;
  // BENCHMARK ONLY (`serve --scheduler-fifo`, bench/load/run.sh): every class in one FIFO
  // queue, no reserved worker, the newest request shed when full — the baseline that the
  // priorities are measured against. Never in production.
  bool fifo = false;
  // Threads beyond `workers` that take a worker's place while a handler waits for slow work
  // done elsewhere (core::ScopedWait: the Argon2id derivations on their own pool, ADR 0016).
  // At most `workers` handlers run at once, not counting those waiting; 0: none lent.
  std::size_t spare_threads = 0;
  // RunInline (ADR 0017): an inline run that took longer than `inline_budget` (a page rendered
  // for the first time, an error page) stops inline runs for `inline_pause`, so that a flood of
  // costly pages goes through the queue, where the help path overtakes it and the lowest class is
  // shed. `clock` is the steady clock; tests give their own.
  std::chrono::microseconds inline_budget{1000};
  std::chrono::milliseconds inline_pause{100};
  std::function<std::chrono::steady_clock::time_point()> clock{};
};

// A fixed pool of workers fed by per-class FIFO queues. Thread-safe. A worker whose handler
// waits inside a core::ScopedWait lends its place: another thread (of `spare_threads`) takes the
// next request meanwhile.
class PriorityScheduler : private core::WaitHook {
 public:
  using Task = std::function<void()>;

  explicit PriorityScheduler(SchedulerOptions options);  // starts the workers
  ~PriorityScheduler();
  PriorityScheduler(const PriorityScheduler&) = delete;
  PriorityScheduler& operator=(const PriorityScheduler&) = delete;

  // Queues `run` in its class. When max_queued requests already wait, the newest waiting
  // request of the lowest class below `priority` makes room (its `shed` is called); when none
  // waits below, this request's `shed` is called instead. `shed` runs on the caller's thread,
  // outside the scheduler's lock, and must be quick (it answers 503).
  void Submit(Priority priority, Task run, Task shed);

  // Runs `run` on the caller's thread (the server's I/O thread) and returns true when nothing
  // waits in any class, so that it overtakes no one (ADR 0017); otherwise returns false without
  // running it, and the caller Submits it. Never in the FIFO baseline, never while stopping, and
  // not during the pause after an inline run over `inline_budget`. Only for handlers that never
  // block (in-memory pages): the caller decides which.
  bool RunInline(Priority priority, const Task& run);

  // Stops taking tasks; lets running ones end; drops what still waits (neither run nor shed).
  void Stop();

  struct Counts {
    std::array<std::uint64_t, kPriorityCount> run{};
    std::array<std::uint64_t, kPriorityCount> shed{};
    std::size_t queued = 0;
    std::size_t busy = 0;
    std::size_t waiting = 0;                              // of `busy`, lent while waiting (core::ScopedWait)
    std::array<std::uint64_t, kPriorityCount> inlined{};  // of `run`, run by RunInline
  };
  Counts Snapshot() const;

 private:
  struct Waiting {
    Task run;
    Task shed;
  };
  void Work(bool spare);
  void BeginWait() override;
  void EndWait() override;
  // The class a free worker may take now, or kPriorityCount when none (lock held).
  std::size_t NextClass() const;

  SchedulerOptions options_;
  std::size_t low_limit_;  // workers the classes below kPublic may occupy together
  mutable std::mutex mutex_;
  std::condition_variable ready_;        // the `workers` threads wait here
  std::condition_variable spare_ready_;  // the spare threads: woken only when a place is lent
  std::array<std::deque<Waiting>, kPriorityCount> queues_;
  std::size_t queued_ = 0;
  std::size_t busy_ = 0;
  std::size_t busy_low_ = 0;
  std::size_t lent_ = 0;          // busy workers waiting inside a ScopedWait
  std::size_t idle_workers_ = 0;  // of the `workers` threads (not the spare ones), waiting for a task
  std::chrono::steady_clock::time_point inline_paused_until_{};
  bool stopping_ = false;
  Counts counts_;
  std::vector<std::thread> workers_;
};

}  // namespace passerelle::http
