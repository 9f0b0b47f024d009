#include "console/page.h"

namespace passerelle::console {

http::Response Page(const http::Renderer& renderer, const http::Request& request, const accounts::Principal& principal,
                    int status, const std::string& name, const std::string& title, nlohmann::json data) {
  data["pro_csrf"] = accounts::FormToken(request, principal);
  data["signed_in"] = true;
  data["pro_nav"] = accounts::NavLinks(principal);
  const bool errors = data.value("has_errors", false);
  return renderer.Page(request, status, "pro/" + name, errors ? "Erreur : " + title : title, data);
}

std::string TerritoryPath(const std::string& slug, const std::string& section) {
  std::string path = "/pro/territoires/" + slug;
  if (!section.empty()) path += "/" + section;
  return path;
}

accounts::Access ManagersOfTerritory() {
  return accounts::Access::Roles({accounts::Role::kCoordinator, accounts::Role::kOperator},
                                 {{"territory", std::string(accounts::kTerritoryObject)}});
}

accounts::Access Operators() { return accounts::Access::Roles({accounts::Role::kOperator}); }

}  // namespace passerelle::console
