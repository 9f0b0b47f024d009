#pragma once

#include <string>

#include "http/router.h"
#include "territory/repository.h"

namespace passerelle::territory {

// `/sortie`: the quick exit. Asks the browser to clear this site's cache, cookies and storage
// and sends it to a neutral site: the territory's (`?t=slug`) or `default_exit_url`.
void RegisterTerritory(http::Router& router, const TerritoryRepository& territories,
                       std::string default_exit_url);

}  // namespace passerelle::territory
