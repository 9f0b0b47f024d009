#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace passerelle::http {

// The rendered bytes of public pages (docs/adr/0015-public-page-cache.md), in memory only.
// A page is stored as the pieces between the places where its CSRF token goes: answering it
// again is one copy of the bytes with the request's own token spliced in. The key is the whole
// input of the rendering (template, status, title, language, path, the handler's data), so that
// a change of what a page shows (a sheet, the directory, a setting) yields another key and never
// a stale page. What the key cannot see (the templates and the catalogs, fixed at start; wording
// edited while the server runs) is dropped by Invalidate().
class PageCache {
 public:
  struct Pieces {
    std::vector<std::string> parts;  // the page split at each token; parts.size() - 1 tokens
    std::size_t bytes = 0;           // the page's size without its tokens
  };
  struct Stats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::size_t entries = 0;
    std::size_t bytes = 0;
  };

  // `max_bytes`: keys and pages together; when a new page would exceed it, every page is
  // dropped (the cache refills from the pages asked for most).
  explicit PageCache(std::size_t max_bytes = kDefaultMaxBytes) : max_bytes_(max_bytes) {}

  static constexpr std::size_t kDefaultMaxBytes = 32 * 1024 * 1024;
  // A page larger than this is never stored (none is: public pages stay under 50 KB).
  static constexpr std::size_t kMaxPageBytes = 512 * 1024;

  // The page stored under `key`, or null.
  std::shared_ptr<const Pieces> Find(const std::string& key) const;
  // Stores `page` (rendered with `placeholder` where the token goes) under `key`, unless the
  // cache was invalidated since `generation` (Generation() taken before rendering: a page
  // rendered from old wording is not kept). Returns the pieces, stored or not.
  std::shared_ptr<const Pieces> Store(const std::string& key, std::string_view page, std::string_view placeholder,
                                      std::uint64_t generation);
  // Drops every page; pages being rendered at that moment are not stored.
  void Invalidate();
  std::uint64_t Generation() const { return generation_.load(std::memory_order_acquire); }
  Stats Statistics() const;

  // `pieces` joined with `token`.
  static std::string Join(const Pieces& pieces, std::string_view token);
  static std::shared_ptr<const Pieces> Split(std::string_view page, std::string_view placeholder);

 private:
  std::size_t max_bytes_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Pieces>> pages_;
  std::size_t bytes_ = 0;
  std::atomic<std::uint64_t> generation_{0};
  mutable std::atomic<std::uint64_t> hits_{0};
  mutable std::atomic<std::uint64_t> misses_{0};
};

}  // namespace passerelle::http
