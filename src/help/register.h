#pragma once

#include <string>

#include "http/router.h"
#include "http/templates.h"
#include "stats/repository.h"

namespace passerelle::help {

// "J'ai besoin d'aide". The button on every page posts to /aide, which counts the click for the
// territory and shows the page; GET /aide shows it too (links, back button). Until the guided
// questions land, the page gives the emergency numbers.
void RegisterHelp(http::Router& router, const http::Renderer& renderer,
                  stats::StatsRepository& stats, std::string territory_slug);

}  // namespace passerelle::help
