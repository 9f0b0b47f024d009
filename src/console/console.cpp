#include "console/console.h"

#include <memory>

#include "console/invitations.h"
#include "console/page.h"
#include "console/territories.h"
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
  sections.push_back({{"href", TerritoryPath(slug, "membres")},
                      {"label", "Membres des organisations"},
                      {"summary", "Inviter un membre, réactiver un compte, renvoyer une invitation expirée."}});
  sections.push_back({{"href", TerritoryPath(slug, "parametres")},
                      {"label", "Paramètres locaux"},
                      {"summary", "Services pour les mineurs, numéros d’urgence et site neutre de la sortie rapide."}});
  if (principal.role == accounts::Role::kOperator) {
    sections.push_back({{"href", TerritoryPath(slug, "modifier")},
                        {"label", "Modifier ou archiver le territoire"},
                        {"summary", "Nom, communes, centre et rayon, langues ; archivage (opérateurs)."}});
  }
  return Page(context.renderer, request, principal, 200, "console_home", name,
              {{"name", name}, {"slug", slug}, {"sections", sections}});
}

}  // namespace

void RegisterConsole(const ConsoleContext& given) {
  // Before the hub: /pro/territoires/nouveau would otherwise be taken for a territory.
  RegisterTerritories(given);
  RegisterInvitations(given);
  auto context = std::make_shared<ConsoleContext>(given);
  context->routes.Get("/pro/territoires/{territory}", ManagersOfTerritory(),
                      [context](http::Request& request, const accounts::Principal& principal) {
                        return Hub(*context, request, principal);
                      });
}

}  // namespace passerelle::console
