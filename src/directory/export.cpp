#include "directory/export.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <set>

#include "directory/csv.h"
#include "directory/organization_json.h"
#include "directory/public_view.h"
#include "directory/repository.h"

namespace passerelle::directory {

namespace {

using nlohmann::json;

std::vector<Organization> Select(storage::Database& db, const std::string& territory_slug, Confidential confidential) {
  soci::session sql(db.pool());
  DirectoryRepository repository(sql);
  std::vector<std::string> territories = {territory_slug};
  if (territory_slug.empty()) territories = repository.TerritoriesWithOrganizations();
  std::vector<Organization> out;
  for (const std::string& slug : territories) {
    for (Organization& o : repository.ListByTerritory(slug)) {
      if (confidential == Confidential::kInclude) {
        out.push_back(std::move(o));
      } else if (MakePublicView(o)) {  // the same rule as the public pages
        out.push_back(RedactConfidential(o));
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const Organization& a, const Organization& b) { return a.id < b.id; });
  return out;
}

json HsdsLocation(const Location& l) {
  json address = {{"postal_code", l.postal_code}, {"city", l.city}, {"insee_code", l.insee_code}, {"country", "FR"}};
  json out = {{"id", l.id}, {"confidential", l.confidential}};
  // A redacted confidential location carries no empty name, address or coordinate keys at all.
  if (!l.name.empty()) out["name"] = l.name;
  if (!l.address.empty()) address["address_1"] = l.address;
  out["addresses"] = json::array({std::move(address)});
  if (l.latitude && l.longitude) {
    out["latitude"] = *l.latitude;
    out["longitude"] = *l.longitude;
  }
  if (!l.transportation.empty()) out["transportation"] = l.transportation;
  return out;
}

json HsdsService(const Service& s) {
  json languages = json::array();
  for (const std::string& code : s.languages) languages.push_back({{"code", code}});
  json at = json::array();
  for (const std::string& id : s.location_ids) at.push_back({{"location_id", id}});
  json out = {{"id", s.id},
              {"name", s.name},
              {"description", s.description},
              {"categories", CodesJson(s.categories)},
              {"genders", CodesJson(s.genders)},
              {"eligibility_description", s.eligibility_description},
              {"fees", CodesJson(s.fees)},
              {"languages", std::move(languages)},
              {"accessibility", CodesJson(s.accessibility)},
              {"application_process", s.application_process},
              {"opening_hours", s.opening_hours},
              {"service_at_locations", std::move(at)}};
  if (s.minimum_age) out["minimum_age"] = *s.minimum_age;
  if (s.maximum_age) out["maximum_age"] = *s.maximum_age;
  return out;
}

}  // namespace

json OrganizationHsds(const Organization& o) {
  json locations = json::array();
  for (const Location& l : o.locations) locations.push_back(HsdsLocation(l));
  json services = json::array();
  for (const Service& s : o.services) services.push_back(HsdsService(s));
  json out = OrganizationFieldsJson(o);
  out["visibility"] = CodeOf(o.visibility);
  out["locations"] = std::move(locations);
  out["services"] = std::move(services);
  return out;
}

namespace {

std::string ExportHsds(const std::vector<Organization>& organizations) {
  json list = json::array();
  for (const Organization& o : organizations) list.push_back(OrganizationHsds(o));
  const json document = {{"hsds_version", "3.1"}, {"profile", "passerelle"}, {"organizations", std::move(list)}};
  return document.dump(2) + "\n";
}

// ---- CSV -------------------------------------------------------------------------------------

template <typename Enum>
std::string JoinCodes(const std::vector<Enum>& values) {
  std::string out;
  for (const Enum& value : values) out += (out.empty() ? "" : ";") + std::string(CodeOf(value));
  return out;
}

std::string Join(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& value : values) out += (out.empty() ? "" : ";") + value;
  return out;
}

std::string Bool(bool value) { return value ? "true" : "false"; }

// The shortest text that reads back as the same double.
std::string Number(const std::optional<double>& value) {
  if (!value) return "";
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, *value);
  return ec == std::errc() ? std::string(buffer, end) : "";
}

std::string Integer(const std::optional<int>& value) { return value ? std::to_string(*value) : ""; }

std::string PhonesCell(const std::vector<Phone>& phones) {
  std::string out;
  for (const Phone& p : phones) {
    if (!out.empty()) out += ";";
    if (p.type != PhoneType::kVoice) out += std::string(CodeOf(p.type)) + ":";
    out += p.number;
    if (!p.description.empty()) out += " (" + p.description + ")";
  }
  return out;
}

std::vector<std::string> OrganizationCells(const Organization& o) {
  return {o.id,
          o.name,
          o.description,
          o.website,
          o.email,
          PhonesCell(o.phones),
          Bool(o.accepts_referrals),
          o.assured_date,
          o.verified_by,
          std::string(CodeOf(o.status)),
          o.closed_from,
          o.closed_until,
          o.alert,
          std::string(CodeOf(o.visibility)),
          Bool(o.is_demo)};
}

std::vector<std::string> ServiceCells(const Service* s) {
  if (s == nullptr) return std::vector<std::string>(kCsvServiceColumns.size());
  return {s->id,
          s->name,
          s->description,
          JoinCodes(s->categories),
          Integer(s->minimum_age),
          Integer(s->maximum_age),
          JoinCodes(s->genders),
          s->eligibility_description,
          JoinCodes(s->fees),
          Join(s->languages),
          JoinCodes(s->accessibility),
          s->application_process,
          s->opening_hours};
}

std::vector<std::string> LocationCells(const Location* l) {
  if (l == nullptr) return std::vector<std::string>(kCsvLocationColumns.size());
  return {l->id,
          l->name,
          l->address,
          l->postal_code,
          l->city,
          l->insee_code,
          Number(l->latitude),
          Number(l->longitude),
          Bool(l->confidential),
          l->transportation};
}

std::string Row(const Organization& o, const Service* s, const Location* l) {
  std::vector<std::string> cells = OrganizationCells(o);
  for (std::string& cell : ServiceCells(s)) cells.push_back(std::move(cell));
  for (std::string& cell : LocationCells(l)) cells.push_back(std::move(cell));
  return FormatCsvRecord(cells);
}

// One row per service and location where it is given; a service without location and a
// location without service get a row of their own, an organization without either too.
std::string ExportCsv(const std::vector<Organization>& organizations) {
  std::vector<std::string> header;
  for (std::string_view c : kCsvOrganizationColumns) header.emplace_back(c);
  for (std::string_view c : kCsvServiceColumns) header.emplace_back(c);
  for (std::string_view c : kCsvLocationColumns) header.emplace_back(c);
  std::string out = FormatCsvRecord(header);
  for (const Organization& o : organizations) {
    std::set<std::string> used;
    bool any = false;
    for (const Service& s : o.services) {
      if (s.location_ids.empty()) out += Row(o, &s, nullptr);
      for (const std::string& id : s.location_ids) {
        const auto l =
            std::find_if(o.locations.begin(), o.locations.end(), [&](const Location& x) { return x.id == id; });
        out += Row(o, &s, l == o.locations.end() ? nullptr : &*l);
        used.insert(id);
      }
      any = true;
    }
    for (const Location& l : o.locations) {
      if (used.contains(l.id)) continue;
      out += Row(o, nullptr, &l);
      any = true;
    }
    if (!any) out += Row(o, nullptr, nullptr);
  }
  return out;
}

}  // namespace

std::string ExportDirectory(storage::Database& db, Format format, const std::string& territory_slug,
                            Confidential confidential) {
  const std::vector<Organization> organizations = Select(db, territory_slug, confidential);
  return format == Format::kHsds ? ExportHsds(organizations) : ExportCsv(organizations);
}

}  // namespace passerelle::directory
