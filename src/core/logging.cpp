#include "core/logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>
#include <random>

namespace passerelle::core {

namespace {

std::string HourOf(std::chrono::system_clock::time_point now) {
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H", &utc);
  return text;
}

}  // namespace

void SetUpLogging() {
  auto logger = spdlog::stderr_logger_mt("passerelle");
  logger->set_pattern("ts=%Y-%m-%dT%H:%M:%S.%eZ level=%l %v", spdlog::pattern_time_type::utc);
  spdlog::set_default_logger(logger);
  spdlog::flush_on(spdlog::level::info);
}

VisitorLog& VisitorLog::Instance() {
  static VisitorLog log;
  return log;
}

void VisitorLog::Count(std::string_view priority_class, int status) {
  if (status < kMinStatus || status > kMaxStatus) status = 500;
  for (ClassCounts& counts : classes_) {
    const char* name = counts.name.load(std::memory_order_acquire);
    if (name == nullptr) {
      std::lock_guard lock(mutex_);
      if (counts.name.load(std::memory_order_relaxed) == nullptr) {
        counts.name_size = priority_class.size();
        counts.name.store(priority_class.data(), std::memory_order_release);
      }
      name = counts.name.load(std::memory_order_relaxed);
    }
    if (std::string_view(name, counts.name_size) == priority_class) {
      counts.by_status[static_cast<std::size_t>(status - kMinStatus)].fetch_add(1, std::memory_order_relaxed);
      return;
    }
  }
}

void VisitorLog::Hold(spdlog::level::level_enum level, std::string text) {
  std::lock_guard lock(mutex_);
  held_.emplace_back(level, std::move(text));
}

void VisitorLog::Flush(std::chrono::system_clock::time_point hour_of) {
  const std::string hour = HourOf(hour_of);
  for (ClassCounts& counts : classes_) {
    const char* name = counts.name.load(std::memory_order_acquire);
    if (name == nullptr) break;
    long long total = 0;
    std::string statuses;
    for (std::size_t i = 0; i < counts.by_status.size(); ++i) {
      const long long count = counts.by_status[i].exchange(0, std::memory_order_relaxed);
      if (count == 0) continue;
      total += count;
      statuses += (statuses.empty() ? "" : ",") + std::to_string(static_cast<int>(i) + kMinStatus) + ":" +
                  std::to_string(count);
    }
    if (total > 0) {
      spdlog::info("event=visitor_requests hour={} class={} requests={} statuses={}", hour,
                   std::string_view(name, counts.name_size), total, statuses);
    }
  }
  std::vector<std::pair<spdlog::level::level_enum, std::string>> held;
  {
    std::lock_guard lock(mutex_);
    held.swap(held_);
  }
  // The order of the events within the hour says nothing either.
  std::shuffle(held.begin(), held.end(), std::mt19937(std::random_device{}()));
  for (const auto& [level, text] : held) spdlog::log(level, "hour={} {}", hour, text);
}

HourlyVisitorLogFlush::HourlyVisitorLogFlush() {
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      const auto now = std::chrono::system_clock::now();
      const auto next_hour = std::chrono::floor<std::chrono::hours>(now) + std::chrono::hours(1);
      if (wake_.wait_until(lock, next_hour, [this] { return stopping_; })) break;
      lock.unlock();
      VisitorLog::Instance().Flush(next_hour - std::chrono::seconds(1));  // the hour that just ended
      lock.lock();
    }
  });
}

HourlyVisitorLogFlush::~HourlyVisitorLogFlush() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  VisitorLog::Instance().Flush(std::chrono::system_clock::now());
}

}  // namespace passerelle::core
