#pragma once

#include "console/console.h"

// The audit log viewer (issue 11 §5, docs/territory-console.md "Audit log"):
// /pro/territoires/{territory}/journal (the territory's entries, for its coordinators and the
// operators) and /pro/journal (every entry, operators), with filters, pages and the result of
// the chain check (`audit verify`). Reading only; the entries hold no personal data.
namespace passerelle::console {

void RegisterAuditLog(const ConsoleContext& context);

}  // namespace passerelle::console
