#pragma once

#include <optional>
#include <vector>

#include "geo/gazetteer.h"
#include "territory/model.h"
#include "territory/repository.h"

namespace passerelle::territory {

// A territory's record of a gazetteer commune: INSEE code, name and its first postal code.
Commune FromGazetteer(const geo::Commune& commune);

// ProposeCentre from the gazetteer's points of `communes` (those it knows; nothing when it
// knows none). The web form and `passerelle territory` both propose with it.
std::optional<CentreProposal> ProposeCentre(const geo::Gazetteer& gazetteer, const std::vector<Commune>& communes);

}  // namespace passerelle::territory
