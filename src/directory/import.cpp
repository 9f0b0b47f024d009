#include "directory/import.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <span>
#include <sstream>

#include "directory/csv.h"
#include "directory/model.h"
#include "directory/repository.h"
#include "directory/service.h"
#include "directory/validation.h"

namespace passerelle::directory {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxImportBytes = 64 * 1024 * 1024;

// Where an organization, a location or a service was read.
struct Place {
  std::size_t line = 0;  // CSV
  std::string path;      // HSDS, e.g. "$.organizations[2].services[0]"
};

// An organization read from the file, with where each of its parts came from.
struct Candidate {
  Organization organization;
  Place place;
  std::vector<Place> location_places;  // parallel to organization.locations
  std::vector<Place> service_places;   // parallel to organization.services
  std::vector<std::size_t> lines;      // CSV: every row of the organization
  std::set<std::size_t> rejected_lines;
  std::size_t entries = 0;             // rows (CSV) or 1 (HSDS), for the progress callback
  std::size_t order = 0;               // sort key of its rejections (HSDS: index in the file)
  bool rejected = false;
  // CSV: the cells of the first row of the organization and of each location and service, which
  // later rows repeating the same id must match.
  std::vector<std::string> organization_cells;
  std::map<std::string, std::vector<std::string>> location_cells, service_cells;
};

// A rejection and its place in file order (CSV line, HSDS organization index).
struct OrderedRejection {
  std::size_t order;
  Rejection rejection;
};

struct Parsed {
  std::vector<Candidate> candidates;
  std::vector<OrderedRejection> rejected;
  std::size_t entries = 0;
};

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

template <typename Enum, std::size_t N>
std::string ExpectedCodes(const std::array<Enum, N>& all) {
  std::string out;
  for (Enum value : all) out += (out.empty() ? "" : ", ") + std::string(CodeOf(value));
  return out;
}

template <typename Enum, std::size_t N>
std::string UnknownCodeReason(std::string_view field, const std::string& value, const std::array<Enum, N>& all) {
  const char* what = field == "categories" ? "catégorie inconnue " : "valeur inconnue ";
  return what + Quoted(value) + " (attendu : " + ExpectedCodes(all) + ")";
}

// ---- naming fields in messages --------------------------------------------------------------

std::string CsvColumn(Entity entity, const std::string& field) {
  switch (entity) {
    case Entity::kOrganization:
      if (field == "id" || field == "territory_slug") return "organization_id";
      if (field == "name") return "organization_name";
      if (field == "description") return "organization_description";
      return field;
    case Entity::kPhone: return "phones";
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

std::string HsdsKey(const FieldError& e) {
  switch (e.entity) {
    case Entity::kOrganization: return e.field == "territory_slug" ? "territory" : e.field;
    case Entity::kPhone: return "phones[" + std::to_string(e.index.value_or(0)) + "]." + e.field;
    case Entity::kLocation:
      if (e.field == "address") return "addresses[0].address_1";
      if (e.field == "postal_code" || e.field == "city" || e.field == "insee_code") return "addresses[0]." + e.field;
      return e.field;
    case Entity::kService: return e.field == "location_ids" ? "service_at_locations" : e.field;
  }
  return e.field;
}

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

// Marks the organization rejected; its other rows are reported too, since none is imported.
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

// ---- CSV -------------------------------------------------------------------------------------

// A cell that cannot be read: thrown by the cell readers, turned into a rejection of the row.
struct CellError {
  std::string column;
  std::string reason;
};

class Row {
 public:
  Row(const std::map<std::string, std::size_t, std::less<>>& columns, const std::vector<std::string>& fields)
      : columns_(columns) {
    for (const std::string& field : fields) cells_.push_back(Trim(field));
  }

  const std::string& Get(std::string_view column) const {
    static const std::string kEmpty;
    const auto it = columns_.find(column);
    return it == columns_.end() || it->second >= cells_.size() ? kEmpty : cells_[it->second];
  }

  template <std::size_t N>
  std::vector<std::string> Cells(const std::array<std::string_view, N>& columns) const {
    std::vector<std::string> out;
    for (std::string_view column : columns) out.push_back(Get(column));
    return out;
  }

  template <std::size_t N>
  bool AnyIn(const std::array<std::string_view, N>& columns) const {
    return std::any_of(columns.begin(), columns.end(), [&](std::string_view c) { return !Get(c).empty(); });
  }

  bool Empty() const {
    return std::all_of(cells_.begin(), cells_.end(), [](const std::string& c) { return c.empty(); });
  }

 private:
  const std::map<std::string, std::size_t, std::less<>>& columns_;
  std::vector<std::string> cells_;
};

std::vector<std::string> SplitList(const std::string& cell) {
  std::vector<std::string> out;
  for (std::size_t start = 0; start <= cell.size();) {
    std::size_t end = cell.find(';', start);
    if (end == std::string::npos) end = cell.size();
    if (std::string item = Trim(std::string_view(cell).substr(start, end - start)); !item.empty()) {
      out.push_back(std::move(item));
    }
    start = end + 1;
  }
  return out;
}

bool ReadBool(std::string_view column, const std::string& value) {
  const std::string v = Lower(value);
  if (v.empty() || v == "false" || v == "0" || v == "non" || v == "no" || v == "faux") return false;
  if (v == "true" || v == "1" || v == "oui" || v == "yes" || v == "vrai") return true;
  throw CellError{std::string(column), "valeur invalide " + Quoted(value) + " (true ou false)"};
}

template <typename Enum, std::size_t N>
Enum ReadCode(std::string_view column, const std::string& value, const std::array<Enum, N>& all, Enum fallback) {
  if (value.empty()) return fallback;
  if (const auto code = FromCode(Lower(value), all)) return *code;
  throw CellError{std::string(column), UnknownCodeReason(column, value, all)};
}

template <typename Enum, std::size_t N>
std::vector<Enum> ReadCodes(std::string_view column, const std::string& cell, const std::array<Enum, N>& all) {
  std::vector<Enum> out;
  for (const std::string& item : SplitList(cell)) out.push_back(ReadCode(column, item, all, Enum{}));
  return out;
}

std::optional<int> ReadInt(std::string_view column, const std::string& value) {
  if (value.empty()) return std::nullopt;
  int out = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (ec != std::errc() || end != value.data() + value.size()) {
    throw CellError{std::string(column), "nombre entier attendu, pas " + Quoted(value)};
  }
  return out;
}

std::optional<double> ReadNumber(std::string_view column, const std::string& value) {
  if (value.empty()) return std::nullopt;
  std::string text = value;
  // A spreadsheet set to French writes a decimal comma.
  if (text.find('.') == std::string::npos && std::count(text.begin(), text.end(), ',') == 1) {
    text[text.find(',')] = '.';
  }
  double out = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw CellError{std::string(column), "nombre attendu, pas " + Quoted(value)};
  }
  return out;
}

// "01 99 00 10 01 (accueil);text:114 (SMS)": an optional type prefix, the number, an optional
// description in parentheses.
std::vector<Phone> ReadPhones(const std::string& cell) {
  std::vector<Phone> out;
  for (const std::string& item : SplitList(cell)) {
    Phone phone;
    std::string rest = item;
    if (const std::size_t colon = rest.find(':'); colon != std::string::npos) {
      const std::string type = Lower(Trim(std::string_view(rest).substr(0, colon)));
      const auto code = FromCode(type, kAllPhoneTypes);
      if (!code) {
        throw CellError{"phones", "type de numéro inconnu " + Quoted(type) + " (" + ExpectedCodes(kAllPhoneTypes) + ")"};
      }
      phone.type = *code;
      rest = Trim(std::string_view(rest).substr(colon + 1));
    }
    if (const std::size_t paren = rest.find('('); paren != std::string::npos) {
      if (rest.back() != ')') throw CellError{"phones", "parenthèse non refermée dans " + Quoted(item)};
      phone.description = Trim(std::string_view(rest).substr(paren + 1, rest.size() - paren - 2));
      rest = Trim(std::string_view(rest).substr(0, paren));
    }
    phone.number = rest;
    out.push_back(std::move(phone));
  }
  return out;
}

void ReadOrganizationCells(const Row& row, Organization& o) {
  o.name = row.Get("organization_name");
  o.description = row.Get("organization_description");
  o.website = row.Get("website");
  o.email = row.Get("email");
  o.phones = ReadPhones(row.Get("phones"));
  o.accepts_referrals = ReadBool("accepts_referrals", row.Get("accepts_referrals"));
  o.assured_date = row.Get("assured_date");
  o.verified_by = row.Get("verified_by");
  o.status = ReadCode("status", row.Get("status"), kAllOrganizationStatuses, OrganizationStatus::kActive);
  o.closed_from = row.Get("closed_from");
  o.closed_until = row.Get("closed_until");
  o.alert = row.Get("alert");
  o.visibility = ReadCode("visibility", row.Get("visibility"), kAllVisibilities, Visibility::kPublic);
  o.is_demo = ReadBool("is_demo", row.Get("is_demo"));
}

Location ReadLocationCells(const Row& row) {
  Location l;
  l.id = row.Get("location_id");
  l.name = row.Get("location_name");
  l.address = row.Get("address");
  l.postal_code = row.Get("postal_code");
  l.city = row.Get("city");
  l.insee_code = row.Get("insee_code");
  l.latitude = ReadNumber("latitude", row.Get("latitude"));
  l.longitude = ReadNumber("longitude", row.Get("longitude"));
  l.confidential = ReadBool("confidential", row.Get("confidential"));
  l.transportation = row.Get("transportation");
  return l;
}

Service ReadServiceCells(const Row& row) {
  Service s;
  s.id = row.Get("service_id");
  s.name = row.Get("service_name");
  s.description = row.Get("service_description");
  s.categories = ReadCodes("categories", row.Get("categories"), kAllCategories);
  s.minimum_age = ReadInt("minimum_age", row.Get("minimum_age"));
  s.maximum_age = ReadInt("maximum_age", row.Get("maximum_age"));
  s.genders = ReadCodes("genders", row.Get("genders"), kAllGenders);
  s.eligibility_description = row.Get("eligibility_description");
  s.fees = ReadCodes("fees", row.Get("fees"), kAllFees);
  for (const std::string& language : SplitList(row.Get("languages"))) s.languages.push_back(Lower(language));
  s.accessibility = ReadCodes("accessibility", row.Get("accessibility"), kAllAccessibilities);
  s.application_process = row.Get("application_process");
  s.opening_hours = row.Get("opening_hours");
  return s;
}

// Cells of a row repeating an id must be empty or equal to those of the row that gave it first
// (the id column itself, first in `columns`, is skipped).
template <std::size_t N>
void CheckRepeat(const Row& row, const std::array<std::string_view, N>& columns, const std::vector<std::string>& first,
                 std::size_t first_line) {
  if (first.size() != N) throw std::logic_error("csv import: no reference cells for a repeated id");
  for (std::size_t k = 1; k < N; ++k) {
    const std::string& value = row.Get(columns[k]);
    if (!value.empty() && value != first[k]) {
      throw CellError{std::string(columns[k]),
                      "diffère de la ligne " + std::to_string(first_line) + " pour le même identifiant"};
    }
  }
}

CellError CellErrorOf(const FieldError& e) { return CellError{CsvColumn(e.entity, e.field), e.reason}; }

core::Result<Parsed> ReadCsv(std::string_view text, const std::string& territory) {
  auto records = ParseCsv(text);
  if (!records) return records.error();
  if (records.value().empty()) {
    return core::Error{core::ErrorCode::kInvalidInput, "ligne 1 : fichier vide, la ligne d'en-tête manque",
                       "csv: empty file"};
  }
  const auto invalid_header = [](const std::string& reason) {
    return core::Error{core::ErrorCode::kInvalidInput, "ligne 1 : " + reason, "csv: invalid header"};
  };
  std::map<std::string, std::size_t, std::less<>> columns;
  const std::vector<std::string>& header = records.value().front().fields;
  for (std::size_t k = 0; k < header.size(); ++k) {
    const std::string name = Trim(header[k]);
    const auto known = [&](const auto& list) { return std::find(list.begin(), list.end(), name) != list.end(); };
    if (name.empty()) {
      return invalid_header("colonne " + std::to_string(k + 1) + " sans nom (une virgule en trop dans l'en-tête ?)");
    }
    if (!known(kCsvOrganizationColumns) && !known(kCsvServiceColumns) && !known(kCsvLocationColumns)) {
      return invalid_header("colonne inconnue " + Quoted(name) + " (voir docs/data-formats.md)");
    }
    if (!columns.emplace(name, k).second) return invalid_header("colonne en double " + Quoted(name));
  }
  if (!columns.contains("organization_name")) return invalid_header("la colonne organization_name manque");

  Parsed parsed;
  std::map<std::string, std::size_t> candidate_of;  // organization id → index in candidates
  struct Owner {
    std::string organization_id;
    std::size_t line;
  };
  std::map<std::string, Owner> service_owner, location_owner;

  for (std::size_t r = 1; r < records.value().size(); ++r) {
    const CsvRecord& record = records.value()[r];
    const Row row(columns, record.fields);
    if (row.Empty()) continue;  // spreadsheets leave rows of empty cells
    ++parsed.entries;
    const std::size_t line = record.line;
    std::optional<std::size_t> current;
    try {
      const std::string& id_cell = row.Get("organization_id");
      const std::string& name_cell = row.Get("organization_name");
      if (id_cell.empty() && name_cell.empty()) throw CellError{"organization_name", "le nom est obligatoire"};
      const std::string organization_id = id_cell.empty() ? DerivedOrganizationId(territory, name_cell) : id_cell;
      const auto [it, is_new] = candidate_of.try_emplace(organization_id, parsed.candidates.size());
      if (is_new) parsed.candidates.emplace_back();
      current = it->second;
      Candidate& c = parsed.candidates[it->second];
      c.lines.push_back(line);
      ++c.entries;
      if (is_new) {
        c.order = line;
        c.organization.id = organization_id;
        c.organization.territory_slug = territory;
      }
      if (record.fields.size() > header.size()) {
        throw CellError{"", std::to_string(record.fields.size()) + " champs pour " + std::to_string(header.size()) +
                                " colonnes (virgule en trop ?)"};
      }
      // The first row of the organization that could be read gives its cells, which later rows
      // must repeat. A first row refused before that (one field too many) leaves the next row to
      // give them: the organization is refused anyway, and that row still gets its own reasons.
      if (c.organization_cells.empty()) {
        c.place.line = line;
        c.organization_cells = row.Cells(kCsvOrganizationColumns);
        ReadOrganizationCells(row, c.organization);
        if (auto e = CheckOrganizationFields(c.organization)) throw CellErrorOf(*e);
      } else {
        CheckRepeat(row, kCsvOrganizationColumns, c.organization_cells, c.place.line);
      }

      std::string location_id;
      if (row.AnyIn(kCsvLocationColumns)) {
        Location l = ReadLocationCells(row);
        if (l.id.empty()) l.id = DerivedLocationId(organization_id, l);
        location_id = l.id;
        if (const auto owner = location_owner.find(l.id); owner != location_owner.end()) {
          if (owner->second.organization_id != organization_id) {
            throw CellError{"location_id", "identifiant en double : déjà utilisé ligne " +
                                               std::to_string(owner->second.line) + " par une autre organisation"};
          }
          CheckRepeat(row, kCsvLocationColumns, c.location_cells[l.id], owner->second.line);
        } else {
          if (auto e = CheckLocation(l)) throw CellErrorOf(*e);
          location_owner[l.id] = {organization_id, line};
          c.location_cells[l.id] = row.Cells(kCsvLocationColumns);
          c.organization.locations.push_back(std::move(l));
          c.location_places.push_back({line, ""});
        }
      }

      if (row.AnyIn(kCsvServiceColumns)) {
        Service s = ReadServiceCells(row);
        if (s.id.empty()) s.id = DerivedServiceId(organization_id, s.name);
        if (const auto owner = service_owner.find(s.id); owner != service_owner.end()) {
          const std::string first_line = std::to_string(owner->second.line);
          if (owner->second.organization_id != organization_id) {
            throw CellError{"service_id",
                            "identifiant en double : déjà utilisé ligne " + first_line + " par une autre organisation"};
          }
          CheckRepeat(row, kCsvServiceColumns, c.service_cells[s.id], owner->second.line);
          auto& services = c.organization.services;
          const auto first_it = std::find_if(services.begin(), services.end(),
                                             [&](const Service& other) { return other.id == s.id; });
          if (first_it == services.end()) throw std::logic_error("csv import: repeated service not found");
          Service& first = *first_it;
          if (location_id.empty()) throw CellError{"service_id", "identifiant en double (déjà ligne " + first_line + ")"};
          if (std::find(first.location_ids.begin(), first.location_ids.end(), location_id) != first.location_ids.end()) {
            throw CellError{"location_id", "ce service est déjà donné à ce lieu (ligne " + first_line + ")"};
          }
          first.location_ids.push_back(location_id);
        } else {
          if (!location_id.empty()) s.location_ids.push_back(location_id);
          if (auto e = CheckService(s)) throw CellErrorOf(*e);
          service_owner[s.id] = {organization_id, line};
          c.service_cells[s.id] = row.Cells(kCsvServiceColumns);
          c.organization.services.push_back(std::move(s));
          c.service_places.push_back({line, ""});
        }
      }
    } catch (const CellError& e) {
      Rejection rejection;
      rejection.line = line;
      rejection.reason = e.column.empty() ? e.reason : e.column + " : " + e.reason;
      if (current) {
        Reject(parsed.candidates[*current], {line, std::move(rejection)}, parsed.rejected);
      } else {
        parsed.rejected.push_back({line, std::move(rejection)});
      }
    }
  }
  for (Candidate& c : parsed.candidates) {
    if (!c.rejected) {
      if (auto e = CheckOrganization(c.organization)) Reject(c, Locate(c, *e, Format::kCsv), parsed.rejected);
    }
    if (c.rejected) ReportSiblingRows(c, parsed.rejected);
  }
  return parsed;
}

// ---- HSDS ------------------------------------------------------------------------------------

// A value of the wrong type or an unknown code: thrown by the JSON readers, turned into a
// rejection of the organization.
struct JsonError {
  std::string path;
  std::string reason;
};

const json* Member(const json& object, const char* key) {
  const auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string Text(const json& object, const char* key, const std::string& path) {
  const json* value = Member(object, key);
  if (value == nullptr) return "";
  if (!value->is_string()) throw JsonError{path + "." + key, std::string(key) + " : texte attendu"};
  return Trim(value->get<std::string>());
}

bool Flag(const json& object, const char* key, const std::string& path) {
  const json* value = Member(object, key);
  if (value == nullptr) return false;
  if (!value->is_boolean()) throw JsonError{path + "." + key, std::string(key) + " : true ou false attendu"};
  return value->get<bool>();
}

std::optional<int> Integer(const json& object, const char* key, const std::string& path) {
  const json* value = Member(object, key);
  if (value == nullptr) return std::nullopt;
  // An unsigned value above 2^63 would wrap to a negative long long: compare it unsigned.
  const bool in_range = value->is_number_unsigned()
                            ? value->get<unsigned long long>() <= 1000
                            : value->is_number_integer() && value->get<long long>() >= -1000 &&
                                  value->get<long long>() <= 1000;
  if (!in_range) {
    throw JsonError{path + "." + key, std::string(key) + " : nombre entier attendu"};
  }
  return static_cast<int>(value->get<long long>());
}

std::optional<double> Number(const json& object, const char* key, const std::string& path) {
  const json* value = Member(object, key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number()) throw JsonError{path + "." + key, std::string(key) + " : nombre attendu"};
  return value->get<double>();
}

const json& List(const json& object, const char* key, const std::string& path) {
  static const json kEmpty = json::array();
  const json* value = Member(object, key);
  if (value == nullptr) return kEmpty;
  if (!value->is_array()) throw JsonError{path + "." + key, std::string(key) + " : liste attendue"};
  return *value;
}

void RequireObject(const json& value, const std::string& path, const std::string& name) {
  if (!value.is_object()) throw JsonError{path, name + " : objet attendu"};
}

template <typename Enum, std::size_t N>
Enum Code(const json& object, const char* key, const std::string& path, const std::array<Enum, N>& all, Enum fallback) {
  const std::string value = Text(object, key, path);
  if (value.empty()) return fallback;
  if (const auto code = FromCode(value, all)) return *code;
  throw JsonError{path + "." + key, std::string(key) + " : " + UnknownCodeReason(key, value, all)};
}

template <typename Enum, std::size_t N>
std::vector<Enum> Codes(const json& object, const char* key, const std::string& path, const std::array<Enum, N>& all) {
  std::vector<Enum> out;
  const json& list = List(object, key, path);
  for (std::size_t k = 0; k < list.size(); ++k) {
    const std::string item_path = path + "." + key + "[" + std::to_string(k) + "]";
    if (!list[k].is_string()) throw JsonError{item_path, std::string(key) + " : texte attendu"};
    const auto code = FromCode(list[k].get<std::string>(), all);
    if (!code) throw JsonError{item_path, std::string(key) + " : " + UnknownCodeReason(key, list[k].get<std::string>(), all)};
    out.push_back(*code);
  }
  return out;
}

// HSDS 3.1 gives languages as objects with a "code"; plain strings are accepted too.
std::vector<std::string> LanguageCodes(const json& object, const std::string& path) {
  std::vector<std::string> out;
  const json& list = List(object, "languages", path);
  for (std::size_t k = 0; k < list.size(); ++k) {
    const std::string item_path = path + ".languages[" + std::to_string(k) + "]";
    if (list[k].is_string()) {
      out.push_back(Lower(list[k].get<std::string>()));
    } else if (list[k].is_object()) {
      out.push_back(Lower(Text(list[k], "code", item_path)));
    } else {
      throw JsonError{item_path, "languages : code de langue attendu"};
    }
  }
  return out;
}

Candidate ReadHsdsOrganization(const json& item, const std::string& path, const std::string& territory) {
  Candidate c;
  c.entries = 1;
  c.place.path = path;
  RequireObject(item, path, "organisation");
  Organization& o = c.organization;
  o.territory_slug = territory;
  o.id = Text(item, "id", path);
  if (const std::string from = Text(item, "territory", path); !from.empty() && from != territory) {
    throw JsonError{path + ".territory",
                    "territory : organisation du territoire " + Quoted(from) + ", import dans " + Quoted(territory)};
  }
  o.name = Text(item, "name", path);
  o.description = Text(item, "description", path);
  o.website = Text(item, "website", path);
  o.email = Text(item, "email", path);
  o.accepts_referrals = Flag(item, "accepts_referrals", path);
  o.assured_date = Text(item, "assured_date", path);
  o.verified_by = Text(item, "verified_by", path);
  o.status = Code(item, "status", path, kAllOrganizationStatuses, OrganizationStatus::kActive);
  o.closed_from = Text(item, "closed_from", path);
  o.closed_until = Text(item, "closed_until", path);
  o.alert = Text(item, "alert", path);
  o.visibility = Code(item, "visibility", path, kAllVisibilities, Visibility::kPublic);
  o.is_demo = Flag(item, "is_demo", path);

  const json& phones = List(item, "phones", path);
  for (std::size_t k = 0; k < phones.size(); ++k) {
    const std::string p = path + ".phones[" + std::to_string(k) + "]";
    RequireObject(phones[k], p, "phones");
    o.phones.push_back(Phone{Text(phones[k], "number", p), Code(phones[k], "type", p, kAllPhoneTypes, PhoneType::kVoice),
                             Text(phones[k], "description", p)});
  }
  const json& locations = List(item, "locations", path);
  for (std::size_t k = 0; k < locations.size(); ++k) {
    const std::string p = path + ".locations[" + std::to_string(k) + "]";
    const json& l = locations[k];
    RequireObject(l, p, "locations");
    Location location;
    location.id = Text(l, "id", p);
    location.name = Text(l, "name", p);
    location.latitude = Number(l, "latitude", p);
    location.longitude = Number(l, "longitude", p);
    location.confidential = Flag(l, "confidential", p);
    location.transportation = Text(l, "transportation", p);
    if (const json& addresses = List(l, "addresses", p); !addresses.empty()) {
      const std::string a = p + ".addresses[0]";
      RequireObject(addresses[0], a, "addresses");
      location.address = Text(addresses[0], "address_1", a);
      location.postal_code = Text(addresses[0], "postal_code", a);
      location.city = Text(addresses[0], "city", a);
      location.insee_code = Text(addresses[0], "insee_code", a);
    }
    o.locations.push_back(std::move(location));
    c.location_places.push_back({0, p});
  }
  const json& services = List(item, "services", path);
  for (std::size_t k = 0; k < services.size(); ++k) {
    const std::string p = path + ".services[" + std::to_string(k) + "]";
    const json& s = services[k];
    RequireObject(s, p, "services");
    Service service;
    service.id = Text(s, "id", p);
    service.name = Text(s, "name", p);
    service.description = Text(s, "description", p);
    service.categories = Codes(s, "categories", p, kAllCategories);
    service.minimum_age = Integer(s, "minimum_age", p);
    service.maximum_age = Integer(s, "maximum_age", p);
    service.genders = Codes(s, "genders", p, kAllGenders);
    service.eligibility_description = Text(s, "eligibility_description", p);
    service.fees = Codes(s, "fees", p, kAllFees);
    service.languages = LanguageCodes(s, p);
    service.accessibility = Codes(s, "accessibility", p, kAllAccessibilities);
    service.application_process = Text(s, "application_process", p);
    service.opening_hours = Text(s, "opening_hours", p);
    const json& at = List(s, "service_at_locations", p);
    for (std::size_t j = 0; j < at.size(); ++j) {
      const std::string ap = p + ".service_at_locations[" + std::to_string(j) + "]";
      RequireObject(at[j], ap, "service_at_locations");
      service.location_ids.push_back(Text(at[j], "location_id", ap));
    }
    o.services.push_back(std::move(service));
    c.service_places.push_back({0, p});
  }
  return c;
}

core::Result<Parsed> ReadHsds(std::string_view text, const std::string& territory) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& e) {
    const std::size_t end = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + end, '\n'));
    const std::size_t line_start = text.rfind('\n', end == 0 ? 0 : end - 1);
    const std::size_t column = end - (line_start == std::string_view::npos || end == 0 ? 0 : line_start + 1) + 1;
    return core::Error{core::ErrorCode::kInvalidInput,
                       "JSON invalide ligne " + std::to_string(line) + ", colonne " + std::to_string(column),
                       "hsds: JSON parse error at byte " + std::to_string(e.byte)};
  }
  const json* organizations = &document;
  std::string base = "$";
  if (document.is_object()) {
    organizations = Member(document, "organizations");
    base = "$.organizations";
  }
  if (organizations == nullptr || !organizations->is_array()) {
    return core::Error{core::ErrorCode::kInvalidInput, "HSDS : liste « organizations » attendue",
                       "hsds: no organizations array"};
  }
  Parsed parsed;
  std::map<std::string, std::string> organization_path;
  struct Owner {
    std::string organization_id;
    std::string path;
  };
  std::map<std::string, Owner> service_owner, location_owner;
  for (std::size_t i = 0; i < organizations->size(); ++i) {
    ++parsed.entries;
    const std::string path = base + "[" + std::to_string(i) + "]";
    Candidate c;
    try {
      c = ReadHsdsOrganization((*organizations)[i], path, territory);
    } catch (const JsonError& e) {
      Rejection r;
      r.json_path = e.path;
      r.reason = e.reason;
      parsed.rejected.push_back({i, std::move(r)});
      continue;
    }
    c.order = i;
    AssignMissingIds(c.organization, IdStrategy::kDerived);
    const Organization& o = c.organization;
    const auto duplicate = [&](const std::string& where, const std::string& key, const std::string& first) {
      Rejection r;
      r.json_path = where + ".id";
      r.reason = key + " : identifiant en double (déjà " + first + ")";
      parsed.rejected.push_back({i, std::move(r)});
    };
    if (const auto first = organization_path.find(o.id); first != organization_path.end()) {
      duplicate(path, "id", first->second);
      continue;
    }
    if (auto e = CheckOrganization(o)) {
      Reject(c, Locate(c, *e, Format::kHsds), parsed.rejected);
      continue;
    }
    bool taken = false;
    for (std::size_t k = 0; k < o.locations.size() && !taken; ++k) {
      const auto owner = location_owner.find(o.locations[k].id);
      taken = owner != location_owner.end() && owner->second.organization_id != o.id;
      if (taken) duplicate(c.location_places[k].path, "id", owner->second.path);
    }
    for (std::size_t k = 0; k < o.services.size() && !taken; ++k) {
      const auto owner = service_owner.find(o.services[k].id);
      taken = owner != service_owner.end() && owner->second.organization_id != o.id;
      if (taken) duplicate(c.service_places[k].path, "id", owner->second.path);
    }
    if (taken) continue;
    organization_path[o.id] = path;
    for (std::size_t k = 0; k < o.locations.size(); ++k) location_owner[o.locations[k].id] = {o.id, c.location_places[k].path};
    for (std::size_t k = 0; k < o.services.size(); ++k) service_owner[o.services[k].id] = {o.id, c.service_places[k].path};
    parsed.candidates.push_back(std::move(c));
  }
  return parsed;
}

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

ImportReport Apply(storage::Database& db, Format format, Parsed parsed, ImportMode mode, DryRun dry_run,
                   const ProgressCallback& progress) {
  ImportReport report;
  report.entries = parsed.entries;
  std::size_t done = parsed.entries;
  for (const Candidate& c : parsed.candidates) done -= c.rejected ? 0 : c.entries;
  if (progress) progress(done, parsed.entries);
  const long long now_s =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();

  soci::session sql(db.pool());
  storage::Database::Transaction transaction(sql, db.backend());
  DirectoryRepository repository(sql);
  for (Candidate& c : parsed.candidates) {
    if (c.rejected) continue;
    Organization incoming = c.organization;
    const auto previous = repository.Find(incoming.id);
    if (previous) KeepConfidentialDetails(incoming, *previous);
    if (auto taken = CheckIdsAvailable(repository, incoming)) {
      Reject(c, Locate(c, *taken, format), parsed.rejected);
      ReportSiblingRows(c, parsed.rejected);
    } else {
      Canonicalize(incoming);
      if (previous && *previous == incoming) {
        ++report.unchanged;
      } else {
        ++(previous ? report.updated : report.created);
        report.changed_organization_ids.push_back(incoming.id);
        // Once an all-or-nothing import has failed, writing more is wasted work.
        if (mode == ImportMode::kSkipInvalid || parsed.rejected.empty()) {
          repository.Save(incoming, previous, now_s);
        }
      }
    }
    done += c.entries;
    if (progress) progress(done, parsed.entries);
  }
  std::stable_sort(parsed.rejected.begin(), parsed.rejected.end(),
                   [](const OrderedRejection& a, const OrderedRejection& b) { return a.order < b.order; });
  for (OrderedRejection& r : parsed.rejected) report.rejected.push_back(std::move(r.rejection));
  if (dry_run == DryRun::kNo && (mode == ImportMode::kSkipInvalid || report.rejected.empty())) {
    transaction.Commit();
    report.written = true;
  }
  return report;
}

}  // namespace

std::string Rejection::Where() const { return line != 0 ? "line " + std::to_string(line) : json_path; }

core::Result<ImportReport> ImportDirectory(storage::Database& db, Format format, const std::string& territory_slug,
                                           std::istream& in, ImportMode mode, DryRun dry_run,
                                           const ProgressCallback& progress) {
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
  auto parsed = format == Format::kCsv ? ReadCsv(text, territory_slug) : ReadHsds(text, territory_slug);
  if (!parsed) return parsed.error();
  return Apply(db, format, std::move(parsed).value(), mode, dry_run, progress);
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
