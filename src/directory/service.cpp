#include "directory/service.h"

#include <algorithm>

#include "core/crypto.h"
#include "core/unix_time.h"

namespace passerelle::directory {

namespace {

using core::UnixSeconds;

// BLAKE2b-128, the shortest hash libsodium gives (an 8-byte hash is refused by core::HashHex):
// ids derived from distinct names do not collide in practice.
constexpr std::size_t kDerivedIdBytes = core::kHashMinBytes;
constexpr std::size_t kRandomIdBytes = 8;

core::Error Conflict(const FieldError& error) {
  core::Error out = ToError(error);
  out.code = core::ErrorCode::kConflict;
  return out;
}

std::string Quoted(std::string_view value) { return "« " + std::string(value) + " »"; }

}  // namespace

core::Result<core::Ok> ValidateOrganization(const Organization& organization) {
  if (auto error = CheckOrganization(organization)) return ToError(*error);
  return core::Ok{};
}

std::string DerivedOrganizationId(std::string_view territory_slug, std::string_view name) {
  return "org-" + core::HashHex(std::string(territory_slug) + '\n' + std::string(name), kDerivedIdBytes);
}

std::string DerivedServiceId(std::string_view organization_id, std::string_view service_name) {
  return "svc-" + core::HashHex(std::string(organization_id) + '\n' + std::string(service_name), kDerivedIdBytes);
}

std::string DerivedLocationId(std::string_view organization_id, const Location& l) {
  return "loc-" + core::HashHex(std::string(organization_id) + '\n' + l.name + '\n' + l.address + '\n' + l.postal_code +
                                    '\n' + l.city,
                                kDerivedIdBytes);
}

void AssignMissingIds(Organization& o, IdStrategy strategy) {
  const bool derived = strategy == IdStrategy::kDerived;
  if (o.id.empty()) {
    o.id = derived ? DerivedOrganizationId(o.territory_slug, o.name) : "org-" + core::RandomHex(kRandomIdBytes);
  }
  for (Location& l : o.locations) {
    if (!l.id.empty()) continue;
    const std::string id = derived ? DerivedLocationId(o.id, l) : "loc-" + core::RandomHex(kRandomIdBytes);
    // Services refer to a location without id by the empty id: there can be only one such.
    for (Service& s : o.services) {
      for (std::string& location_id : s.location_ids) {
        if (location_id.empty()) location_id = id;
      }
    }
    l.id = id;
  }
  for (Service& s : o.services) {
    if (s.id.empty()) s.id = derived ? DerivedServiceId(o.id, s.name) : "svc-" + core::RandomHex(kRandomIdBytes);
  }
}

std::optional<FieldError> CheckIdsAvailable(DirectoryRepository& repository, const Organization& o) {
  return CheckIdsAvailable(
      repository.Find(o.id), o, [&](const std::string& id) { return repository.OrganizationOfLocation(id); },
      [&](const std::string& id) { return repository.OrganizationOfService(id); });
}

std::optional<FieldError> CheckIdsAvailable(const std::optional<Organization>& existing, const Organization& o,
                                            const IdOwner& location_owner, const IdOwner& service_owner) {
  if (existing && existing->territory_slug != o.territory_slug) {
    return FieldError{Entity::kOrganization, std::nullopt, "id",
                      "identifiant déjà utilisé dans le territoire " + Quoted(existing->territory_slug)};
  }
  for (std::size_t i = 0; i < o.locations.size(); ++i) {
    const auto owner = location_owner(o.locations[i].id);
    if (owner && *owner != o.id) {
      return FieldError{Entity::kLocation, i, "id", "identifiant déjà utilisé par l'organisation " + Quoted(*owner)};
    }
  }
  for (std::size_t i = 0; i < o.services.size(); ++i) {
    const auto owner = service_owner(o.services[i].id);
    if (owner && *owner != o.id) {
      return FieldError{Entity::kService, i, "id", "identifiant déjà utilisé par l'organisation " + Quoted(*owner)};
    }
  }
  return std::nullopt;
}

core::Result<Organization> DirectoryService::Create(Organization o, TimePoint now) {
  return Create(std::move(o), now, AlsoAfterCreate{});
}

core::Result<Organization> DirectoryService::Create(Organization o, TimePoint now, const AlsoAfterCreate& also) {
  AssignMissingIds(o, IdStrategy::kRandom);
  Canonicalize(o);
  if (auto error = CheckOrganization(o)) return ToError(*error);
  auto created = db_.InTransaction([&](soci::session& sql) -> core::Result<Organization> {
    DirectoryRepository repository(sql);
    if (!repository.TerritoryExists(o.territory_slug)) {
      return core::Error{core::ErrorCode::kNotFound, "territory_slug : territoire inconnu " + Quoted(o.territory_slug),
                         "directory.organization.territory_slug: unknown territory"};
    }
    if (repository.Find(o.id)) {
      return Conflict(
          FieldError{Entity::kOrganization, std::nullopt, "id", "identifiant déjà utilisé " + Quoted(o.id)});
    }
    if (auto taken = CheckIdsAvailable(repository, o)) return Conflict(*taken);
    repository.Save(o, std::nullopt, UnixSeconds(now));
    if (also) also(sql, o);  // census
    return o;
  });
  if (created) Notify({created.value().id});
  return created;
}

core::Result<core::Ok> DirectoryService::SetPublication(const std::vector<std::string>& ids, Publication publication,
                                                        TimePoint now, const AlsoInPublication& also) {
  {
    soci::session sql(db_.pool());
    storage::Database::Transaction transaction(sql, db_.backend());
    DirectoryRepository repository(sql);
    for (const std::string& id : ids) {
      // An unknown id leaves the transaction uncommitted: nothing half-written.
      if (!repository.SetPublication(id, publication, UnixSeconds(now))) {
        return core::Error{core::ErrorCode::kNotFound, "id : organisation inconnue " + Quoted(id),
                           "directory.organization.id: not found"};
      }
    }
    if (also) also(sql);
    transaction.Commit();
  }
  if (!ids.empty()) Notify(ids);
  return core::Ok{};
}

core::Result<Organization> DirectoryService::Update(Organization o, TimePoint now) {
  return Update(std::move(o), now, AlsoInTransaction{});
}

core::Result<Organization> DirectoryService::Update(Organization o, TimePoint now, const AlsoInTransaction& also) {
  if (o.id.empty()) {
    return core::Error{core::ErrorCode::kNotFound, "id : organisation inconnue", "directory.organization.id: empty"};
  }
  AssignMissingIds(o, IdStrategy::kRandom);
  Canonicalize(o);
  if (auto error = CheckOrganization(o)) return ToError(*error);
  auto updated = db_.InTransaction([&](soci::session& sql) -> core::Result<Organization> {
    DirectoryRepository repository(sql);
    const auto previous = repository.Find(o.id);
    if (!previous) {
      return core::Error{core::ErrorCode::kNotFound, "id : organisation inconnue " + Quoted(o.id),
                         "directory.organization.id: not found"};
    }
    if (previous->territory_slug != o.territory_slug) {
      return Conflict(FieldError{Entity::kOrganization, std::nullopt, "territory_slug",
                                 "une organisation ne change pas de territoire"});
    }
    if (auto taken = CheckIdsAvailable(repository, o)) return Conflict(*taken);
    repository.Save(o, previous, UnixSeconds(now));
    if (also) also(sql, *previous);  // profile
    return o;
  });
  if (updated) Notify({updated.value().id});
  return updated;
}

core::Result<ImportReport> DirectoryService::Import(Format format, const std::string& territory_slug, std::istream& in,
                                                    ImportMode mode, DryRun dry_run, const ProgressCallback& progress,
                                                    const BeforeCommit& before_commit) {
  auto report = ImportDirectory(db_, format, territory_slug, in, mode, dry_run, progress, before_commit);
  if (report && report.value().written && !report.value().changed_organization_ids.empty()) {
    Notify(report.value().changed_organization_ids);
  }
  return report;
}

void DirectoryService::OnChange(ChangeCallback callback) {
  const std::lock_guard lock(callbacks_mutex_);
  callbacks_.push_back(std::move(callback));
}

void DirectoryService::Notify(const std::vector<std::string>& organization_ids) {
  std::vector<ChangeCallback> callbacks;
  {
    const std::lock_guard lock(callbacks_mutex_);
    callbacks = callbacks_;
  }
  for (const ChangeCallback& callback : callbacks) callback(organization_ids);
}

std::optional<Organization> DirectoryService::Get(const std::string& id) const {
  soci::session sql(db_.pool());
  return DirectoryRepository(sql).Find(id);
}

std::vector<Organization> DirectoryService::ListByTerritory(const std::string& territory_slug) const {
  soci::session sql(db_.pool());
  return DirectoryRepository(sql).ListByTerritory(territory_slug);
}

std::optional<Organization> DirectoryService::GetOrganizationOfService(const std::string& service_id) const {
  soci::session sql(db_.pool());
  DirectoryRepository repository(sql);
  const auto organization_id = repository.OrganizationOfService(service_id);
  if (!organization_id) return std::nullopt;
  return repository.Find(*organization_id);
}

std::optional<PublicServiceView> DirectoryService::GetPublicService(const std::string& service_id) const {
  soci::session sql(db_.pool());
  DirectoryRepository repository(sql);
  const auto organization_id = repository.OrganizationOfService(service_id);
  if (!organization_id) return std::nullopt;
  const auto organization = repository.Find(*organization_id);
  if (!organization) return std::nullopt;
  return MakePublicServiceView(*organization, service_id);
}

std::vector<PublicServicePoint> DirectoryService::ListPublicPoints(const std::string& territory_slug) const {
  soci::session sql(db_.pool());
  DirectoryRepository repository(sql);
  std::vector<std::string> territories = {territory_slug};
  if (territory_slug.empty()) territories = repository.TerritoriesWithOrganizations();
  std::vector<PublicServicePoint> out;
  for (const std::string& slug : territories) {
    for (PublicServicePoint& point : PublicPointsOf(repository.ListByTerritory(slug))) out.push_back(std::move(point));
  }
  return out;
}

namespace {
DirectoryService::PublicSnapshot SnapshotOf(const std::vector<Organization>& organizations) {
  DirectoryService::PublicSnapshot out;
  out.points = PublicPointsOf(organizations);
  for (const Organization& o : organizations) {
    if (auto view = MakePublicView(o)) out.organizations.push_back(std::move(*view));
  }
  return out;
}
}  // namespace

DirectoryService::PublicSnapshot DirectoryService::ReadPublic(const std::string& territory_slug) const {
  return SnapshotOf(ListByTerritory(territory_slug));
}

DirectoryService::PublicSnapshot DirectoryService::ReadPublicOf(
    const std::vector<std::string>& organization_ids) const {
  soci::session sql(db_.pool());
  DirectoryRepository repository(sql);
  std::vector<Organization> organizations;
  for (const std::string& id : organization_ids) {
    if (auto organization = repository.Find(id)) organizations.push_back(std::move(*organization));
  }
  return SnapshotOf(organizations);
}

std::vector<std::string> DirectoryService::TerritoriesWithOrganizations() const {
  soci::session sql(db_.pool());
  return DirectoryRepository(sql).TerritoriesWithOrganizations();
}

std::vector<std::string> DirectoryService::OrganizationsWrittenSince(TimePoint since) const {
  soci::session sql(db_.pool());
  const long long since_s = UnixSeconds(since);
  std::vector<std::string> ids;
  soci::rowset<std::string> rows =
      (sql.prepare << "SELECT id FROM organization WHERE updated_at >= :since ORDER BY id", soci::use(since_s));
  for (const std::string& id : rows) ids.push_back(id);
  return ids;
}

std::vector<PublicServicePoint> PublicPointsOf(const std::vector<Organization>& organizations) {
  std::vector<PublicServicePoint> out;
  for (const Organization& organization : organizations) {
    const auto view = MakePublicView(organization);
    if (!view) continue;
    for (const Service& s : view->services) {
      PublicServicePoint point{"",
                               view->id,
                               view->territory_slug,
                               "",
                               "",
                               "",
                               std::nullopt,
                               std::nullopt,
                               false,
                               s.categories,
                               s.languages,
                               s.fees,
                               s.accessibility,
                               view->accepts_referrals,
                               s.opening_hours,
                               view->status,
                               view->closed_from,
                               view->closed_until};
      point.service_id = s.id;
      if (s.location_ids.empty()) out.push_back(point);
      for (const PublicLocation& l : view->locations) {
        if (std::find(s.location_ids.begin(), s.location_ids.end(), l.id) == s.location_ids.end()) continue;
        PublicServicePoint at = point;
        at.location_id = l.id;
        at.insee_code = l.insee_code;
        at.postal_code = l.postal_code;
        at.latitude = l.latitude;  // already empty for a confidential location
        at.longitude = l.longitude;
        at.confidential = l.confidential;
        out.push_back(std::move(at));
      }
    }
  }
  return out;
}

std::vector<PublicOrganization> DirectoryService::ListPublic(const std::string& territory_slug) const {
  std::vector<PublicOrganization> out;
  for (const Organization& o : ListByTerritory(territory_slug)) {
    if (auto view = MakePublicView(o)) out.push_back(std::move(*view));
  }
  return out;
}

}  // namespace passerelle::directory
