#include "directory/model.h"

#include <algorithm>

namespace passerelle::directory {

void Canonicalize(Organization& organization) {
  const auto by_id = [](const auto& a, const auto& b) { return a.id < b.id; };
  std::sort(organization.locations.begin(), organization.locations.end(), by_id);
  std::sort(organization.services.begin(), organization.services.end(), by_id);
  for (Service& service : organization.services) {
    std::sort(service.location_ids.begin(), service.location_ids.end());
  }
}

}  // namespace passerelle::directory
