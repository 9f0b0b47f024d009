#include "stats/visits.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

namespace passerelle::stats {

namespace {

constexpr StatEvent kEvents[] = {StatEvent::kVisitHome, StatEvent::kVisitHelp, StatEvent::kVisitSheets,
                                 StatEvent::kVisitDirectory};

}  // namespace

PageVisits::PageVisits(StatsRepository& repository, std::string territory_slug, Clock clock,
                       std::chrono::milliseconds flush_every, const std::vector<std::string>& territories, Known known)
    : repository_(repository),
      territory_slug_(std::move(territory_slug)),
      slugs_{territory_slug_},
      clock_(std::move(clock)),
      flush_every_(flush_every),
      known_(std::move(known)) {
  if (territory_slug_.empty()) {
    for (const std::string& slug : territories) {
      if (!slug.empty() && std::find(slugs_.begin(), slugs_.end(), slug) == slugs_.end()) slugs_.push_back(slug);
    }
  }
  // slugs_ no longer changes: the views stay valid.
  for (std::size_t i = 1; i < slugs_.size(); ++i) index_of_.emplace(slugs_[i], i);
  counts_ = std::make_unique<Counts[]>(slugs_.size());
}

std::size_t PageVisits::IndexOf(std::string_view page_territory) const {
  if (page_territory.empty()) return 0;
  const auto found = index_of_.find(page_territory);
  return found == index_of_.end() ? 0 : found->second;
}

bool PageVisits::CountLate(PageKind kind, std::string_view page_territory) {
  if (!known_(page_territory)) return false;
  const std::lock_guard lock(late_mutex_);
  auto it = late_.find(page_territory);
  if (it == late_.end()) it = late_.emplace(std::string(page_territory), std::array<long long, 4>{}).first;
  ++it->second[static_cast<std::size_t>(kind)];
  return true;
}

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
  for (std::size_t t = 0; t < slugs_.size(); ++t) {
    for (std::size_t i = 0; i < std::size(kEvents); ++i) {
      const long long count = counts_[t][i].exchange(0, std::memory_order_relaxed);
      if (count == 0) continue;
      try {
        repository_.Add(kEvents[i], slugs_[t], "", count, now);
      } catch (const std::exception& e) {
        counts_[t][i].fetch_add(count, std::memory_order_relaxed);
        spdlog::error("event=visit_flush_failed kind={} error=\"{}\"", CodeOf(kEvents[i]), e.what());
      }
    }
  }
  std::map<std::string, std::array<long long, 4>, std::less<>> late;
  {
    const std::lock_guard lock(late_mutex_);
    late.swap(late_);
  }
  for (auto& [slug, counts] : late) {
    for (std::size_t i = 0; i < std::size(kEvents); ++i) {
      if (counts[i] == 0) continue;
      try {
        repository_.Add(kEvents[i], slug, "", counts[i], now);
        counts[i] = 0;
      } catch (const std::exception& e) {
        spdlog::error("event=visit_flush_failed kind={} error=\"{}\"", CodeOf(kEvents[i]), e.what());
      }
    }
  }
  // What failed is counted again, for the next flush.
  const std::lock_guard lock(late_mutex_);
  for (const auto& [slug, counts] : late) {
    if (std::all_of(counts.begin(), counts.end(), [](long long n) { return n == 0; })) continue;
    auto& into = late_[slug];
    for (std::size_t i = 0; i < counts.size(); ++i) into[i] += counts[i];
  }
}

}  // namespace passerelle::stats
