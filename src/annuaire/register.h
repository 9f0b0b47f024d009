#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "annuaire/index.h"
#include "directory/service.h"
#include "geo/gazetteer.h"
#include "http/router.h"
#include "http/templates.h"
#include "territory/model.h"

namespace passerelle::annuaire {

struct AnnuaireSettings {
  // The instance's territory: its centre and default radius are searched when no place is
  // given, and results stay within it. Nullopt on a national instance.
  std::optional<territory::Territory> territory;
  // Map tiles ("https://tiles.example.fr/{z}/{x}/{y}.png"); empty: no map, the list only.
  std::string tile_url;
  std::string tile_attribution;
  // Requests per client and minute to /api/v1/ (429 with Retry-After beyond).
  std::size_t api_requests_per_minute = 60;
  // INSEE code → slug of the territory holding that commune (a national instance's territories):
  // a list page searched around one of them says so in its `visit_scope`.
  std::map<std::string, std::string> territory_of_commune;
};

// The public directory: `/annuaire` (list with a GET form, works without JavaScript; the map is
// an enhancement), `/annuaire/{id}` (one service), and the JSON API `GET /api/v1/services`,
// `GET /api/v1/services/{id}`, `GET /api/v1/communes?q=`. The objects must outlive the router.
void RegisterAnnuaire(http::Router& router, const http::Renderer& renderer, const ServiceIndex& index,
                      const directory::DirectoryService& directory, const geo::Gazetteer& gazetteer,
                      AnnuaireSettings settings);

}  // namespace passerelle::annuaire
