#pragma once

#include <spdlog/common.h>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace passerelle::core {

// One line per event, `key=value` pairs (logfmt) on stderr. Never log personal data, tokens,
// form content, query strings or report content: log ids, routes, statuses and durations.
void SetUpLogging();

// What the log says about anonymous visitors (issue 15, F2; docs/security.md "Logs"): a woman's
// visit must not be datable from the log, not even by the time a collector (journald, docker)
// stamps on each line. So no line is written when a visitor's request happens: requests are
// counted per class and status, events (errors, shedding) are held, and both are written once an
// hour, at the full hour, naming only their hour. Thread-safe.
class VisitorLog {
 public:
  static VisitorLog& Instance();

  // Lock-free (it runs for every request). `priority_class` must be a string literal (the
  // classes' names, http/priority.h): at most kMaxClasses of them.
  void Count(std::string_view priority_class, int status);
  // `text`: logfmt pairs without time, route or request id.
  void Hold(spdlog::level::level_enum level, std::string text);
  // Writes what was counted and held (one line per class, then the held events in a random
  // order), each with `hour=` the hour `hour_of` falls in, and forgets it.
  void Flush(std::chrono::system_clock::time_point hour_of);

 private:
  static constexpr std::size_t kMaxClasses = 8;
  static constexpr int kMinStatus = 100;
  static constexpr int kMaxStatus = 599;
  struct ClassCounts {
    std::atomic<const char*> name{nullptr};
    std::size_t name_size = 0;
    std::array<std::atomic<long long>, kMaxStatus - kMinStatus + 1> by_status{};
  };
  std::array<ClassCounts, kMaxClasses> classes_;
  std::mutex mutex_;  // held_ and class registration
  std::vector<std::pair<spdlog::level::level_enum, std::string>> held_;
};

// Flushes the VisitorLog at every full hour (UTC), and once more when destroyed (shutdown).
class HourlyVisitorLogFlush {
 public:
  HourlyVisitorLogFlush();
  ~HourlyVisitorLogFlush();
  HourlyVisitorLogFlush(const HourlyVisitorLogFlush&) = delete;
  HourlyVisitorLogFlush& operator=(const HourlyVisitorLogFlush&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace passerelle::core
