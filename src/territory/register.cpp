#include "territory/register.h"

namespace passerelle::territory {

void RegisterTerritory(http::Router& router, const TerritoryRepository& territories,
                       std::string default_exit_url) {
  router.Get("/sortie", [&territories, default_exit_url](http::Request& request) {
    std::string destination = default_exit_url;
    if (const auto slug = request.QueryParams().Get("t"); slug && !slug->empty()) {
      if (const auto territory = territories.Find(*slug)) destination = territory->neutral_exit_url;
    }
    http::Response response = http::Response::Redirect(303, destination);
    response.SetHeader("Clear-Site-Data", "\"cache\", \"cookies\", \"storage\"");
    return response;
  });
}

}  // namespace passerelle::territory
