#pragma once

#include <filesystem>
#include <ostream>
#include <string>

#include "storage/database.h"

namespace passerelle::geo {

// `passerelle gazetteer import FILE`: imports an official communes file (layout of
// ../shared/data/communes-fr.csv) into a migrated database. Prints a summary to `out`; on a bad
// file prints every reported line with its column and reason to `err` and writes nothing.
// Returns the process exit code (0 or 1).
int RunGazetteerImport(storage::Database& db, const std::filesystem::path& file, std::ostream& out, std::ostream& err);

// `passerelle gazetteer load [FILE]`: loads the default gazetteer built at setup by
// scripts/build-gazetteer.mjs (build/gazetteer/communes.csv); official and corrected communes
// are kept. Same conventions as RunGazetteerImport.
int RunGazetteerLoadDefault(storage::Database& db, const std::filesystem::path& file, std::ostream& out,
                            std::ostream& err);

// `passerelle gazetteer correct INSEE LAT LON`: a coordinator's correction of one commune's
// point, kept by later loads and imports. 0, or 1 with the reason on `err`.
int RunGazetteerCorrect(storage::Database& db, const std::string& insee, double lat, double lon, std::ostream& out,
                        std::ostream& err);

}  // namespace passerelle::geo
