#include "directory/import.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <sstream>

#include <spdlog/spdlog.h>

#include "directory/export.h"
#include "directory/import_detail.h"
#include "directory/repository.h"
#include "directory/service.h"

namespace passerelle::directory {

namespace import_detail {

std::string Quoted(std::string_view value) { return "« " + std::string(value) + " »"; }

std::string Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return "";
  return std::string(text.substr(first, text.find_last_not_of(" \t") - first + 1));
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// ---- naming fields in messages --------------------------------------------------------------

std::string CsvColumn(Entity entity, const std::string& field) {
  switch (entity) {
    case Entity::kOrganization:
      if (field == "id" || field == "territory_slug") return "organization_id";
      if (field == "name") return "organization_name";
      if (field == "description") return "organization_description";
      return field;
    case Entity::kPhone:
      return "phones";
    case Entity::kLocation:
      if (field == "id") return "location_id";
      if (field == "name") return "location_name";
      return field;
    case Entity::kService:
      if (field == "id") return "service_id";
      if (field == "name") return "service_name";
      if (field == "description") return "service_description";
      if (field == "location_ids") return "location_id";
      return field;
  }
  return field;
}

namespace {

std::string HsdsKey(const FieldError& e) {
  switch (e.entity) {
    case Entity::kOrganization:
      return e.field == "territory_slug" ? "territory" : e.field;
    case Entity::kPhone:
      return "phones[" + std::to_string(e.index.value_or(0)) + "]." + e.field;
    case Entity::kLocation:
      if (e.field == "address") return "addresses[0].address_1";
      if (e.field == "postal_code" || e.field == "city" || e.field == "insee_code") return "addresses[0]." + e.field;
      return e.field;
    case Entity::kService:
      return e.field == "location_ids" ? "service_at_locations" : e.field;
  }
  return e.field;
}

}  // namespace

// The rejection for a FieldError of CheckOrganization or CheckIdsAvailable on `c.organization`.
OrderedRejection Locate(const Candidate& c, const FieldError& e, Format format) {
  Place place = c.place;
  if (e.index && e.entity == Entity::kLocation && *e.index < c.location_places.size()) {
    place = c.location_places[*e.index];
  } else if (e.index && e.entity == Entity::kService && *e.index < c.service_places.size()) {
    place = c.service_places[*e.index];
  }
  Rejection r;
  r.line = place.line;
  if (format == Format::kCsv) {
    r.reason = CsvColumn(e.entity, e.field) + " : " + e.reason;
  } else {
    const std::string key = HsdsKey(e);
    r.json_path = place.path + "." + key;
    const std::size_t dot = key.rfind('.');
    r.reason = (dot == std::string::npos ? key : key.substr(dot + 1)) + " : " + e.reason;
  }
  return {format == Format::kCsv ? place.line : c.order, std::move(r)};
}

void Reject(Candidate& c, OrderedRejection rejection, std::vector<OrderedRejection>& out) {
  if (rejection.rejection.line != 0) c.rejected_lines.insert(rejection.rejection.line);
  c.rejected = true;
  out.push_back(std::move(rejection));
}

void ReportSiblingRows(const Candidate& c, std::vector<OrderedRejection>& out) {
  if (c.rejected_lines.empty()) return;
  const std::size_t culprit = *c.rejected_lines.begin();
  const std::string name = c.organization.name.empty() ? c.organization.id : c.organization.name;
  for (const std::size_t line : c.lines) {
    if (c.rejected_lines.contains(line)) continue;
    Rejection r;
    r.line = line;
    r.reason = "organisation " + Quoted(name) + " non importée : la ligne " + std::to_string(culprit) + " est refusée";
    out.push_back({line, std::move(r)});
  }
}

}  // namespace import_detail

namespace {

using import_detail::Candidate;
using import_detail::Locate;
using import_detail::OrderedRejection;
using import_detail::Parsed;
using import_detail::Quoted;
using import_detail::Reject;
using import_detail::ReportSiblingRows;

// ---- writing ---------------------------------------------------------------------------------

// A public export gives confidential locations without their details: keep the stored ones
// rather than erase them.
void KeepConfidentialDetails(Organization& incoming, const Organization& previous) {
  for (Location& l : incoming.locations) {
    const bool redacted = l.confidential && l.name.empty() && l.address.empty() && !l.latitude && !l.longitude &&
                          l.transportation.empty();
    if (!redacted) continue;
    for (const Location& old : previous.locations) {
      if (old.id != l.id || !old.confidential) continue;
      l.name = old.name;
      l.address = old.address;
      l.latitude = old.latitude;
      l.longitude = old.longitude;
      l.transportation = old.transportation;
    }
  }
}

// A value of the HSDS export as a person reads it: text as is, lists joined by ", ", an object
// of a list (a phone) by its values joined by " ".
std::string Display(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  if (value.is_array()) {
    std::string out;
    for (const auto& item : value) out += (out.empty() ? "" : ", ") + Display(item);
    return out;
  }
  if (value.is_object()) {
    std::string out;
    for (const auto& [key, item] : value.items()) {
      const std::string text = Display(item);
      if (!text.empty()) out += (out.empty() ? "" : " ") + text;
    }
    return out;
  }
  return value.dump();
}

// The leaves of an organization's HSDS object, in order: a list of objects with an "id"
// (locations, services) by id, an address by its index, any other list as one value.
void Flatten(const nlohmann::json& value, const std::string& path,
             std::vector<std::pair<std::string, std::string>>& out) {
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      if (key == "id" && !path.empty()) continue;  // named by the path already
      Flatten(item, path.empty() ? key : path + "." + key, out);
    }
    return;
  }
  const bool by_id =
      value.is_array() && !value.empty() && std::all_of(value.begin(), value.end(), [](const auto& item) {
        return item.is_object() && item.contains("id") && item["id"].is_string();
      });
  if (by_id) {
    for (const auto& item : value) Flatten(item, path + "[" + item["id"].get<std::string>() + "]", out);
    return;
  }
  if (path.size() >= 9 && path.compare(path.size() - 9, 9, "addresses") == 0 && value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) Flatten(value[i], path + "[" + std::to_string(i) + "]", out);
    return;
  }
  out.emplace_back(path, Display(value));
}

// What the import will do to one organization of the file, as planned from what was read.
struct Step {
  std::optional<Organization> previous;  // the stored organization the plan read (none: created)
  Organization incoming;                 // canonical: what is written
  bool write = false;                    // created or changed (false: unchanged)
};

// The whole import, decided before anything is written: its report and the organizations to
// write, in file order (unchanged ones too, since the plan depends on them as well).
struct Plan {
  ImportReport report;
  std::vector<Step> steps;
};

// Reads what the file depends on (each organization as stored, the owners of its ids) in one
// read-only snapshot, validates, and decides every write: it takes no write lock, however long
// it takes (about 2 ms per organization). The owners of the ids the plan already gave or freed
// (an earlier organization of the file) come from the plan, as if it had been written in file
// order.
Plan MakePlan(storage::Database& db, Format format, Parsed parsed, const ProgressCallback& progress) {
  Plan plan;
  ImportReport& report = plan.report;
  report.entries = parsed.entries;
  std::size_t done = parsed.entries;
  for (const Candidate& c : parsed.candidates) done -= c.rejected ? 0 : c.entries;
  if (progress) progress(done, parsed.entries);

  soci::session sql(db.pool());
  storage::Database::Transaction snapshot(sql, db.backend(), storage::Database::Access::kRead);
  DirectoryRepository repository(sql);
  // Ids of locations and services the plan gives to an organization ("" when it frees them).
  std::map<std::string, std::string> planned_locations, planned_services;
  const auto owner = [](std::map<std::string, std::string>& planned, const std::string& id,
                        const std::function<std::optional<std::string>(const std::string&)>& stored) {
    const auto found = planned.find(id);
    if (found == planned.end()) return stored(id);
    return found->second.empty() ? std::nullopt : std::optional<std::string>(found->second);
  };
  for (Candidate& c : parsed.candidates) {
    if (c.rejected) continue;
    Organization incoming = c.organization;
    auto previous = repository.Find(incoming.id);
    if (previous) {
      KeepConfidentialDetails(incoming, *previous);
      // Files carry no publication state: a draft stays a draft, a published entry public.
      incoming.publication = previous->publication;
    }
    const auto taken = CheckIdsAvailable(
        previous, incoming,
        [&](const std::string& id) {
          return owner(planned_locations, id,
                       [&](const std::string& l) { return repository.OrganizationOfLocation(l); });
        },
        [&](const std::string& id) {
          return owner(planned_services, id, [&](const std::string& s) { return repository.OrganizationOfService(s); });
        });
    if (taken) {
      Reject(c, Locate(c, *taken, format), parsed.rejected);
      ReportSiblingRows(c, parsed.rejected);
    } else {
      Canonicalize(incoming);
      const bool write = !previous || !(*previous == incoming);
      if (!write) {
        ++report.unchanged;
        report.unchanged_organization_ids.push_back(incoming.id);
      } else {
        ++(previous ? report.updated : report.created);
        report.changed_organization_ids.push_back(incoming.id);
        (previous ? report.updated_organization_ids : report.created_organization_ids).push_back(incoming.id);
        report.changes.push_back({incoming.id, incoming.name, !previous, DiffOrganizations(previous, incoming)});
        if (previous) {
          for (const Location& l : previous->locations) planned_locations[l.id] = "";
          for (const Service& s : previous->services) planned_services[s.id] = "";
        }
        for (const Location& l : incoming.locations) planned_locations[l.id] = incoming.id;
        for (const Service& s : incoming.services) planned_services[s.id] = incoming.id;
      }
      plan.steps.push_back({std::move(previous), std::move(incoming), write});
    }
    done += c.entries;
    if (progress) progress(done, parsed.entries);
  }
  std::stable_sort(parsed.rejected.begin(), parsed.rejected.end(),
                   [](const OrderedRejection& a, const OrderedRejection& b) { return a.order < b.order; });
  for (OrderedRejection& r : parsed.rejected) report.rejected.push_back(std::move(r.rejection));
  return plan;
}

// Writes a plan in one short transaction (the only time the import holds the write lock): first
// checks that every organization of the plan is still stored as the plan read it (one read of
// the territory), then writes with statements prepared once (OrganizationWriter). False, with nothing written, when the
// directory changed since. An id another organization took since (an insert that breaks a key) throws soci_error, and
// nothing is written either.
bool WritePlan(storage::Database& db, const std::string& territory_slug, Plan& plan,
               const BeforeCommit& before_commit) {
  const long long now_s =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  soci::session sql(db.pool());
  const auto start = std::chrono::steady_clock::now();
  storage::Database::Transaction transaction(sql, db.backend());
  DirectoryRepository repository(sql);
  std::map<std::string, Organization> stored;
  for (Organization& o : repository.ListByTerritory(territory_slug)) stored.emplace(o.id, std::move(o));
  for (const Step& step : plan.steps) {
    const auto found = stored.find(step.incoming.id);
    const bool same = step.previous ? found != stored.end() && found->second == *step.previous : found == stored.end();
    if (!same) return false;
  }
  OrganizationWriter writer(sql);
  for (const Step& step : plan.steps) {
    if (step.write) writer.Save(step.incoming, step.previous, now_s);
  }
  plan.report.written = true;
  if (before_commit) before_commit(sql, plan.report);
  transaction.Commit();
  const std::chrono::duration<double, std::milli> held = std::chrono::steady_clock::now() - start;
  spdlog::debug("event=directory_import_written organizations={} transaction_ms={:.0f}", plan.steps.size(),
                held.count());
  return true;
}

// How many times an apply plans again when the directory changed under it.
constexpr int kWriteAttempts = 3;

core::Result<ImportReport> Apply(storage::Database& db, Format format, const std::string& territory_slug,
                                 const Parsed& parsed, ImportMode mode, DryRun dry_run,
                                 const ProgressCallback& progress, const BeforeCommit& before_commit) {
  for (int attempt = 1;; ++attempt) {
    Plan plan = MakePlan(db, format, parsed, progress);
    const bool refused = mode == ImportMode::kAllOrNothing && !plan.report.rejected.empty();
    if (dry_run == DryRun::kYes || refused) return std::move(plan.report);
    try {
      if (WritePlan(db, territory_slug, plan, before_commit)) return std::move(plan.report);
      spdlog::info("event=directory_import_replanned reason=changed attempt={}", attempt);
    } catch (const soci::soci_error& e) {
      // A key another writer took since the plan, or the lock not obtained: plan again.
      if (attempt == kWriteAttempts) throw;
      spdlog::info("event=directory_import_replanned reason=\"{}\" attempt={}",
                   storage::DescribeDatabaseError(e).value_or("database error"), attempt);
    }
    if (attempt == kWriteAttempts) {
      return core::Error{core::ErrorCode::kConflict,
                         "l’annuaire du territoire a changé pendant l’import, plusieurs fois : rien n’a été écrit. "
                         "Appliquez le fichier de nouveau.",
                         "directory import: the directory kept changing during the apply"};
    }
  }
}

}  // namespace

std::vector<FieldChange> DiffOrganizations(const std::optional<Organization>& before, const Organization& after) {
  std::vector<std::pair<std::string, std::string>> old_fields, new_fields;
  if (before) Flatten(OrganizationHsds(*before), "", old_fields);
  Flatten(OrganizationHsds(after), "", new_fields);
  std::map<std::string, std::string> old_by_field(old_fields.begin(), old_fields.end());
  std::vector<FieldChange> out;
  for (const auto& [field, value] : new_fields) {
    const auto old = old_by_field.find(field);
    const std::string previous = old == old_by_field.end() ? "" : old->second;
    if (old != old_by_field.end()) old_by_field.erase(old);
    if (previous != value) out.push_back({field, previous, value});
  }
  // What the file removes (a location, a service), in the old order.
  for (const auto& [field, value] : old_fields) {
    if (old_by_field.contains(field) && !value.empty()) out.push_back({field, value, ""});
  }
  return out;
}

std::string Rejection::Where() const { return line != 0 ? "line " + std::to_string(line) : json_path; }

core::Result<ImportReport> ImportDirectory(storage::Database& db, Format format, const std::string& territory_slug,
                                           std::istream& in, ImportMode mode, DryRun dry_run,
                                           const ProgressCallback& progress, const BeforeCommit& before_commit) {
  {
    soci::session sql(db.pool());
    if (!DirectoryRepository(sql).TerritoryExists(territory_slug)) {
      return core::Error{core::ErrorCode::kNotFound, "territoire inconnu " + Quoted(territory_slug),
                         "directory import: unknown territory"};
    }
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  if (text.size() > kMaxImportBytes) {
    return core::Error{core::ErrorCode::kTooLarge, "fichier trop gros (64 Mio au plus)", "directory import: too large"};
  }
  auto parsed = format == Format::kCsv ? import_detail::ReadCsv(text, territory_slug)
                                       : import_detail::ReadHsds(text, territory_slug);
  if (!parsed) return parsed.error();
  return Apply(db, format, territory_slug, parsed.value(), mode, dry_run, progress, before_commit);
}

core::Result<ImportReport> ImportDirectory(storage::Database& db, Format format, const std::string& territory_slug,
                                           const std::filesystem::path& path, ImportMode mode, DryRun dry_run,
                                           const ProgressCallback& progress) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::Error{core::ErrorCode::kNotFound, "fichier illisible " + Quoted(path.string()),
                       "directory import: cannot open the file"};
  }
  return ImportDirectory(db, format, territory_slug, in, mode, dry_run, progress);
}

}  // namespace passerelle::directory
