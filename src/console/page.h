#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "accounts/policy.h"
#include "accounts/session.h"
#include "http/message.h"
#include "http/templates.h"

namespace passerelle::console {

// A console page: templates/pro/<name>.mustache in the professional layout, with the form token
// and the signed-in navigation; the title starts with "Erreur : " when `data` has errors
// (`has_errors`, as accounts::ErrorData builds it).
http::Response Page(const http::Renderer& renderer, const http::Request& request, const accounts::Principal& principal,
                    int status, const std::string& name, const std::string& title, nlohmann::json data);

// "/pro/territoires/<slug>" and, with a section, "/pro/territoires/<slug>/<section>".
std::string TerritoryPath(const std::string& slug, const std::string& section = "");

// Coordinators of the territory named in the path ({territory}) and operators.
accounts::Access ManagersOfTerritory();
// Operators only.
accounts::Access Operators();

}  // namespace passerelle::console
