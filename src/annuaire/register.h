#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "annuaire/index.h"
#include "directory/service.h"
#include "geo/gazetteer.h"
#include "http/router.h"
#include "http/templates.h"
#include "territory/live.h"

namespace passerelle::annuaire {

struct AnnuaireSettings {
  // The instance's territory ("" on a national instance): its centre and default radius are
  // searched when no place is given, and results stay within it.
  std::string territory_slug;
  // The territories now (territory::LiveTerritories::Current), asked once per request: the
  // instance's own by `territory_slug`; on a national instance, the active territory holding a
  // commune searched names a list page's `visit_scope`. Null: none known.
  std::function<std::shared_ptr<const territory::TerritorySet>()> territories;
  // Map tiles ("https://tiles.example.fr/{z}/{x}/{y}.png"); empty: no map, the list only.
  std::string tile_url;
  std::string tile_attribution;
  // Requests per client and minute to /api/v1/ (429 with Retry-After beyond).
  std::size_t api_requests_per_minute = 60;
};

// The public directory: `/annuaire` (list with a GET form, works without JavaScript; the map is
// an enhancement), `/annuaire/{id}` (one service), and the JSON API `GET /api/v1/services`,
// `GET /api/v1/services/{id}`, `GET /api/v1/communes?q=`. The objects must outlive the router.
void RegisterAnnuaire(http::Router& router, const http::Renderer& renderer, const ServiceIndex& index,
                      const directory::DirectoryService& directory, const geo::Gazetteer& gazetteer,
                      AnnuaireSettings settings);

}  // namespace passerelle::annuaire
