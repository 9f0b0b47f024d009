#pragma once

#include "console/console.h"

// Freshness of the directory (issue 11 §3, docs/territory-console.md "Freshness"): the console
// page /pro/territoires/{territory}/fraicheur (the period, the stale entries first, the
// one-click reminder) and the pages of the signed link of the e-mail, /pro/fraicheur/{token}
// (anonymous: the link is the credential). The data and the job are in directory/freshness.h.
namespace passerelle::console {

void RegisterFreshness(const ConsoleContext& context);

}  // namespace passerelle::console
