#pragma once

#include "console/console.h"

// Statistics and gap analysis of the territory console (issue 11 §4; docs/territory-console.md
// "Statistics"): /pro/territoires/{territory}/statistiques for the territory's coordinators (and
// operators), /pro/statistiques for operators (every territory and the national total), each
// with its CSV export (…/statistiques.csv?table=…) and a printable one-page summary
// (…/statistiques/synthese). Every figure under the threshold is shown as "< 5".
namespace passerelle::console {

void RegisterStatistics(const ConsoleContext& context);

}  // namespace passerelle::console
