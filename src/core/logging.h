#pragma once

#include <spdlog/common.h>

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

  void Count(std::string_view priority_class, int status);
  // `text`: logfmt pairs without time, route or request id.
  void Hold(spdlog::level::level_enum level, std::string text);
  // Writes what was counted and held (one line per class, then the held events in a random
  // order), each with `hour=` the hour it belongs to, and forgets it.
  void Flush();

 private:
  std::mutex mutex_;
  std::string hour_;  // "2026-12-06T03", the hour of what is held
  std::map<std::string, std::map<int, long long>> counts_;  // class → status → requests
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
