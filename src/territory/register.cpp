#include "territory/register.h"

namespace passerelle::territory {

void RegisterTerritory(http::Router& router, const TerritoryRepository& territories,
                       std::string default_exit_url) {
  // The quick exit never waits behind searches or logins.
  const http::Router::ClassScope help_class(router, http::Priority::kHelp);
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
