// The CSV reader of ImportDirectory (docs/data-formats.md).
#include <algorithm>
#include <charconv>
#include <optional>
#include <stdexcept>

#include "directory/csv.h"
#include "directory/import_detail.h"
#include "directory/service.h"

namespace passerelle::directory::import_detail {

namespace {

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
        throw CellError{"phones",
                        "type de numéro inconnu " + Quoted(type) + " (" + ExpectedCodes(kAllPhoneTypes) + ")"};
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

}  // namespace

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
          const auto first_it =
              std::find_if(services.begin(), services.end(), [&](const Service& other) { return other.id == s.id; });
          if (first_it == services.end()) throw std::logic_error("csv import: repeated service not found");
          Service& first = *first_it;
          if (location_id.empty())
            throw CellError{"service_id", "identifiant en double (déjà ligne " + first_line + ")"};
          if (std::find(first.location_ids.begin(), first.location_ids.end(), location_id) !=
              first.location_ids.end()) {
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

}  // namespace passerelle::directory::import_detail
