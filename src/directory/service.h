#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "directory/import.h"
#include "directory/model.h"
#include "directory/public_view.h"
#include "directory/repository.h"
#include "directory/validation.h"
#include "storage/database.h"

namespace passerelle::directory {

// The whole organization checked (validation.h); the message names the field, e.g.
// "website : adresse web invalide « ftp://exemple.fr » (http:// ou https:// seulement)".
core::Result<core::Ok> ValidateOrganization(const Organization& organization);

enum class IdStrategy {
  kRandom,   // forms: "org-" + 16 random hex digits
  kDerived,  // imports: a hash of the territory and names, so that a file imported twice finds
             // the same rows even when it gives no ids
};

// Gives an id to the organization, its locations and its services where they have none.
void AssignMissingIds(Organization& organization, IdStrategy strategy);
std::string DerivedOrganizationId(std::string_view territory_slug, std::string_view name);
std::string DerivedServiceId(std::string_view organization_id, std::string_view service_name);
std::string DerivedLocationId(std::string_view organization_id, const Location& location);

// Ids of `organization` already taken: the organization's in another territory, a service's or
// a location's by another organization. Checked in the transaction that writes.
std::optional<FieldError> CheckIdsAvailable(DirectoryRepository& repository, const Organization& organization);
// The same check on what the caller looked up: `existing` is the stored organization of the same
// id (if any), `location_owner` and `service_owner` give the organization that holds an id. The
// import plans with them outside its write transaction (directory/import.cpp).
using IdOwner = std::function<std::optional<std::string>(const std::string& id)>;
std::optional<FieldError> CheckIdsAvailable(const std::optional<Organization>& existing,
                                            const Organization& organization, const IdOwner& location_owner,
                                            const IdOwner& service_owner);

// One service at one place, as the public may see it: what a proximity index holds and filters
// on. A confidential location has no coordinates here (it is never on the map, and is found by
// its commune only); a service given nowhere in particular (a helpline) has an empty
// location_id and no commune.
struct PublicServicePoint {
  std::string service_id;
  std::string organization_id;
  std::string territory_slug;
  std::string location_id;
  std::string insee_code;
  std::string postal_code;
  std::optional<double> latitude;
  std::optional<double> longitude;
  bool confidential = false;
  std::vector<Category> categories;
  std::vector<std::string> languages;
  std::vector<Fee> fees;
  std::vector<Accessibility> accessibility;
  bool accepts_referrals = false;
  std::string opening_hours;  // OSM subset; parse with OpeningHours::Parse (always valid here)
  OrganizationStatus status = OrganizationStatus::kActive;
  std::string closed_from;  // "YYYY-MM-DD" when temporarily closed
  std::string closed_until;
};

// The public points of `organizations`, in organization, service, location order.
std::vector<PublicServicePoint> PublicPointsOf(const std::vector<Organization>& organizations);

// What changed: the organizations written (created or updated) by one call, after its commit.
using ChangeCallback = std::function<void(const std::vector<std::string>& organization_ids)>;

// Directory use cases for the coordinators' forms, the imports and the public pages. Writes
// validate everything and refuse before anything is written; each runs in one transaction and,
// once committed, calls every change callback (so that an in-memory index stays in sync).
class DirectoryService {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  explicit DirectoryService(storage::Database& db) : db_(db) {}

  // Registers a callback called after every committed write, on the writing thread. Register
  // callbacks at start-up; a callback must not write to the directory.
  void OnChange(ChangeCallback callback);

  // Creates an organization with its phones, locations and services; missing ids are generated.
  // kInvalidInput names the field; kNotFound: unknown territory; kConflict: an id is taken.
  core::Result<Organization> Create(Organization organization, TimePoint now);
  // --- census (issue 11 §2, src/console/census) ---
  // Create, running `also(sql, created)` in the same transaction once the organization is
  // written (its audit entry); an exception thrown by `also` rolls everything back.
  using AlsoAfterCreate = std::function<void(soci::session& sql, const Organization& created)>;
  core::Result<Organization> Create(Organization organization, TimePoint now, const AlsoAfterCreate& also);
  // Sets the publication state of every organization of `ids` in one transaction (then `also`,
  // e.g. the audit entry), and calls the change callbacks: publishing puts an organization on
  // the public pages and in the annuaire index at once. kNotFound (nothing written) when an id
  // is unknown.
  using AlsoInPublication = std::function<void(soci::session& sql)>;
  core::Result<core::Ok> SetPublication(const std::vector<std::string>& ids, Publication publication, TimePoint now,
                                        const AlsoInPublication& also = {});
  // --- end census ---
  // Replaces an organization and everything it holds. kNotFound when absent; kConflict when
  // the territory would change or an id is taken.
  core::Result<Organization> Update(Organization organization, TimePoint now);
  // --- profile (issue 4 §9, src/profile) ---
  // Update, running `also(sql, previous)` in the same transaction once the organization is
  // written (its audit entry, for instance, which must commit or roll back with the change).
  // `previous` is the stored organization the write replaces. An exception thrown by `also`
  // rolls everything back and propagates; the change callbacks then are not called.
  using AlsoInTransaction = std::function<void(soci::session& sql, const Organization& previous)>;
  core::Result<Organization> Update(Organization organization, TimePoint now, const AlsoInTransaction& also);
  // --- end profile ---
  // ImportDirectory (import.h), then the change callbacks when something was written.
  core::Result<ImportReport> Import(Format format, const std::string& territory_slug, std::istream& in, ImportMode mode,
                                    DryRun dry_run, const ProgressCallback& progress = {},
                                    const BeforeCommit& before_commit = {});

  // Professionals and coordinators only: every detail, confidential addresses included.
  std::optional<Organization> Get(const std::string& id) const;
  std::vector<Organization> ListByTerritory(const std::string& territory_slug) const;
  // The organization a service belongs to, public or not (the access policy's owner of a service).
  std::optional<Organization> GetOrganizationOfService(const std::string& service_id) const;

  // --- What public code may get: public views only. ---
  // The public organizations of a territory, by id.
  std::vector<PublicOrganization> ListPublic(const std::string& territory_slug) const;
  // One service for its detail page or the API; nothing when unknown or not public.
  std::optional<PublicServiceView> GetPublicService(const std::string& service_id) const;
  // Every public service point of a territory (every territory when `territory_slug` is
  // empty): what a spatial index is built from.
  std::vector<PublicServicePoint> ListPublicPoints(const std::string& territory_slug) const;
  // The public organizations and their service points, each organization read once: of one
  // territory, or of the organizations `ids` (unknown or not public ones are left out). What the
  // annuaire's index is built and refreshed from (a national directory: issue 14).
  struct PublicSnapshot {
    std::vector<PublicOrganization> organizations;
    std::vector<PublicServicePoint> points;
  };
  PublicSnapshot ReadPublic(const std::string& territory_slug) const;
  PublicSnapshot ReadPublicOf(const std::vector<std::string>& organization_ids) const;
  // The territories that hold at least one organization.
  std::vector<std::string> TerritoriesWithOrganizations() const;
  // Ids of the organizations written at or after `since` (by this process or another one, e.g.
  // `passerelle import` on the command line), so that a running server can follow them.
  std::vector<std::string> OrganizationsWrittenSince(TimePoint since) const;

 private:
  void Notify(const std::vector<std::string>& organization_ids);

  storage::Database& db_;
  std::mutex callbacks_mutex_;
  std::vector<ChangeCallback> callbacks_;
};

}  // namespace passerelle::directory
