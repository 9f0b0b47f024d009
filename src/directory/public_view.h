#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "directory/model.h"

namespace passerelle::directory {

// A location as the public may see it. When `confidential` (a shelter), only the commune is
// left: no name, address, coordinates or transport notes; the organization's phones and e-mail
// are the way in.
struct PublicLocation {
  std::string id;
  std::string name;
  std::string address;
  std::string postal_code;
  std::string city;
  std::string insee_code;
  std::optional<double> latitude;
  std::optional<double> longitude;
  bool confidential = false;
  std::string transportation;
};

// What public pages and the public API may ever receive about an organization. Built only by
// MakePublicView; `visibility` is not part of it (only public organizations get a view).
// `verified_by` is a role or a structure ("coordination départementale"), never a person.
struct PublicOrganization {
  std::string id;
  std::string territory_slug;
  std::string name;
  std::string description;
  std::string website;
  std::string email;
  std::vector<Phone> phones;
  bool accepts_referrals = false;
  std::string assured_date;
  std::string verified_by;
  OrganizationStatus status = OrganizationStatus::kActive;
  std::string closed_from;
  std::string closed_until;
  std::string alert;
  bool is_demo = false;
  std::vector<PublicLocation> locations;
  std::vector<Service> services;
};

// One service of a public organization with the places where it is given: what the detail
// page and `GET /api/v1/services/{id}` show.
struct PublicServiceView {
  PublicOrganization organization;  // its `services` hold every service of the organization
  Service service;
  std::vector<PublicLocation> locations;  // the service's own locations, confidential ones reduced
};

// The organization with every confidential location reduced to its commune. The one place that
// knows what a confidential location hides; MakePublicView and the public exports use it.
Organization RedactConfidential(const Organization& organization);

// Nothing for an organization the public may not see: visibility "professionals", a draft not
// yet published (the census), or defunct. Every public read (ListPublic, GetPublicService,
// ListPublicPoints, the public exports) goes through here.
std::optional<PublicOrganization> MakePublicView(const Organization& organization);

// The service `service_id` of `organization`, when the public may see the organization and the
// organization offers that service.
std::optional<PublicServiceView> MakePublicServiceView(const Organization& organization, const std::string& service_id);

// The public API's JSON (HSDS-shaped) for an organization and for one service.
nlohmann::json ToJson(const PublicOrganization& organization);
nlohmann::json ToJson(const PublicServiceView& view);

// True while a temporarily closed organization is closed on `paris_date` ("YYYY-MM-DD", see
// core::ParisDate): from closed_from to closed_until included, or without end.
bool IsClosedOn(const PublicOrganization& organization, std::string_view paris_date);

}  // namespace passerelle::directory
