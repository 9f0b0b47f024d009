#include "core/work_pool.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>

namespace passerelle::core {

namespace {
thread_local WaitHook* t_wait_hook = nullptr;
}  // namespace

void SetThreadWaitHook(WaitHook* hook) { t_wait_hook = hook; }

ScopedWait::ScopedWait() : hook_(t_wait_hook) {
  if (hook_ != nullptr) hook_->BeginWait();
}

ScopedWait::~ScopedWait() {
  if (hook_ != nullptr) hook_->EndWait();
}

WorkPool::WorkPool(WorkPoolOptions options) : nice_(options.nice) {
  const std::size_t count =
      options.threads > 0 ? options.threads : std::max<std::size_t>(1, std::thread::hardware_concurrency());
  max_queued_ = options.max_queued > 0 ? options.max_queued : 4 * count;
  for (std::size_t i = 0; i < count; ++i) threads_.emplace_back([this] { Work(); });
}

WorkPool::~WorkPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (std::thread& thread : threads_) thread.join();
}

void WorkPool::Submit(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= max_queued_) throw BusyError("work pool: queue full");
    queue_.push_back(std::move(job));
  }
  ready_.notify_one();
}

std::size_t WorkPool::queued() {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void WorkPool::Work() {
#ifdef __linux__
  // Below the request workers: on a machine whose cores are all busy deriving, a page still
  // gets the CPU as soon as it asks (a thread's niceness is per thread on Linux).
  if (nice_ != 0) (void)setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), nice_);
#endif
  std::unique_lock lock(mutex_);
  while (true) {
    ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and every queued job has run
    std::function<void()> job = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    job();  // a packaged_task: its exception goes to the caller's future
    job = nullptr;
    lock.lock();
  }
}

}  // namespace passerelle::core
