#pragma once

#include <string>

#include "console/console.h"
#include "help/flow_file.h"

// Local wording of the help flow (issue 11 §1, docs/territory-console.md "Local wording"):
// /pro/territoires/{territory}/textes, for the coordinators of the territory and operators. The
// wording is kept in the table territory_wording (migration 0017) and checked by the code of
// `passerelle flow check` (help::LoadTerritoryFlow: the override parser, then CheckFlow).
namespace passerelle::console {

void RegisterWording(const ConsoleContext& context);

// The console's wording of `territory_slug`, by locale, as help::FlowLibrary::Load takes it.
help::WebWording ReadFlowWording(storage::Database& db, const std::string& territory_slug);

}  // namespace passerelle::console
