#pragma once

#include <string>
#include <vector>

#include "console/console.h"
#include "content/library.h"

// Local sheets (issue 11 §1, docs/territory-console.md "Local sheets"):
// /pro/territoires/{territory}/fiches, for the coordinators of the territory and operators. A
// territory's own version of a practical sheet (or a sheet only it has) is kept in the table
// territory_sheet (migration 0021) as the text a file would hold, and checked by the code of
// `passerelle content check` (content::CheckLocalSheets, then SheetLibrary::Load).
namespace passerelle::console {

void RegisterSheets(const ConsoleContext& context);

// The console's sheets of `territory_slug`, as content::SheetLibrary::Load takes them.
std::vector<content::LocalSheet> ReadLocalSheets(storage::Database& db, const std::string& territory_slug);

}  // namespace passerelle::console
