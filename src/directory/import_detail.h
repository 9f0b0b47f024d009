#pragma once

// Shared by the parts of ImportDirectory (import.h), and by nothing else: what the CSV reader
// (import_csv.cpp) and the HSDS reader (import_hsds.cpp) hand to the writer (import.cpp).

#include <array>
#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "directory/import.h"
#include "directory/model.h"
#include "directory/validation.h"

namespace passerelle::directory::import_detail {

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
  std::size_t entries = 0;  // rows (CSV) or 1 (HSDS), for the progress callback
  std::size_t order = 0;    // sort key of its rejections (HSDS: index in the file)
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

// « value », for messages.
std::string Quoted(std::string_view value);
// Without leading and trailing spaces and tabs.
std::string Trim(std::string_view text);
// ASCII letters in lower case.
std::string Lower(std::string_view text);

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

// The CSV column that holds a field of CheckOrganization's FieldError.
std::string CsvColumn(Entity entity, const std::string& field);

// The rejection for a FieldError of CheckOrganization or CheckIdsAvailable on `c.organization`.
OrderedRejection Locate(const Candidate& c, const FieldError& e, Format format);

// Reject marks the organization rejected for one reason; ReportSiblingRows then reports its
// other CSV rows too, since none of them is imported.
void Reject(Candidate& c, OrderedRejection rejection, std::vector<OrderedRejection>& out);
void ReportSiblingRows(const Candidate& c, std::vector<OrderedRejection>& out);

// The organizations of a file, or the error that stops the whole file (a missing or unknown
// column, a file that is not JSON). Rows and objects that cannot be read are rejections.
core::Result<Parsed> ReadCsv(std::string_view text, const std::string& territory);
core::Result<Parsed> ReadHsds(std::string_view text, const std::string& territory);

}  // namespace passerelle::directory::import_detail
