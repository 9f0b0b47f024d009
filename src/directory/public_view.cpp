#include "directory/public_view.h"

#include <algorithm>

#include "directory/organization_json.h"

namespace passerelle::directory {

Organization RedactConfidential(const Organization& organization) {
  Organization out = organization;
  for (Location& location : out.locations) {
    if (!location.confidential) continue;
    location.name.clear();
    location.address.clear();
    location.latitude.reset();
    location.longitude.reset();
    location.transportation.clear();
  }
  return out;
}

std::optional<PublicOrganization> MakePublicView(const Organization& organization) {
  if (organization.visibility != Visibility::kPublic || organization.publication != Publication::kPublic ||
      organization.status == OrganizationStatus::kDefunct) {
    return std::nullopt;
  }
  const Organization o = RedactConfidential(organization);
  PublicOrganization out;
  out.id = o.id;
  out.territory_slug = o.territory_slug;
  out.name = o.name;
  out.description = o.description;
  out.website = o.website;
  out.email = o.email;
  out.phones = o.phones;
  out.accepts_referrals = o.accepts_referrals;
  out.assured_date = o.assured_date;
  out.verified_by = o.verified_by;
  out.status = o.status;
  out.closed_from = o.closed_from;
  out.closed_until = o.closed_until;
  out.alert = o.alert;
  out.is_demo = o.is_demo;
  for (const Location& l : o.locations) {
    out.locations.push_back(PublicLocation{l.id, l.name, l.address, l.postal_code, l.city, l.insee_code, l.latitude,
                                           l.longitude, l.confidential, l.transportation});
  }
  out.services = o.services;
  return out;
}

namespace {

nlohmann::json LocationJson(const PublicLocation& l) {
  // A confidential location says so and gives its commune only.
  if (l.confidential) {
    return {{"id", l.id},
            {"postal_code", l.postal_code},
            {"city", l.city},
            {"insee_code", l.insee_code},
            {"confidential", true}};
  }
  nlohmann::json location = {{"id", l.id},
                             {"name", l.name},
                             {"address", l.address},
                             {"postal_code", l.postal_code},
                             {"city", l.city},
                             {"insee_code", l.insee_code},
                             {"confidential", false},
                             {"transportation", l.transportation}};
  if (l.latitude && l.longitude) {
    location["latitude"] = *l.latitude;
    location["longitude"] = *l.longitude;
  }
  return location;
}

nlohmann::json ServiceJson(const Service& s) {
  nlohmann::json service = {{"id", s.id},
                            {"name", s.name},
                            {"description", s.description},
                            {"categories", CodesJson(s.categories)},
                            {"genders", CodesJson(s.genders)},
                            {"eligibility_description", s.eligibility_description},
                            {"fees", CodesJson(s.fees)},
                            {"languages", s.languages},
                            {"accessibility", CodesJson(s.accessibility)},
                            {"application_process", s.application_process},
                            {"opening_hours", s.opening_hours},
                            {"location_ids", s.location_ids}};
  if (s.minimum_age) service["minimum_age"] = *s.minimum_age;
  if (s.maximum_age) service["maximum_age"] = *s.maximum_age;
  return service;
}

}  // namespace

nlohmann::json ToJson(const PublicOrganization& o) {
  nlohmann::json out = OrganizationFieldsJson(o);
  nlohmann::json locations = nlohmann::json::array();
  for (const PublicLocation& l : o.locations) locations.push_back(LocationJson(l));
  nlohmann::json services = nlohmann::json::array();
  for (const Service& s : o.services) services.push_back(ServiceJson(s));
  out["locations"] = std::move(locations);
  out["services"] = std::move(services);
  return out;
}

nlohmann::json ToJson(const PublicServiceView& view) {
  nlohmann::json out = ServiceJson(view.service);
  out["organization"] = OrganizationFieldsJson(view.organization);
  nlohmann::json locations = nlohmann::json::array();
  for (const PublicLocation& l : view.locations) locations.push_back(LocationJson(l));
  out["locations"] = std::move(locations);
  return out;
}

std::optional<PublicServiceView> MakePublicServiceView(const Organization& organization,
                                                       const std::string& service_id) {
  auto public_organization = MakePublicView(organization);
  if (!public_organization) return std::nullopt;
  const auto service = std::find_if(public_organization->services.begin(), public_organization->services.end(),
                                    [&](const Service& s) { return s.id == service_id; });
  if (service == public_organization->services.end()) return std::nullopt;
  PublicServiceView view{*public_organization, *service, {}};
  for (const PublicLocation& l : public_organization->locations) {
    if (std::find(service->location_ids.begin(), service->location_ids.end(), l.id) != service->location_ids.end()) {
      view.locations.push_back(l);
    }
  }
  return view;
}

bool IsClosedOn(const PublicOrganization& o, std::string_view paris_date) {
  if (o.status != OrganizationStatus::kTemporarilyClosed) return false;
  // ISO dates compare as text.
  return paris_date >= o.closed_from && (o.closed_until.empty() || paris_date <= o.closed_until);
}

}  // namespace passerelle::directory
