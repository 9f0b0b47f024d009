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
  for (std::size_t i = 0; i < options_.workers + options_.spare_threads; ++i) workers_.emplace_back([this] { Work(); });
}

PriorityScheduler::~PriorityScheduler() { Stop(); }

void PriorityScheduler::Submit(Priority priority, Task run, Task shed) {
  // The FIFO baseline: one class for all, so one queue in arrival order and no reserved worker.
  const auto index = static_cast<std::size_t>(options_.fifo ? Priority::kPublic : priority);
  Task to_shed;
  {
    std::lock_guard lock(mutex_);
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
  } else {
    ready_.notify_one();
  }
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

void PriorityScheduler::Work() {
  core::SetThreadWaitHook(this);
  std::unique_lock lock(mutex_);
  while (true) {
    ready_.wait(lock, [this] { return stopping_ || NextClass() != kPriorityCount; });
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
    }
  }
}

void PriorityScheduler::BeginWait() {
  {
    std::lock_guard lock(mutex_);
    ++lent_;
  }
  ready_.notify_one();  // a spare thread takes this worker's place
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
