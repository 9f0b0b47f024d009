#include "http/page_cache.h"

#include <mutex>

namespace passerelle::http {

std::shared_ptr<const PageCache::Pieces> PageCache::Find(const std::string& key) const {
  {
    std::shared_lock lock(mutex_);
    if (const auto it = pages_.find(key); it != pages_.end()) {
      hits_.fetch_add(1, std::memory_order_relaxed);
      return it->second;
    }
  }
  misses_.fetch_add(1, std::memory_order_relaxed);
  return nullptr;
}

std::shared_ptr<const PageCache::Pieces> PageCache::Split(std::string_view page, std::string_view placeholder) {
  auto pieces = std::make_shared<Pieces>();
  std::size_t start = 0;
  if (!placeholder.empty()) {
    for (auto at = page.find(placeholder); at != std::string_view::npos; at = page.find(placeholder, start)) {
      pieces->parts.emplace_back(page.substr(start, at - start));
      start = at + placeholder.size();
    }
  }
  pieces->parts.emplace_back(page.substr(start));
  for (const std::string& part : pieces->parts) pieces->bytes += part.size();
  return pieces;
}

std::string PageCache::Join(const Pieces& pieces, std::string_view token) {
  std::string page;
  page.reserve(pieces.bytes + (pieces.parts.size() - 1) * token.size());
  for (std::size_t i = 0; i < pieces.parts.size(); ++i) {
    if (i > 0) page.append(token);
    page.append(pieces.parts[i]);
  }
  return page;
}

std::shared_ptr<const PageCache::Pieces> PageCache::Store(const std::string& key, std::string_view page,
                                                          std::string_view placeholder, std::uint64_t generation) {
  std::shared_ptr<const Pieces> pieces = Split(page, placeholder);
  const std::size_t size = key.size() + pieces->bytes;
  if (pieces->bytes > kMaxPageBytes || size > max_bytes_) return pieces;
  std::unique_lock lock(mutex_);
  if (generation != generation_.load(std::memory_order_acquire)) return pieces;
  if (pages_.count(key) > 0) return pieces;
  if (bytes_ + size > max_bytes_) {
    pages_.clear();
    bytes_ = 0;
  }
  pages_.emplace(key, pieces);
  bytes_ += size;
  return pieces;
}

void PageCache::Invalidate() {
  std::unique_lock lock(mutex_);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  pages_.clear();
  bytes_ = 0;
}

PageCache::Stats PageCache::Statistics() const {
  std::shared_lock lock(mutex_);
  return Stats{hits_.load(std::memory_order_relaxed), misses_.load(std::memory_order_relaxed), pages_.size(), bytes_};
}

}  // namespace passerelle::http
