#include "http/admission.h"

#include <algorithm>
#include <exception>

#include <spdlog/spdlog.h>

namespace passerelle::http {

namespace {

// The classes kept off the reserved workers: the slow ones (directory searches, Argon2 hashes,
// exports). Public pages are cheap and use every worker.
bool IsLow(std::size_t priority) { return priority > static_cast<std::size_t>(Priority::kPublic); }

}  // namespace

PriorityScheduler::PriorityScheduler(SchedulerOptions options)
    : options_(options),
      low_limit_(options.workers > options.reserved_workers ? options.workers - options.reserved_workers : 1) {
  options_.workers = std::max<std::size_t>(options_.workers, 1);
  if (!options_.clock) options_.clock = [] { return std::chrono::steady_clock::now(); };
  for (std::size_t i = 0; i < options_.workers + options_.spare_threads; ++i) {
    workers_.emplace_back([this, spare = i >= options_.workers] { Work(spare); });
  }
}

PriorityScheduler::~PriorityScheduler() { Stop(); }

void PriorityScheduler::Submit(Priority priority, Task run, Task shed) {
  // The FIFO baseline: one class for all, so one queue in arrival order and no reserved worker.
  const auto index = static_cast<std::size_t>(options_.fifo ? Priority::kPublic : priority);
  Task to_shed;
  bool wake_spare = false;
  {
    std::lock_guard lock(mutex_);
    // A spare thread is woken only when no worker waits and a place is lent: waking one at each
    // request while the workers are busy would cost a context switch for nothing (ADR 0017).
    wake_spare = idle_workers_ == 0 && lent_ > 0 && busy_ - lent_ < options_.workers;
    if (stopping_) {
      to_shed = std::move(shed);
      ++counts_.shed[index];
    } else if (queued_ < options_.max_queued) {
      queues_[index].push_back({std::move(run), std::move(shed)});
      ++queued_;
    } else {
      // Full: the newest waiting request of the lowest class below this one makes room.
      std::size_t victim = kPriorityCount;
      for (std::size_t c = kPriorityCount; c-- > index + 1;) {
        if (!queues_[c].empty()) {
          victim = c;
          break;
        }
      }
      if (victim == kPriorityCount) {
        to_shed = std::move(shed);
        ++counts_.shed[index];
      } else {
        to_shed = std::move(queues_[victim].back().shed);
        queues_[victim].pop_back();
        ++counts_.shed[victim];
        queues_[index].push_back({std::move(run), std::move(shed)});
      }
    }
  }
  if (to_shed) {
    to_shed();
  } else if (wake_spare) {
    spare_ready_.notify_one();
  } else {
    ready_.notify_one();
  }
}

bool PriorityScheduler::RunInline(Priority priority, const Task& run) {
  const auto c = static_cast<std::size_t>(priority);
  {
    std::lock_guard lock(mutex_);
    if (options_.fifo || stopping_ || queued_ > 0) return false;
    if (inline_paused_until_ != std::chrono::steady_clock::time_point{} && options_.clock() < inline_paused_until_) {
      return false;
    }
    ++counts_.run[c];
    ++counts_.inlined[c];
  }
  const auto started = options_.clock();
  try {
    run();  // tasks answer their own errors (the pipeline catches exceptions)
  } catch (const std::exception& e) {
    spdlog::error("event=task_failed class={} error=\"{}\"", PriorityName(priority), e.what());
  }
  const auto ended = options_.clock();
  if (ended - started > options_.inline_budget) {
    std::lock_guard lock(mutex_);
    inline_paused_until_ = ended + options_.inline_pause;
  }
  return true;
}

std::size_t PriorityScheduler::NextClass() const {
  if (busy_ - lent_ >= options_.workers) return kPriorityCount;  // every place taken (spare threads idle)
  for (std::size_t c = 0; c < kPriorityCount; ++c) {
    if (queues_[c].empty()) continue;
    if (IsLow(c) && busy_low_ >= low_limit_) return kPriorityCount;  // lower classes cannot run either
    return c;
  }
  return kPriorityCount;
}

void PriorityScheduler::Work(bool spare) {
  core::SetThreadWaitHook(this);
  std::condition_variable& ready = spare ? spare_ready_ : ready_;
  std::unique_lock lock(mutex_);
  while (true) {
    if (!stopping_ && NextClass() == kPriorityCount) {
      if (!spare) ++idle_workers_;
      ready.wait(lock, [this] { return stopping_ || NextClass() != kPriorityCount; });
      if (!spare) --idle_workers_;
    }
    if (stopping_) return;
    const std::size_t c = NextClass();
    Waiting waiting = std::move(queues_[c].front());
    queues_[c].pop_front();
    --queued_;
    ++busy_;
    if (IsLow(c)) ++busy_low_;
    ++counts_.run[c];
    lock.unlock();
    try {
      waiting.run();  // tasks answer their own errors (the pipeline catches exceptions)
    } catch (const std::exception& e) {
      spdlog::error("event=task_failed class={} error=\"{}\"", PriorityName(static_cast<Priority>(c)), e.what());
    }
    waiting = {};
    lock.lock();
    --busy_;
    if (IsLow(c)) {
      --busy_low_;
      ready_.notify_all();  // a waiting low request may run now
      // Spare threads only take a lent place: with none lent they could not run it (waking them
      // all at each search was a context switch per spare thread for nothing, ADR 0017).
      if (lent_ > 0 && idle_workers_ == 0) spare_ready_.notify_one();
    }
  }
}

void PriorityScheduler::BeginWait() {
  bool worker_idle = false;
  {
    std::lock_guard lock(mutex_);
    ++lent_;
    worker_idle = idle_workers_ > 0;
  }
  // A spare thread takes this worker's place (or an idle worker, when there are no spare threads).
  if (worker_idle) {
    ready_.notify_one();
  } else {
    spare_ready_.notify_one();
  }
}

void PriorityScheduler::EndWait() {
  // Back at work at once (briefly one over `workers`): the rest of a handler is short.
  std::lock_guard lock(mutex_);
  --lent_;
}

void PriorityScheduler::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
  }
  ready_.notify_all();
  spare_ready_.notify_all();
  for (std::thread& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  workers_.clear();
  std::lock_guard lock(mutex_);
  for (auto& queue : queues_) queue.clear();
  queued_ = 0;
}

PriorityScheduler::Counts PriorityScheduler::Snapshot() const {
  std::lock_guard lock(mutex_);
  Counts counts = counts_;
  counts.queued = queued_;
  counts.busy = busy_;
  counts.waiting = lent_;
  return counts;
}

}  // namespace passerelle::http
