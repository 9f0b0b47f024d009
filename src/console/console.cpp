#include "console/console.h"

#include <memory>

#include "console/census.h"
#include "console/audit_log.h"
#include "console/freshness.h"
#include "console/page.h"
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
  sections.push_back({{"href", TerritoryPath(slug, "acteurs")},
                      {"label", "Acteurs du territoire"},
                      {"summary",
                       "Recensement : ajouter, modifier, fermer, archiver et publier les organisations, "
                       "leurs lieux et leurs services."}});
  sections.push_back({{"href", TerritoryPath(slug, "fraicheur")},
                      {"label", "Fraîcheur des informations"},
                      {"summary", "Vérification périodique par les organisations, entrées à vérifier, rappels."}});
  sections.push_back({{"href", TerritoryPath(slug, "journal")},
                      {"label", "Journal d’audit"},
                      {"summary", "Qui a fait quoi et quand dans le territoire, et l’intégrité du journal."}});
  if (principal.role == accounts::Role::kOperator) {
    sections.push_back({{"href", "/pro/journal"},
                        {"label", "Journal d’audit de tous les territoires"},
                        {"summary", "Pour l’exploitation : toutes les entrées, y compris celles sans territoire."}});
  }
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
  RegisterCensus(*context);
  RegisterFreshness(*context);
  RegisterAuditLog(*context);
}

}  // namespace passerelle::console
