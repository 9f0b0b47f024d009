#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "directory/model.h"
#include "directory/opening_hours.h"
#include "directory/public_view.h"
#include "directory/service.h"
#include "geo/spatial_index.h"

namespace passerelle::annuaire {

// The fields of a point that results read, in place: references into the organization's public
// view that the ServicePoint holds (its `organization`), valid as long as the point is.
struct ServicePointFields {
  const std::string& service_id;
  const std::string& location_id;
  const std::string& insee_code;  // the place's commune
  const std::vector<directory::Category>& categories;
  const std::vector<std::string>& languages;
  const std::vector<directory::Accessibility>& accessibility;
  bool accepts_referrals = false;  // the organization's
  bool confidential = false;       // the place's
};

// One public service at one place, as a result needs it. The index puts it at the place itself,
// or at the centre of its commune when the place is confidential — those coordinates are only
// used to measure a distance and are never shown or sent (the spatial index alone holds them).
// The point refers to its service and place inside its organization's shared public view
// instead of copying them (a copy was 35 MB of strings and lists for a national directory,
// issue 14): the view is immutable and held by `organization`, so what `point` refers to lives
// exactly as long as the point, even when a refresh replaces the organization while a search
// still holds the old point.
struct ServicePoint {
  // `service` and `location` index `organization->services` and `organization->locations`.
  ServicePoint(std::shared_ptr<const directory::PublicOrganization> organization, std::size_t service,
               std::size_t location, std::shared_ptr<const directory::OpeningHours> hours);

  std::shared_ptr<const directory::PublicOrganization> organization;  // first: `point` refers into it
  ServicePointFields point;
  // Parsed once per distinct text and shared by the points that have it; `hours` is *shared_hours.
  std::shared_ptr<const directory::OpeningHours> shared_hours;
  const directory::OpeningHours& hours;
};

struct Hit {
  std::shared_ptr<const ServicePoint> point;
  double distance_km = 0;
};

struct HitPage {
  std::vector<Hit> items;
  bool has_more = false;
};

enum class OpenNow { kAny, kOnly };

struct ServiceQuery {
  double lat = 0;
  double lon = 0;
  double radius_km = 10;
  std::vector<directory::Category> categories;  // any of; empty: every category
  std::string language;                         // ISO 639-1; empty: any
  bool free_only = false;
  bool wheelchair = false;
  bool accepts_referrals = false;
  OpenNow open_now = OpenNow::kAny;
  std::string territory;  // empty: every territory
  std::size_t offset = 0;
  std::size_t limit = 20;  // at most geo::kMaxPageSize
  std::chrono::system_clock::time_point now;
};

// Centre of a commune by INSEE code (from the gazetteer), to place confidential locations.
using CommuneCentre = std::function<std::optional<std::pair<double, double>>(const std::string& insee_code)>;

// The directory's public service points in a geo::SpatialIndex, kept in sync with every write
// through DirectoryService::OnChange (no restart after an import or an edit). Holds only public
// views: nothing it returns can carry a confidential address.
class ServiceIndex {
 public:
  ServiceIndex(directory::DirectoryService& directory, CommuneCentre commune_centre);
  ServiceIndex(const ServiceIndex&) = delete;
  ServiceIndex& operator=(const ServiceIndex&) = delete;

  // Fills the index from the database and subscribes to the directory's changes. Call once, at
  // start-up, before serving.
  void Start();
  // Reloads the points of the organizations written (the change callback).
  void Refresh(const std::vector<std::string>& organization_ids);
  // Also follows writes made by other processes (`passerelle import` on the command line,
  // another instance on the same PostgreSQL): every `interval`, the organizations written since
  // the last look (with a margin for clock differences between servers) are reloaded. Stops
  // when the index is destroyed. Call after Start().
  void WatchOtherWriters(std::chrono::milliseconds interval);
  ~ServiceIndex();

  [[nodiscard]] core::Result<HitPage> Find(const ServiceQuery& query) const;
  std::size_t size() const;
  // Changes whenever the index changes (start, refresh): what a cache of search results is
  // valid for (the console's gap analysis).
  std::uint64_t Generation() const { return generation_.load(std::memory_order_acquire); }

 private:
  using Points = std::vector<directory::PublicServicePoint>;
  // `indexed_before`: false when none of `organization_ids` can be in the index yet (the start,
  // one territory at a time), which skips the walk that forgets their old points. The points
  // are only read: the index keeps references into `organizations` (ServicePoint).
  void Apply(const std::vector<std::string>& organization_ids, const Points& points,
             const std::map<std::string, std::shared_ptr<const directory::PublicOrganization>>& organizations,
             bool indexed_before = true);
  std::uint64_t LanguageBitLocked(const std::string& code);
  // The parsed hours of `text` (empty hours when it does not parse), shared.
  std::shared_ptr<const directory::OpeningHours> HoursLocked(const std::string& text);

  directory::DirectoryService& directory_;
  CommuneCentre commune_centre_;
  std::mutex refresh_mutex_;  // one refresh at a time: read and apply are one step
  mutable std::shared_mutex mutex_;
  geo::SpatialIndex index_;
  std::unordered_map<geo::LocationId, std::shared_ptr<const ServicePoint>> by_id_;
  std::unordered_map<std::string, geo::TerritoryId> territory_ids_;
  std::unordered_map<std::string, std::uint64_t> language_bits_;
  std::unordered_map<std::string, std::shared_ptr<const directory::OpeningHours>> hours_;  // by text
  geo::LocationId next_id_ = 1;
  std::atomic<std::uint64_t> generation_{0};
  std::chrono::system_clock::time_point watched_since_{};
  std::jthread watcher_;  // last member: stopped and joined first
};

// Point flags of the index.
inline constexpr std::uint32_t kFlagFree = 1U << 0;
inline constexpr std::uint32_t kFlagWheelchair = 1U << 1;
inline constexpr std::uint32_t kFlagAcceptsReferrals = 1U << 2;

// True when open at `now`: not temporarily closed that day and within its hours.
bool IsOpenAt(const ServicePoint& point, std::chrono::system_clock::time_point now);

}  // namespace passerelle::annuaire
