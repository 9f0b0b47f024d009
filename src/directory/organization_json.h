#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "directory/model.h"

namespace passerelle::directory {

// Stable codes as a JSON array: ["legal", "shelter"].
template <typename Enum>
nlohmann::json CodesJson(const std::vector<Enum>& values) {
  nlohmann::json out = nlohmann::json::array();
  for (const Enum& value : values) out.push_back(std::string(CodeOf(value)));
  return out;
}

// An organization's own fields, its phones included, as the public API and the HSDS export
// both give them (docs/data-formats.md). Each adds its own locations and services, and the
// export its visibility. `O` is an Organization or a PublicOrganization, which name these
// fields alike.
template <typename O>
nlohmann::json OrganizationFieldsJson(const O& o) {
  nlohmann::json phones = nlohmann::json::array();
  for (const Phone& p : o.phones) {
    phones.push_back({{"number", p.number}, {"type", CodeOf(p.type)}, {"description", p.description}});
  }
  return {{"id", o.id},
          {"territory", o.territory_slug},
          {"name", o.name},
          {"description", o.description},
          {"website", o.website},
          {"email", o.email},
          {"phones", std::move(phones)},
          {"accepts_referrals", o.accepts_referrals},
          {"assured_date", o.assured_date},
          {"verified_by", o.verified_by},
          {"status", CodeOf(o.status)},
          {"closed_from", o.closed_from},
          {"closed_until", o.closed_until},
          {"alert", o.alert},
          {"is_demo", o.is_demo}};
}

}  // namespace passerelle::directory
