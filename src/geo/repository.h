#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "geo/model.h"
#include "storage/database.h"

namespace passerelle::geo {

struct DefaultLoadSummary {
  std::size_t communes = 0;  // in the file
  std::size_t inserted = 0;
  std::size_t updated = 0;
  std::size_t kept = 0;  // official or corrected rows left as they were
};

struct ImportSummary {
  std::size_t rows = 0;             // data rows of the file
  std::size_t communes = 0;         // COM kept (one per INSEE code)
  std::size_t arrondissements = 0;  // ARM kept
  std::size_t delegated_rows = 0;   // COMD rows, kept as former names of their commune
  std::size_t inserted = 0;
  std::size_t updated = 0;
  std::size_t corrections_kept = 0;      // coordinates set by a coordinator, left as they were
  std::size_t coordinates_kept = 0;      // rows without coordinates: the stored ones kept
  std::size_t coordinates_borrowed = 0;  // rows without coordinates: a postal-code neighbour's
};

// Every stored commune, by INSEE code (to build a Gazetteer at start-up).
std::vector<Commune> ReadCommunes(storage::Database& db);
std::size_t CountCommunes(storage::Database& db);
// The communes an address may lie in (to place it on the map, issue 11 §2): the commune of
// `insee_code` when it is known, else those whose postal codes include `postal_code`: an
// arrondissement municipal first (75018: Paris 18e before Paris), then most populous first. The
// gazetteer holds communes, not streets: their centre is the best guess.
std::vector<Commune> FindCommunesOfAddress(storage::Database& db, std::string_view insee_code,
                                           std::string_view postal_code);

// The names of the given communes, by INSEE code (unknown codes are left out): the statistics'
// gap analysis names a few communes without loading the gazetteer.
std::map<std::string, std::string> CommuneNames(storage::Database& db, const std::vector<std::string>& insee_codes);

// Loads the default gazetteer (scripts/build-gazetteer.mjs) into the table: inserts new communes
// and refreshes those still carrying default coordinates; official and corrected rows are left
// as they are. A file with any invalid line writes nothing.
[[nodiscard]] core::Result<DefaultLoadSummary> LoadDefaultGazetteer(storage::Database& db,
                                                                    const std::filesystem::path& csv_path);

// `passerelle gazetteer import FILE`: upserts every commune and arrondissement of an official
// file (layout of ParseOfficialCommunes) with precision "official", in one transaction. A
// coordinator's correction keeps its coordinates. A row without coordinates keeps the stored
// ones, else borrows those of the file's most populous commune sharing its postal code. Any
// invalid line (reported with its line, column and reason) makes the whole file write nothing.
[[nodiscard]] core::Result<ImportSummary> ImportOfficialCommunes(storage::Database& db,
                                                                 const std::filesystem::path& path);

// A coordinator's correction: new coordinates for one commune, precision "corrected".
[[nodiscard]] core::Result<core::Ok> CorrectCommune(storage::Database& db, std::string_view insee_code, double lat,
                                                    double lon);

}  // namespace passerelle::geo
