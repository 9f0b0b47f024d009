#pragma once

#include <cstddef>
#include <filesystem>
#include <istream>
#include <string>
#include <vector>

#include "core/result.h"
#include "geo/model.h"

namespace passerelle::geo {

enum class LineProblem {
  kMissingColumn,       // the header lacks a required column
  kMalformedLine,       // wrong number of fields, unterminated quote
  kUnknownCommuneType,  // not COM, ARM or COMD
  kMissingInseeCode,
  kBadInseeCode,
  kMissingName,
  kBadPostalCode,
  kBadCoordinates,  // not a number, out of range, or only one of the two
  kOutsideFrance,   // a valid point outside the commune's département or collectivity
  kBadPopulation,
  kBadPrecision,        // default gazetteer only
  kDuplicateInseeCode,  // same INSEE code and postal code twice, or conflicting data
  kNoCoordinates,       // none given, none stored, and no commune of the file to borrow from
};

// One problem of an input file: line (1-based, the header is line 1), column name as in the
// header (empty for the whole line), and the reason in French, prefixed with both.
struct LineIssue {
  std::size_t line;
  std::string column;
  LineProblem problem;
  std::string message;  // "ligne 12, colonne lat : coordonnée invalide « 4x.5 »"
};

inline constexpr std::size_t kMaxReportedIssues = 20;

struct ParsedCommune {
  Commune commune;
  std::size_t line;      // its first line
  bool has_coordinates;  // false: both lat and lng were empty (official file only)
};

struct CommuneFile {
  std::vector<ParsedCommune> communes;  // in file order, one per INSEE code
  std::vector<LineIssue> issues;        // the first kMaxReportedIssues
  std::size_t issue_count = 0;
  std::size_t rows = 0;            // data rows, header excluded
  std::size_t delegated_rows = 0;  // COMD rows (names only)

  void AddIssue(std::size_t line, std::string column, LineProblem problem, std::string reason);
};

// The official communes file (columns insee_com, commune, commune_article, code_postal,
// commune_type, insee_parente, lat, lng, population_2021; others ignored): one row per commune
// and postal code. COM and ARM rows become communes (their postal codes merged, precision
// kOfficial); a COMD row (commune déléguée, which shares its commune's INSEE code) only adds its
// name to its commune's former names. Rows with both coordinates empty are kept without
// coordinates for the caller to complete.
CommuneFile ParseOfficialCommunes(std::istream& in);

// The default gazetteer written by scripts/build-gazetteer.mjs (see its header for the columns).
CommuneFile ParseDefaultGazetteer(std::istream& in);

// The error for a file with issues: every reported issue on its own line, in French.
core::Error DescribeIssues(const CommuneFile& file, std::string_view what);

// Reads and validates the default gazetteer file.
core::Result<std::vector<Commune>> ReadGazetteerCsv(const std::filesystem::path& path);

}  // namespace passerelle::geo
