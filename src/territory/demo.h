#pragma once

#include <vector>

#include "territory/model.h"

namespace passerelle::territory {

// The demonstration territories: Paris 10e and the Montreuillois (Pas-de-Calais). Marked as
// demonstration data; their local numbers are fictional, national numbers are real.
std::vector<Territory> DemoTerritories();

// The national emergency numbers shown on every page.
std::vector<EmergencyContact> NationalEmergencyContacts();

}  // namespace passerelle::territory
