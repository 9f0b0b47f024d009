#pragma once

#include <nlohmann/json.hpp>

#include "help/flow.h"
#include "help/matching.h"
#include "help/register.h"
#include "help/service.h"

// What a help page shows: the data of templates/help/question.mustache, which the JSON API also
// sends (`node`) and renders (`html`). Rendering only: what a step decides (matching, counts, the
// proposals sealed in the token) is HelpService's (service.h).
namespace passerelle::help {

// Everything a front end needs to show the node of `shown`, worded for the person she asks for,
// the fixed texts through `translate` (her language).
nlohmann::json NodeView(const Flow& flow, const ShownStep& shown, const HelpService& service,
                        const HelpSettings& settings, const TranslateFn& translate);

// The emergency numbers of the instance's territory (`own`), or the national ones (null).
nlohmann::json EmergencyContacts(const territory::Territory* own);

}  // namespace passerelle::help
