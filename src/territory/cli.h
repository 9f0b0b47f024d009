#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "storage/database.h"

namespace passerelle::territory {

// `passerelle territory add|edit` (docs/territory-console.md "Territories"). Empty values are
// "not given": `add` then uses the defaults (centre and radius proposed from the communes, the
// national emergency numbers, French), `edit` keeps the stored value. A list option given
// replaces the whole list.
struct TerritoryOptions {
  std::string slug;
  std::string name;
  std::vector<std::string> communes;  // INSEE codes, found in the gazetteer
  std::string centre;                 // "LAT,LON"
  std::string radius_km;
  std::vector<std::string> youth_services;      // "name|phone|description"
  std::vector<std::string> emergency_contacts;  // "label|number|voice or sms"
  std::string exit_url;
  std::vector<std::string> languages;  // fr, en, ar
  bool archive = false;                // edit only
  bool restore = false;                // edit only
};

using OpenDatabase = std::function<std::unique_ptr<storage::Database>()>;

// Each returns the exit code: 0, or 1 with the option at fault and the reason on `err` (nothing
// written). Writes are audited with the actor "cli".
int RunTerritoryAdd(const TerritoryOptions& options, const OpenDatabase& open_database, std::ostream& out,
                    std::ostream& err);
int RunTerritoryEdit(const TerritoryOptions& options, const OpenDatabase& open_database, std::ostream& out,
                     std::ostream& err);
// One line a territory: slug, state (active, archived), number of communes, name.
int RunTerritoryList(const OpenDatabase& open_database, std::ostream& out);

}  // namespace passerelle::territory
