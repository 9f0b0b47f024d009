#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "directory/import.h"

namespace passerelle::console {

// Thrown from the progress callback when the runner stops during a run: the import unwinds and
// its transaction is rolled back.
class ImportCancelled : public std::runtime_error {
 public:
  ImportCancelled() : std::runtime_error("import cancelled: the server is stopping") {}
};

// Runs the console's imports (their dry runs and applies) one at a time on a thread of its own,
// off the request threads (docs/territory-console.md "Progress"): a large file takes minutes,
// longer than a request may, and one at a time bounds what imports take of the machine. The
// progress of each run is kept in memory for the page that refreshes itself.
class ImportRunner {
 public:
  // `run` does the work, reporting through `progress`; `interrupted` is called instead of (or
  // after) it when it does not finish: the runner stopped before or during it, or it threw.
  using Run = std::function<void(const directory::ProgressCallback& progress)>;
  using Interrupted = std::function<void()>;

  ImportRunner();
  ~ImportRunner();  // Stop()
  ImportRunner(const ImportRunner&) = delete;
  ImportRunner& operator=(const ImportRunner&) = delete;

  void Submit(const std::string& key, Run run, Interrupted interrupted);

  struct Progress {
    std::size_t done = 0;
    std::size_t total = 0;  // 0 while it waits or reads the file
  };
  // The progress of the work `key` while it waits or runs; nothing once it has ended.
  std::optional<Progress> Find(const std::string& key) const;
  // Waits at most `timeout` for the work `key` to end; true when it is not waiting nor running.
  bool WaitUntilEnded(const std::string& key, std::chrono::milliseconds timeout) const;

  // Cancels the run in progress (its next progress call throws ImportCancelled), calls
  // `interrupted` for the work still waiting, and joins the thread.
  void Stop();

 private:
  struct Work {
    std::string key;
    Run run;
    Interrupted interrupted;
  };
  void Loop();

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::deque<Work> waiting_;
  std::map<std::string, Progress> known_;  // waiting or running
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace passerelle::console
