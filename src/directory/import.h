#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <istream>
#include <optional>
#include <stdexcept>  // core/error.h uses std::runtime_error without including it
#include <string>
#include <vector>

#include <soci/soci.h>

#include "core/result.h"
#include "directory/model.h"
#include "storage/database.h"

namespace passerelle::directory {

// The two exchange formats of docs/data-formats.md.
enum class Format { kCsv, kHsds };

enum class ImportMode {
  kAllOrNothing,  // one rejected row and nothing is written
  kSkipInvalid,   // the valid organizations are written, in one transaction
};

enum class DryRun { kNo, kYes };

// The largest file ImportDirectory reads.
inline constexpr std::size_t kMaxImportBytes = 64 * 1024 * 1024;

// A row (CSV) or an object (HSDS) that was not imported.
struct Rejection {
  std::size_t line = 0;   // CSV: line where the row starts (the header is line 1); 0 for HSDS
  std::string json_path;  // HSDS: e.g. "$.organizations[3].services[0].opening_hours"
  std::string reason;     // French, naming the column or key: "phones : numéro invalide « 12 » …"

  // "line 12" or the JSON path, for the command line (English, docs/data-formats.md).
  std::string Where() const;
};

// One field an import changes in an organization: `field` names it as the HSDS export does, with
// the location, service or phone it belongs to ("name", "services[svc-1].opening_hours",
// "locations[loc-2].addresses[0].city", "phones"); `before` is empty for a part the file adds,
// `after` for one it removes. Values as the HSDS export writes them (lists joined by ", ").
struct FieldChange {
  std::string field;
  std::string before;
  std::string after;
};

// An organization an import creates or updates, with its changes (every field of a created one).
struct OrganizationChange {
  std::string id;
  std::string name;
  bool created = false;
  std::vector<FieldChange> fields;
};

struct ImportReport {
  std::size_t entries = 0;  // rows (CSV) or organizations (HSDS) read
  std::size_t created = 0;  // organizations; on a dry run or a refused all-or-nothing import,
  std::size_t updated = 0;  // what the import would have done
  std::size_t unchanged = 0;
  std::vector<Rejection> rejected;                    // in file order
  bool written = false;                               // false on a dry run, or when all-or-nothing refused the file
  std::vector<std::string> changed_organization_ids;  // created or updated (written or not)
  std::vector<std::string> created_organization_ids;  // in file order
  std::vector<std::string> updated_organization_ids;
  std::vector<std::string> unchanged_organization_ids;
  std::vector<OrganizationChange> changes;  // created and updated, in file order
};

// Called inside the import's transaction just before it commits (never on a dry run nor a
// refused import): to write, in the same transaction, what goes with the import (an audit entry).
using BeforeCommit = std::function<void(soci::session& sql, const ImportReport& report)>;

// The fields that differ between two organizations (DiffOrganizations(nullopt, o): every field
// of `o`): the organization's own fields, then each location's and service's, by field name.
std::vector<FieldChange> DiffOrganizations(const std::optional<Organization>& before, const Organization& after);

// Called after each organization is handled: rows (CSV) or organizations (HSDS) done / total.
using ProgressCallback = std::function<void(std::size_t done, std::size_t total)>;

// Imports organizations into a territory. An organization is the unit: it is created, updated
// (its phones, locations and services replaced by the file's) or left unchanged; organizations
// absent from the file are left alone (set them "defunct" to retire them). An organization with
// one invalid row is not imported at all, and each of its rows is reported. Writes happen in one
// transaction; a dry run rolls it back, as does an all-or-nothing import with any rejection.
// A confidential location given without address, name, coordinates and transport notes (a
// public export) keeps the ones already stored.
// Errors (not rejections) for what stops the whole file: unknown territory (kNotFound), a file
// that is not CSV, JSON or UTF-8, a missing or unknown CSV column (kInvalidInput), a file over
// 64 MiB (kTooLarge). Database failures throw.
core::Result<ImportReport> ImportDirectory(storage::Database& db, Format format, const std::string& territory_slug,
                                           std::istream& in, ImportMode mode, DryRun dry_run,
                                           const ProgressCallback& progress = {},
                                           const BeforeCommit& before_commit = {});
core::Result<ImportReport> ImportDirectory(storage::Database& db, Format format, const std::string& territory_slug,
                                           const std::filesystem::path& path, ImportMode mode, DryRun dry_run,
                                           const ProgressCallback& progress = {});

}  // namespace passerelle::directory
