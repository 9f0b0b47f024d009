#include "territory/register.h"

namespace passerelle::territory {

void RegisterTerritory(http::Router& router, const TerritoryRepository& territories, std::string default_exit_url,
                       ExitHook on_exit) {
  // The quick exit never waits behind searches or logins.
  const http::Router::ClassScope help_class(router, http::Priority::kHelp);
  router.Get("/sortie", [&territories, default_exit_url, on_exit](http::Request& request) {
    std::string destination = default_exit_url;
    if (const auto slug = request.QueryParams().Get("t"); slug && !slug->empty()) {
      if (const auto territory = territories.Find(*slug)) destination = territory->neutral_exit_url;
    }
    http::Response response = http::Response::Redirect(303, destination);
    response.SetHeader("Clear-Site-Data", "\"cache\", \"cookies\", \"storage\"");
    // Her server-side draft goes too (ADR 0011): the cookie alone would leave it for two hours.
    if (on_exit) on_exit(request, response);
    return response;
  });
}

}  // namespace passerelle::territory
