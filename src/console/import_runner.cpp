#include "console/import_runner.h"

#include <spdlog/spdlog.h>

#include "storage/database.h"

namespace passerelle::console {

ImportRunner::ImportRunner() : thread_([this] { Loop(); }) {}

ImportRunner::~ImportRunner() { Stop(); }

void ImportRunner::Submit(const std::string& key, Run run, Interrupted interrupted) {
  {
    const std::lock_guard lock(mutex_);
    if (!stopping_) {
      known_[key] = Progress{};
      waiting_.push_back(Work{key, std::move(run), std::move(interrupted)});
      changed_.notify_all();
      return;
    }
  }
  interrupted();
}

std::optional<ImportRunner::Progress> ImportRunner::Find(const std::string& key) const {
  const std::lock_guard lock(mutex_);
  const auto found = known_.find(key);
  if (found == known_.end()) return std::nullopt;
  return found->second;
}

bool ImportRunner::WaitUntilEnded(const std::string& key, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return !known_.contains(key); });
}

void ImportRunner::Stop() {
  std::deque<Work> dropped;
  {
    const std::lock_guard lock(mutex_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    dropped.swap(waiting_);
    for (const Work& work : dropped) known_.erase(work.key);
    changed_.notify_all();
  }
  for (Work& work : dropped) work.interrupted();
  if (thread_.joinable()) thread_.join();
}

void ImportRunner::Loop() {
  for (;;) {
    Work work;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
      if (stopping_) return;
      work = std::move(waiting_.front());
      waiting_.pop_front();
    }
    const auto progress = [this, &key = work.key](std::size_t done, std::size_t total) {
      const std::lock_guard lock(mutex_);
      if (stopping_) throw ImportCancelled();
      known_[key] = Progress{done, total};
    };
    bool finished = false;
    try {
      work.run(progress);
      finished = true;
    } catch (const ImportCancelled&) {
      spdlog::info("event=console_import_interrupted reason=stopping");
    } catch (const std::exception& e) {
      spdlog::error("event=console_import_failed error=\"{}\"", storage::DescribeDatabaseError(e).value_or(e.what()));
    }
    if (!finished) {
      try {
        work.interrupted();
      } catch (const std::exception& e) {
        spdlog::error("event=console_import_unmarked error=\"{}\"",
                      storage::DescribeDatabaseError(e).value_or(e.what()));
      }
    }
    const std::lock_guard lock(mutex_);
    known_.erase(work.key);
    changed_.notify_all();
  }
}

}  // namespace passerelle::console
