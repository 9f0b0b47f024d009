#include "help/register.h"

namespace passerelle::help {

void RegisterHelp(http::Router& router, const http::Renderer& renderer,
                  stats::StatsRepository& stats, std::string territory_slug) {
  // Neutral title: it shows in the history.
  constexpr const char* kTitle = "Aide";
  router.Get("/aide", [&renderer](http::Request& request) {
    return renderer.Page(request, 200, "pages/aide", kTitle, nlohmann::json::object());
  });
  router.Post("/aide", [&renderer, &stats, territory_slug](http::Request& request) {
    stats.Increment(stats::StatEvent::kHelpButtonClick, territory_slug, "",
                    std::chrono::system_clock::now());
    return renderer.Page(request, 200, "pages/aide", kTitle, nlohmann::json::object());
  });
}

}  // namespace passerelle::help
