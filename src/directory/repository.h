#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "directory/model.h"
#include "storage/database.h"

namespace passerelle::directory {

// The SQL of the directory tables (migrations/0003_directory.sql). It works on a session the
// caller holds, so that the service and the import put their reads and writes in one
// transaction. It validates nothing: validation.h does, before anything reaches it.
class DirectoryRepository {
 public:
  explicit DirectoryRepository(soci::session& sql) : sql_(sql) {}

  // An organization with its phones, locations and services (canonical order).
  std::optional<Organization> Find(const std::string& id);
  // The organizations of a territory, by id, with everything they hold.
  std::vector<Organization> ListByTerritory(const std::string& territory_slug);
  // Territories that hold at least one organization, sorted.
  std::vector<std::string> TerritoriesWithOrganizations();
  bool TerritoryExists(const std::string& slug);
  // The organization a service or a location id belongs to, when the id is taken.
  std::optional<std::string> OrganizationOfService(const std::string& service_id);
  std::optional<std::string> OrganizationOfLocation(const std::string& location_id);

  // Writes `organization` over `previous` (what Find returned; nothing for a new one): rows
  // that stay are updated in place (other domains may refer to their ids), new ones inserted,
  // vanished ones deleted. (One OrganizationWriter's Save.)
  void Save(const Organization& organization, const std::optional<Organization>& previous, long long now_s);
  // Sets the publication state of one organization (a write: updated_at moves); false when the
  // organization does not exist. For the console's "publish" and an upload's new drafts.
  bool SetPublication(const std::string& id, Publication publication, long long now_s);

 private:
  std::vector<Organization> Load(const std::string& filter, const std::string& key);

  soci::session& sql_;
};

// DirectoryRepository::Save for many organizations on one session: each statement is prepared
// once, when the writer is made, and run for every row. The import writes thousands of
// organizations while it holds the write lock (docs/territory-console.md "Import").
class OrganizationWriter {
 public:
  explicit OrganizationWriter(soci::session& sql);
  ~OrganizationWriter();
  OrganizationWriter(const OrganizationWriter&) = delete;
  OrganizationWriter& operator=(const OrganizationWriter&) = delete;

  void Save(const Organization& organization, const std::optional<Organization>& previous, long long now_s);

 private:
  struct Statements;
  std::unique_ptr<Statements> statements_;
};

}  // namespace passerelle::directory
