#include "console/console.h"

#include <memory>

#include "console/page.h"
#include "console/statistics.h"
#include "territory/service.h"

namespace passerelle::console {

namespace {

using nlohmann::json;

// The hub of a territory: one link per section of the console.
http::Response Hub(const ConsoleContext& context, http::Request& request, const accounts::Principal& principal) {
  const std::string slug = request.Param("territory");
  const auto territory = territory::TerritoryService(context.db).Find(slug);
  const std::string name = territory ? territory->name : slug;
  json sections = json::array();
  // One line per section, in the order a new coordinator needs them.
  sections.push_back({{"href", TerritoryPath(slug, "delais")},
                      {"label", "Délais des demandes"},
                      {"summary", "Rappels, alertes, expiration et effacement des demandes."}});
  sections.push_back({{"href", TerritoryPath(slug, "statistiques")},
                      {"label", "Statistiques et besoins sans réponse"},
                      {"summary",
                       "Visites, parcours, demandes et leurs suites, besoins sans réponse par commune ; "
                       "export CSV et synthèse imprimable."}});
  return Page(context.renderer, request, principal, 200, "console_home", name,
              {{"name", name}, {"slug", slug}, {"sections", sections}});
}

}  // namespace

void RegisterConsole(const ConsoleContext& given) {
  auto context = std::make_shared<ConsoleContext>(given);
  context->routes.Get("/pro/territoires/{territory}", ManagersOfTerritory(),
                      [context](http::Request& request, const accounts::Principal& principal) {
                        return Hub(*context, request, principal);
                      });
  RegisterStatistics(*context);
}

}  // namespace passerelle::console
