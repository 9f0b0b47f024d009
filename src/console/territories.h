#pragma once

#include "console/console.h"

namespace passerelle::console {

// The territories section (issue 11 §1, docs/territory-console.md "Territories"):
//  - operators create a territory (/pro/territoires/nouveau), with a search of the gazetteer
//    whose results are added in bulk, and edit, archive or restore one
//    (/pro/territoires/{territory}/modifier, …/archiver);
//  - the managers of a territory edit its youth services, emergency numbers and neutral exit
//    site (/pro/territoires/{territory}/parametres).
// Every field is checked by territory::Check (the command line's and the demo data's check);
// every write is audited in its transaction. Must be registered before the hub's
// /pro/territoires/{territory}, which would otherwise take /pro/territoires/nouveau.
void RegisterTerritories(const ConsoleContext& context);

}  // namespace passerelle::console
