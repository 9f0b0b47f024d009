#include "territory/communes.h"

#include <utility>

namespace passerelle::territory {

Commune FromGazetteer(const geo::Commune& commune) {
  return {commune.insee_code, commune.name, commune.postal_codes.empty() ? "" : commune.postal_codes.front()};
}

std::optional<CentreProposal> ProposeCentre(const geo::Gazetteer& gazetteer, const std::vector<Commune>& communes) {
  std::vector<std::pair<double, double>> points;
  for (const Commune& c : communes) {
    if (const geo::Commune* known = gazetteer.FindByInsee(c.insee_code)) points.emplace_back(known->lat, known->lon);
  }
  return ProposeCentre(points);
}

}  // namespace passerelle::territory
