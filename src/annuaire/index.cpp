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

std::string KeyOf(const directory::PublicServicePoint& point) { return point.service_id + "|" + point.location_id; }

template <typename T>
bool Contains(const std::vector<T>& values, const T& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

}  // namespace

bool IsOpenAt(const ServicePoint& point, std::chrono::system_clock::time_point now) {
  if (point.organization && directory::IsClosedOn(*point.organization, core::ParisDate(now))) return false;
  return point.hours.IsOpenAt(now) == directory::OpenStatus::kOpen;
}

ServiceIndex::ServiceIndex(directory::DirectoryService& directory, CommuneCentre commune_centre)
    : directory_(directory), commune_centre_(std::move(commune_centre)) {}

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
    Apply(organization_ids, std::move(snapshot.points), organizations, /*indexed_before=*/false);
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
  Apply(organization_ids, std::move(snapshot.points), organizations);
}

std::uint64_t ServiceIndex::LanguageBitLocked(const std::string& code) {
  if (auto it = language_bits_.find(code); it != language_bits_.end()) return it->second;
  // More than 64 distinct languages: the extra ones cannot be filtered on (none in practice).
  if (language_bits_.size() >= 64) return 0;
  const std::uint64_t bit = std::uint64_t{1} << language_bits_.size();
  language_bits_.emplace(code, bit);
  return bit;
}

void ServiceIndex::Apply(
    const std::vector<std::string>& organization_ids, Points&& points,
    const std::map<std::string, std::shared_ptr<const directory::PublicOrganization>>& organizations,
    bool indexed_before) {
  const std::set<std::string> changed(organization_ids.begin(), organization_ids.end());
  std::unique_lock lock(mutex_);
  // Forget every point of the organizations written, then add what they hold now.
  for (auto it = by_id_.begin(); indexed_before && it != by_id_.end();) {
    if (changed.count(it->second->point.organization_id) != 0) {
      index_.Remove(it->first);
      it = by_id_.erase(it);
    } else {
      ++it;
    }
  }
  for (directory::PublicServicePoint& p : points) {
    const auto organization = organizations.find(p.organization_id);
    if (organization == organizations.end()) continue;
    auto point = std::make_shared<ServicePoint>();
    point->organization = organization->second;
    if (p.latitude && p.longitude) {
      point->lat = *p.latitude;
      point->lon = *p.longitude;
    } else if (const auto centre = p.insee_code.empty() ? std::nullopt : commune_centre_(p.insee_code)) {
      point->lat = centre->first;
      point->lon = centre->second;
    } else {
      continue;  // a helpline, or a commune the gazetteer does not know: not on any map
    }
    if (auto hours = directory::OpeningHours::Parse(p.opening_hours)) point->hours = std::move(hours).value();

    const std::string key = KeyOf(p);
    auto [slot, inserted] = id_of_key_.emplace(key, next_id_);
    if (inserted) ++next_id_;
    auto [territory, new_territory] =
        territory_ids_.emplace(p.territory_slug, static_cast<geo::TerritoryId>(territory_ids_.size() + 1));
    (void)new_territory;

    geo::IndexedLocation location;
    location.id = slot->second;
    location.lat = point->lat;
    location.lon = point->lon;
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
    point->point = std::move(p);  // last: `p` is read above
    by_id_[location.id] = std::move(point);
  }
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
