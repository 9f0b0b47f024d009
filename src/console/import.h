#pragma once

#include <memory>

#include "console/console.h"
#include "console/import_runner.h"

namespace passerelle::console {

// The census by file (docs/territory-console.md "Import"): upload a CSV or HSDS file, see its dry
// run (created, changed field by field, unchanged, errors by line or JSON path), apply it all or
// nothing; download the territory's full professional data as CSV or HSDS.
//   GET  /pro/territoires/{territory}/import               the form; ?envoi=<id>: the dry run
//   POST /pro/territoires/{territory}/import               multipart upload (up to 64 Mio)
//   POST /pro/territoires/{territory}/import/appliquer     applies the kept file
//   GET  /pro/territoires/{territory}/export.csv|json      the download (no-store, audited)
// Returns the thread that checks and applies the files (docs/territory-console.md "Progress").
std::shared_ptr<ImportRunner> RegisterImport(const ConsoleContext& context);

}  // namespace passerelle::console
