#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "directory/import.h"
#include "directory/model.h"
#include "storage/database.h"

namespace passerelle::directory {

enum class Confidential {
  kRedact,   // what the public may see: public organizations only (not defunct), confidential
             // locations reduced to their commune
  kInclude,  // for coordinators: every organization, every detail
};

// The directory of a territory (every territory when `territory_slug` is empty) in one of the
// formats of docs/data-formats.md, organizations sorted by id. What ImportDirectory reads back
// unchanged. Database failures throw.
// One organization as the HSDS export writes it (every detail: confidential places included).
nlohmann::json OrganizationHsds(const Organization& organization);

std::string ExportDirectory(storage::Database& db, Format format, const std::string& territory_slug,
                            Confidential confidential);

}  // namespace passerelle::directory
