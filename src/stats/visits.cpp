#include "stats/visits.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace passerelle::stats {

namespace {

constexpr StatEvent kEvents[] = {StatEvent::kVisitHome, StatEvent::kVisitHelp, StatEvent::kVisitSheets,
                                 StatEvent::kVisitDirectory};

}  // namespace

PageVisits::PageVisits(StatsRepository& repository, std::string territory_slug, Clock clock,
                       std::chrono::milliseconds flush_every)
    : repository_(repository),
      territory_slug_(std::move(territory_slug)),
      clock_(std::move(clock)),
      flush_every_(flush_every) {}

PageVisits::~PageVisits() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  Flush();
}

void PageVisits::Start() {
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      wake_.wait_for(lock, flush_every_, [this] { return stopping_; });
      if (stopping_) break;
      lock.unlock();
      Flush();
      lock.lock();
    }
  });
}

void PageVisits::Flush() {
  const auto now = clock_();
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    const long long count = counts_[i].exchange(0, std::memory_order_relaxed);
    if (count == 0) continue;
    try {
      repository_.Add(kEvents[i], territory_slug_, "", count, now);
    } catch (const std::exception& e) {
      counts_[i].fetch_add(count, std::memory_order_relaxed);
      spdlog::error("event=visit_flush_failed kind={} error=\"{}\"", CodeOf(kEvents[i]), e.what());
    }
  }
}

}  // namespace passerelle::stats
