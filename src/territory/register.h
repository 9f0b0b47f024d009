#pragma once

#include <functional>
#include <string>

#include "http/router.h"
#include "territory/repository.h"

namespace passerelle::territory {

// What else the quick exit forgets on the server (her draft, ADR 0011), given the request and
// the response it may add headers to.
using ExitHook = std::function<void(const http::Request&, http::Response&)>;

// `/sortie`: the quick exit. Asks the browser to clear this site's cache, cookies and storage
// and sends it to a neutral site: the territory's (`?t=slug`) or `default_exit_url`; calls
// `on_exit` (when given) first.
void RegisterTerritory(http::Router& router, const TerritoryRepository& territories, std::string default_exit_url,
                       ExitHook on_exit = {});

}  // namespace passerelle::territory
