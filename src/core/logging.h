#pragma once

namespace passerelle::core {

// One line per event, `key=value` pairs (logfmt) on stderr. Never log personal data, tokens,
// form content, query strings or report content: log ids, routes, statuses and durations.
void SetUpLogging();

}  // namespace passerelle::core
