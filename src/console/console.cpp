#include "console/console.h"

#include <memory>

#include "console/audit_log.h"
#include "console/census.h"
#include "console/freshness.h"
#include "console/import.h"
#include "console/invitations.h"
#include "console/page.h"
#include "console/sheets.h"
#include "console/statistics.h"
#include "console/territories.h"
#include "console/wording.h"
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
  const auto add = [&sections](std::string href, std::string label, std::string summary) {
    sections.push_back({{"href", std::move(href)}, {"label", std::move(label)}, {"summary", std::move(summary)}});
  };
  const bool operator_ = principal.role == accounts::Role::kOperator;
  // One line per section, in the order a new coordinator needs them.
  add(TerritoryPath(slug, "parametres"), "Paramètres locaux",
      "Services pour les mineurs, numéros d’urgence et site neutre de la sortie rapide.");
  add(TerritoryPath(slug, "acteurs"), "Acteurs du territoire",
      "Recensement : ajouter, modifier, fermer, archiver et publier les organisations, leurs lieux et leurs "
      "services.");
  add(TerritoryPath(slug, "import"), "Importer ou télécharger les acteurs",
      "Fichier CSV ou HSDS : aperçu des changements, puis application en une fois ; téléchargement.");
  add(TerritoryPath(slug, "textes"), "Textes locaux",
      "Les questions de l’aide et leurs réponses dans les mots du territoire, avec un aperçu.");
  add(TerritoryPath(slug, "fiches"), "Fiches locales",
      "Les fiches pratiques dans la version du territoire, avec un aperçu ; retour à la version nationale.");
  add(TerritoryPath(slug, "membres"), "Membres des organisations",
      "Inviter un membre, réactiver un compte, renvoyer une invitation expirée.");
  add(TerritoryPath(slug, "fraicheur"), "Fraîcheur des informations",
      "Vérification périodique par les organisations, entrées à vérifier, rappels.");
  add(TerritoryPath(slug, "statistiques"), "Statistiques et besoins sans réponse",
      "Visites, demandes, suites données, besoins sans réponse par commune ; export et synthèse imprimable.");
  add(TerritoryPath(slug, "delais"), "Délais des demandes", "Rappels, alertes, expiration et effacement des demandes.");
  // Declared by src/duty (issue 12 §1): the week's on-duty hours of every service.
  add(TerritoryPath(slug, "permanences"), "Permanences de la semaine",
      "Les heures de permanence de chaque service, jour par jour, et les services sans permanence.");
  add(TerritoryPath(slug, "journal"), "Journal d’audit",
      "Qui a fait quoi et quand dans le territoire, et l’intégrité du journal.");
  if (operator_) {
    add(TerritoryPath(slug, "modifier"), "Modifier ou archiver le territoire",
        "Nom, communes, centre et rayon, langues ; archivage (opérateurs).");
    add(TerritoryPath(slug, "coordination/inviter"), "Inviter une coordinatrice ou un coordinateur",
        "Le compte de la personne qui coordonnera ce territoire (opérateurs).");
    add("/pro/journal", "Journal d’audit de tous les territoires",
        "Pour l’exploitation : toutes les entrées, y compris celles sans territoire.");
    add("/pro/statistiques", "Statistiques de tous les territoires", "Chaque territoire et le total national.");
  }
  return Page(context.renderer, request, principal, 200, "console_home", name,
              {{"name", name}, {"slug", slug}, {"sections", sections}});
}

}  // namespace

std::shared_ptr<ImportRunner> RegisterConsole(const ConsoleContext& given) {
  // Before the hub: /pro/territoires/nouveau would otherwise be taken for a territory.
  RegisterTerritories(given);
  RegisterInvitations(given);
  auto context = std::make_shared<ConsoleContext>(given);
  context->routes.Get("/pro/territoires/{territory}", ManagersOfTerritory(),
                      [context](http::Request& request, const accounts::Principal& principal) {
                        return Hub(*context, request, principal);
                      });
  RegisterCensus(*context);
  RegisterFreshness(*context);
  RegisterAuditLog(*context);
  auto imports = RegisterImport(*context);
  RegisterStatistics(*context);
  RegisterWording(*context);
  RegisterSheets(*context);
  return imports;
}

}  // namespace passerelle::console
