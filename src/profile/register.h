#pragma once

#include <string_view>

#include "accounts/policy.h"
#include "accounts/session.h"
#include "directory/service.h"
#include "http/templates.h"
#include "storage/database.h"

namespace passerelle::profile {

// Kind of the change requests in paths ({change}); its ownership resolver is
// registered by RegisterProfile: a request belongs to its organization and that
// organization's territory.
inline constexpr std::string_view kChangeObject = "organization_change";
// Kind of the services in paths ({service}), resolver registered by RegisterProfile: a service
// belongs to its organization and that organization's territory (the access matrix found the
// service pages checking it in the handler only; issue 4 §8 wants it in the one policy).
inline constexpr std::string_view kServiceObject = "service";

// The organization profile pages of the professional space (issue 4 §9,
// docs/organization-profile.md), all declared on `routes` (deny by default):
//   GET       /pro/organisations                                  organizations
//   the viewer may open GET|POST  /pro/organisations/{organization}/profil
//   contact data (members, coordinators
//                                                                 of its
//                                                                 territory,
//                                                                 operators)
//   POST      /pro/organisations/{organization}/accepte-demandes  "accepte des
//   demandes en ce moment" GET|POST
//   /pro/organisations/{organization}/services/{service} a service's practical
//   details GET|POST  /pro/organisations/{organization}/adresse-notification
//   ask for a new address (members) POST /pro/organisations/{organization}/cle
//   ask for a new key (members) GET       /pro/approbations pending requests
//   (coordinators, operators) POST      /pro/approbations/{change} approve or
//   reject (decision=approuver|rejeter)
// Everything given must outlive the router.
void RegisterProfile(accounts::ProRoutes& routes, const http::Renderer& renderer, storage::Database& db,
                     directory::DirectoryService& directory, accounts::Clock clock);

}  // namespace passerelle::profile
