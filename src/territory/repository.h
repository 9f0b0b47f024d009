#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "storage/database.h"
#include "territory/model.h"

namespace passerelle::territory {

// One problem of a territory: the field it concerns ("slug", "name", "centre",
// "default_radius_km", "neutral_exit_url", "conversation_offer_minutes", "communes",
// "youth_services", "emergency_contacts", "languages"), the row of a list field (0-based; -1 for the whole field) and a
// French message. The bounds of Territory::conversation_offer_minutes.
inline constexpr int kMinOfferMinutes = 1;
inline constexpr int kMaxOfferMinutes = 30;

struct Problem {
  std::string field;
  int row = -1;
  std::string message;
};

// Every problem of a territory, in the order of the fields above. The one check of the web
// forms, the command line and the demonstration data.
std::vector<Problem> Check(const Territory& territory);

// Check's first problem as an error whose message starts with the field ("slug : …").
core::Result<core::Ok> Validate(const Territory& territory);

// The languages a territory may offer (those the site is translated into, po/).
const std::vector<std::string>& SupportedLanguages();

// A centre and a default radius proposed from the communes' points: the mean of the points, and
// the distance to the farthest one rounded up to the kilometre (at least 1 km). Nothing when
// there is no point.
struct CentreProposal {
  double lat = 0;
  double lon = 0;
  double radius_km = 0;
};
std::optional<CentreProposal> ProposeCentre(const std::vector<std::pair<double, double>>& points);

// Who writes, for the audit log: actor "account:<id>" or "cli".
struct Author {
  std::string actor;
};

class TerritoryRepository {
 public:
  explicit TerritoryRepository(storage::Database& db) : db_(db) {}

  // Creates or replaces the territory and its communes in one transaction. Invalid data is
  // refused before anything is written. Not audited: the demonstration data.
  core::Result<core::Ok> Save(const Territory& territory, std::chrono::system_clock::time_point now);

  // A new territory (kConflict when the slug exists), audited "territory.created" in the same
  // transaction.
  core::Result<core::Ok> Create(const Territory& territory, const Author& author,
                                std::chrono::system_clock::time_point now);
  // Replaces an existing territory (kNotFound otherwise); its archived state and demo mark stay.
  // Audited as `action` ("territory.changed", "territory.settings") with the changed fields.
  core::Result<core::Ok> Update(const Territory& territory, const Author& author, std::string_view action,
                                std::chrono::system_clock::time_point now);
  // Archives (or restores) a territory, audited "territory.archived" / "territory.restored".
  core::Result<core::Ok> SetArchived(const std::string& slug, bool archived, const Author& author,
                                     std::chrono::system_clock::time_point now);

  // Archived territories too (their history stays reachable).
  std::optional<Territory> Find(const std::string& slug) const;
  // Every territory with its communes, archived ones included, by slug: two queries whatever
  // their number (territory::LiveTerritories reads it on every poll).
  std::vector<Territory> ListAll() const;
  // The active territories: what the public is offered.
  std::vector<std::string> ListSlugs() const;
  // Every territory, archived ones included (the operators' console, the command line).
  std::vector<std::string> ListAllSlugs() const;
  bool AnyDemo() const;

 private:
  storage::Database& db_;
};

}  // namespace passerelle::territory
