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
  std::lock_guard lock(mutex_);
  if (hour_.empty()) hour_ = HourOf(std::chrono::system_clock::now());
  ++counts_[std::string(priority_class)][status];
}

void VisitorLog::Hold(spdlog::level::level_enum level, std::string text) {
  std::lock_guard lock(mutex_);
  if (hour_.empty()) hour_ = HourOf(std::chrono::system_clock::now());
  held_.emplace_back(level, std::move(text));
}

void VisitorLog::Flush() {
  std::string hour;
  std::map<std::string, std::map<int, long long>> counts;
  std::vector<std::pair<spdlog::level::level_enum, std::string>> held;
  {
    std::lock_guard lock(mutex_);
    hour.swap(hour_);
    counts.swap(counts_);
    held.swap(held_);
  }
  for (const auto& [priority_class, by_status] : counts) {
    long long total = 0;
    std::string statuses;
    for (const auto& [status, count] : by_status) {
      total += count;
      statuses += (statuses.empty() ? "" : ",") + std::to_string(status) + ":" + std::to_string(count);
    }
    spdlog::info("event=visitor_requests hour={} class={} requests={} statuses={}", hour, priority_class, total,
                 statuses);
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
      VisitorLog::Instance().Flush();
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
  VisitorLog::Instance().Flush();
}

}  // namespace passerelle::core
