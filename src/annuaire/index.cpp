#include "annuaire/index.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>
#include <utility>

#include "core/paris_time.h"
#include "core/periodic.h"

namespace passerelle::annuaire {

namespace {

std::uint64_t CategoryBit(directory::Category category) {
  const auto& all = directory::kAllCategories;
  const auto position = std::find(all.begin(), all.end(), category) - all.begin();
  return std::uint64_t{1} << position;
}

template <typename Point>
std::string KeyOf(const Point& point) {
  return point.service_id + "|" + point.location_id;
}

template <typename T>
bool Contains(const std::vector<T>& values, const T& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// The position of the element of `items` whose id is `id`, or nothing.
template <typename T>
std::optional<std::size_t> PositionOf(const std::vector<T>& items, const std::string& id) {
  const auto it = std::find_if(items.begin(), items.end(), [&](const T& item) { return item.id == id; });
  if (it == items.end()) return std::nullopt;
  return static_cast<std::size_t>(it - items.begin());
}

}  // namespace

ServicePoint::ServicePoint(std::shared_ptr<const directory::PublicOrganization> organization_, std::size_t service,
                           std::size_t location, std::shared_ptr<const directory::OpeningHours> hours_)
    : organization(std::move(organization_)),
      // at(): an index outside the view throws here rather than refer to nothing.
      point{organization->services.at(service).id,
            organization->locations.at(location).id,
            organization->locations.at(location).insee_code,
            organization->services.at(service).categories,
            organization->services.at(service).languages,
            organization->services.at(service).accessibility,
            organization->accepts_referrals,
            organization->locations.at(location).confidential},
      // never null: a point without hours shares empty ones (ServiceIndex::HoursLocked).
      shared_hours(hours_ ? std::move(hours_) : std::make_shared<const directory::OpeningHours>()),
      hours(*shared_hours) {}

bool IsOpenAt(const ServicePoint& point, std::chrono::system_clock::time_point now) {
  if (point.organization && directory::IsClosedOn(*point.organization, core::ParisDate(now))) return false;
  return point.hours.IsOpenAt(now) == directory::OpenStatus::kOpen;
}

namespace {
// Cells of 1/50 degree (~2.2 km of latitude) in blocks of 4 × 4: the same blocks (~9 km) as the
// default, a quarter of the cells. Blocks hold every cell even when empty, and a national
// directory's points are sparse outside the cities: with 8 × 8 cells of ~1.1 km the empty cells
// cost 8.6 MB (issue 14, docs/benchmarks.md "session 13"). Answers do not depend on the sizes.
constexpr geo::SpatialIndex::Options kServiceCells{.cells_per_degree = 50, .cells_per_block = 4};
}  // namespace

ServiceIndex::ServiceIndex(directory::DirectoryService& directory, CommuneCentre commune_centre)
    : directory_(directory), commune_centre_(std::move(commune_centre)), index_(kServiceCells) {}

void ServiceIndex::Start() {
  directory_.OnChange([this](const std::vector<std::string>& organization_ids) { Refresh(organization_ids); });
  std::lock_guard refresh(refresh_mutex_);
  // One territory at a time, each organization read once: the peak memory of a national
  // directory stays near one territory's rows (issue 14, docs/benchmarks.md "National scale").
  for (const std::string& slug : directory_.TerritoriesWithOrganizations()) {
    directory::DirectoryService::PublicSnapshot snapshot = directory_.ReadPublic(slug);
    std::vector<std::string> organization_ids;
    std::map<std::string, std::shared_ptr<const directory::PublicOrganization>> organizations;
    for (directory::PublicOrganization& o : snapshot.organizations) {
      organization_ids.push_back(o.id);
      const std::string id = o.id;
      organizations[id] = std::make_shared<const directory::PublicOrganization>(std::move(o));
    }
    Apply(organization_ids, snapshot.points, organizations, /*indexed_before=*/false);
  }
  spdlog::info("event=annuaire_index_built points={}", size());
}

namespace {
// Writes by another server whose clock is behind ours by up to this much are still seen.
constexpr std::chrono::seconds kClockMargin{60};
}  // namespace

ServiceIndex::~ServiceIndex() = default;

void ServiceIndex::WatchOtherWriters(std::chrono::milliseconds interval) {
  watched_since_ = std::chrono::system_clock::now() - kClockMargin;
  watcher_ = core::EveryInterval(interval, [this] {
    const auto looked_at = std::chrono::system_clock::now();
    try {
      const std::vector<std::string> ids = directory_.OrganizationsWrittenSince(watched_since_);
      if (!ids.empty()) Refresh(ids);
      watched_since_ = looked_at - kClockMargin;
    } catch (const std::exception& e) {
      // The database may be briefly unreachable: keep the index as it is and try again.
      spdlog::warn("event=annuaire_watch_failed error=\"{}\"", e.what());
    }
  });
}

void ServiceIndex::Refresh(const std::vector<std::string>& organization_ids) {
  std::lock_guard refresh(refresh_mutex_);
  // Only the organizations written are read again (not the whole directory).
  directory::DirectoryService::PublicSnapshot snapshot = directory_.ReadPublicOf(organization_ids);
  std::map<std::string, std::shared_ptr<const directory::PublicOrganization>> organizations;
  for (directory::PublicOrganization& o : snapshot.organizations) {
    const std::string id = o.id;
    organizations[id] = std::make_shared<const directory::PublicOrganization>(std::move(o));
  }
  Apply(organization_ids, snapshot.points, organizations);
}

std::uint64_t ServiceIndex::LanguageBitLocked(const std::string& code) {
  if (auto it = language_bits_.find(code); it != language_bits_.end()) return it->second;
  // More than 64 distinct languages: the extra ones cannot be filtered on (none in practice).
  if (language_bits_.size() >= 64) return 0;
  const std::uint64_t bit = std::uint64_t{1} << language_bits_.size();
  language_bits_.emplace(code, bit);
  return bit;
}

std::shared_ptr<const directory::OpeningHours> ServiceIndex::HoursLocked(const std::string& text) {
  if (const auto it = hours_.find(text); it != hours_.end()) return it->second;
  directory::OpeningHours hours;
  if (auto parsed = directory::OpeningHours::Parse(text)) hours = std::move(parsed).value();
  auto shared = std::make_shared<const directory::OpeningHours>(std::move(hours));
  hours_.emplace(text, shared);
  return shared;
}

void ServiceIndex::Apply(
    const std::vector<std::string>& organization_ids, const Points& points,
    const std::map<std::string, std::shared_ptr<const directory::PublicOrganization>>& organizations,
    bool indexed_before) {
  const std::set<std::string> changed(organization_ids.begin(), organization_ids.end());
  std::unique_lock lock(mutex_);
  // Forget every point of the organizations written, then add what they hold now. A point
  // written again keeps its id (its key: "service|location"); the keys are kept only for this
  // write, not for the whole directory (4 MB of strings at national scale).
  std::unordered_map<std::string, geo::LocationId> forgotten;
  for (auto it = by_id_.begin(); indexed_before && it != by_id_.end();) {
    if (changed.count(it->second->organization->id) != 0) {
      forgotten.emplace(KeyOf(it->second->point), it->first);
      index_.Remove(it->first);
      it = by_id_.erase(it);
    } else {
      ++it;
    }
  }
  for (const directory::PublicServicePoint& p : points) {
    const auto organization = organizations.find(p.organization_id);
    if (organization == organizations.end()) continue;
    // A service given nowhere in particular (a helpline) is on no map.
    if (p.location_id.empty()) continue;
    const auto service = PositionOf(organization->second->services, p.service_id);
    const auto place = PositionOf(organization->second->locations, p.location_id);
    if (!service || !place) continue;  // the snapshot's points come from the same views: not expected
    double lat = 0;
    double lon = 0;
    if (p.latitude && p.longitude) {
      lat = *p.latitude;
      lon = *p.longitude;
    } else if (const auto centre = p.insee_code.empty() ? std::nullopt : commune_centre_(p.insee_code)) {
      lat = centre->first;
      lon = centre->second;
    } else {
      continue;  // a commune the gazetteer does not know: not on any map
    }
    auto hours = HoursLocked(p.opening_hours);

    const auto known = forgotten.find(KeyOf(p));
    const geo::LocationId id = known != forgotten.end() ? known->second : next_id_++;
    auto [territory, new_territory] =
        territory_ids_.emplace(p.territory_slug, static_cast<geo::TerritoryId>(territory_ids_.size() + 1));
    (void)new_territory;

    geo::IndexedLocation location;
    location.id = id;
    location.lat = lat;
    location.lon = lon;
    for (directory::Category c : p.categories) location.categories |= CategoryBit(c);
    if (Contains(p.fees, directory::Fee::kFree)) location.flags |= kFlagFree;
    if (Contains(p.accessibility, directory::Accessibility::kWheelchair)) location.flags |= kFlagWheelchair;
    if (p.accepts_referrals) location.flags |= kFlagAcceptsReferrals;
    for (const std::string& language : p.languages) location.languages |= LanguageBitLocked(language);
    location.territory = territory->second;
    if (auto upserted = index_.Upsert(location); !upserted) {
      spdlog::warn("event=annuaire_index_skipped service_id={} reason=\"{}\"", p.service_id,
                   upserted.error().internal_detail);
      continue;
    }
    by_id_[location.id] =
        std::make_shared<const ServicePoint>(organization->second, *service, *place, std::move(hours));
  }
  // Hours no point uses any more (their organizations were written since) are forgotten.
  std::erase_if(hours_, [](const auto& entry) { return entry.second.use_count() == 1; });
  generation_.fetch_add(1, std::memory_order_release);  // under the write lock: no search sees it early
}

core::Result<HitPage> ServiceIndex::Find(const ServiceQuery& query) const {
  std::shared_lock lock(mutex_);
  geo::ProximityQuery q;
  q.lat = query.lat;
  q.lon = query.lon;
  q.radius_km = query.radius_km;
  for (directory::Category c : query.categories) q.any_category |= CategoryBit(c);
  if (query.free_only) q.all_flags |= kFlagFree;
  if (query.wheelchair) q.all_flags |= kFlagWheelchair;
  if (query.accepts_referrals) q.all_flags |= kFlagAcceptsReferrals;
  if (!query.language.empty()) {
    const auto bit = language_bits_.find(query.language);
    if (bit == language_bits_.end()) return HitPage{};  // nobody speaks it
    q.any_language = bit->second;
  }
  if (!query.territory.empty()) {
    const auto territory = territory_ids_.find(query.territory);
    if (territory == territory_ids_.end()) return HitPage{};
    q.territory = territory->second;
  }
  if (query.open_now == OpenNow::kOnly) {
    q.accept = [this, now = query.now](geo::LocationId id) {
      const auto it = by_id_.find(id);
      return it != by_id_.end() && IsOpenAt(*it->second, now);
    };
  }
  q.offset = query.offset;
  q.limit = query.limit;
  auto found = index_.FindNearest(q);
  if (!found) return found.error();
  HitPage page;
  page.has_more = found.value().has_more;
  for (const geo::Neighbour& n : found.value().items) {
    if (const auto it = by_id_.find(n.id); it != by_id_.end()) page.items.push_back(Hit{it->second, n.distance_km});
  }
  return page;
}

std::size_t ServiceIndex::size() const {
  std::shared_lock lock(mutex_);
  return by_id_.size();
}

}  // namespace passerelle::annuaire
