// The HSDS reader of ImportDirectory (docs/data-formats.md).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>

#include "directory/import_detail.h"
#include "directory/service.h"

namespace passerelle::directory::import_detail {

namespace {

using nlohmann::json;

// A value of the wrong type or an unknown code: thrown by the JSON readers, turned into a
// rejection of the organization.
struct JsonError {
  std::string path;
  std::string reason;
};

const json* Member(const json& object, const char* key) {
  const auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string Text(const json& object, const char* key, const std::string& path) {
  const json* value = Member(object, key);
  if (value == nullptr) return "";
  if (!value->is_string()) throw JsonError{path + "." + key, std::string(key) + " : texte attendu"};
  return Trim(value->get<std::string>());
}

bool Flag(const json& object, const char* key, const std::string& path) {
  const json* value = Member(object, key);
  if (value == nullptr) return false;
  if (!value->is_boolean()) throw JsonError{path + "." + key, std::string(key) + " : true ou false attendu"};
  return value->get<bool>();
}

std::optional<int> Integer(const json& object, const char* key, const std::string& path) {
  const json* value = Member(object, key);
  if (value == nullptr) return std::nullopt;
  // An unsigned value above 2^63 would wrap to a negative long long: compare it unsigned.
  const bool in_range = value->is_number_unsigned() ? value->get<unsigned long long>() <= 1000
                                                    : value->is_number_integer() && value->get<long long>() >= -1000 &&
                                                          value->get<long long>() <= 1000;
  if (!in_range) {
    throw JsonError{path + "." + key, std::string(key) + " : nombre entier attendu"};
  }
  return static_cast<int>(value->get<long long>());
}

std::optional<double> Number(const json& object, const char* key, const std::string& path) {
  const json* value = Member(object, key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number()) throw JsonError{path + "." + key, std::string(key) + " : nombre attendu"};
  return value->get<double>();
}

const json& List(const json& object, const char* key, const std::string& path) {
  static const json kEmpty = json::array();
  const json* value = Member(object, key);
  if (value == nullptr) return kEmpty;
  if (!value->is_array()) throw JsonError{path + "." + key, std::string(key) + " : liste attendue"};
  return *value;
}

void RequireObject(const json& value, const std::string& path, const std::string& name) {
  if (!value.is_object()) throw JsonError{path, name + " : objet attendu"};
}

template <typename Enum, std::size_t N>
Enum Code(const json& object, const char* key, const std::string& path, const std::array<Enum, N>& all, Enum fallback) {
  const std::string value = Text(object, key, path);
  if (value.empty()) return fallback;
  if (const auto code = FromCode(value, all)) return *code;
  throw JsonError{path + "." + key, std::string(key) + " : " + UnknownCodeReason(key, value, all)};
}

template <typename Enum, std::size_t N>
std::vector<Enum> Codes(const json& object, const char* key, const std::string& path, const std::array<Enum, N>& all) {
  std::vector<Enum> out;
  const json& list = List(object, key, path);
  for (std::size_t k = 0; k < list.size(); ++k) {
    const std::string item_path = path + "." + key + "[" + std::to_string(k) + "]";
    if (!list[k].is_string()) throw JsonError{item_path, std::string(key) + " : texte attendu"};
    const auto code = FromCode(list[k].get<std::string>(), all);
    if (!code)
      throw JsonError{item_path, std::string(key) + " : " + UnknownCodeReason(key, list[k].get<std::string>(), all)};
    out.push_back(*code);
  }
  return out;
}

// HSDS 3.1 gives languages as objects with a "code"; plain strings are accepted too.
std::vector<std::string> LanguageCodes(const json& object, const std::string& path) {
  std::vector<std::string> out;
  const json& list = List(object, "languages", path);
  for (std::size_t k = 0; k < list.size(); ++k) {
    const std::string item_path = path + ".languages[" + std::to_string(k) + "]";
    if (list[k].is_string()) {
      out.push_back(Lower(list[k].get<std::string>()));
    } else if (list[k].is_object()) {
      out.push_back(Lower(Text(list[k], "code", item_path)));
    } else {
      throw JsonError{item_path, "languages : code de langue attendu"};
    }
  }
  return out;
}

Candidate ReadHsdsOrganization(const json& item, const std::string& path, const std::string& territory) {
  Candidate c;
  c.entries = 1;
  c.place.path = path;
  RequireObject(item, path, "organisation");
  Organization& o = c.organization;
  o.territory_slug = territory;
  o.id = Text(item, "id", path);
  if (const std::string from = Text(item, "territory", path); !from.empty() && from != territory) {
    throw JsonError{path + ".territory",
                    "territory : organisation du territoire " + Quoted(from) + ", import dans " + Quoted(territory)};
  }
  o.name = Text(item, "name", path);
  o.description = Text(item, "description", path);
  o.website = Text(item, "website", path);
  o.email = Text(item, "email", path);
  o.accepts_referrals = Flag(item, "accepts_referrals", path);
  o.assured_date = Text(item, "assured_date", path);
  o.verified_by = Text(item, "verified_by", path);
  o.status = Code(item, "status", path, kAllOrganizationStatuses, OrganizationStatus::kActive);
  o.closed_from = Text(item, "closed_from", path);
  o.closed_until = Text(item, "closed_until", path);
  o.alert = Text(item, "alert", path);
  o.visibility = Code(item, "visibility", path, kAllVisibilities, Visibility::kPublic);
  o.is_demo = Flag(item, "is_demo", path);

  const json& phones = List(item, "phones", path);
  for (std::size_t k = 0; k < phones.size(); ++k) {
    const std::string p = path + ".phones[" + std::to_string(k) + "]";
    RequireObject(phones[k], p, "phones");
    o.phones.push_back(Phone{Text(phones[k], "number", p),
                             Code(phones[k], "type", p, kAllPhoneTypes, PhoneType::kVoice),
                             Text(phones[k], "description", p)});
  }
  const json& locations = List(item, "locations", path);
  for (std::size_t k = 0; k < locations.size(); ++k) {
    const std::string p = path + ".locations[" + std::to_string(k) + "]";
    const json& l = locations[k];
    RequireObject(l, p, "locations");
    Location location;
    location.id = Text(l, "id", p);
    location.name = Text(l, "name", p);
    location.latitude = Number(l, "latitude", p);
    location.longitude = Number(l, "longitude", p);
    location.confidential = Flag(l, "confidential", p);
    location.transportation = Text(l, "transportation", p);
    if (const json& addresses = List(l, "addresses", p); !addresses.empty()) {
      const std::string a = p + ".addresses[0]";
      RequireObject(addresses[0], a, "addresses");
      location.address = Text(addresses[0], "address_1", a);
      location.postal_code = Text(addresses[0], "postal_code", a);
      location.city = Text(addresses[0], "city", a);
      location.insee_code = Text(addresses[0], "insee_code", a);
    }
    o.locations.push_back(std::move(location));
    c.location_places.push_back({0, p});
  }
  const json& services = List(item, "services", path);
  for (std::size_t k = 0; k < services.size(); ++k) {
    const std::string p = path + ".services[" + std::to_string(k) + "]";
    const json& s = services[k];
    RequireObject(s, p, "services");
    Service service;
    service.id = Text(s, "id", p);
    service.name = Text(s, "name", p);
    service.description = Text(s, "description", p);
    service.categories = Codes(s, "categories", p, kAllCategories);
    service.minimum_age = Integer(s, "minimum_age", p);
    service.maximum_age = Integer(s, "maximum_age", p);
    service.genders = Codes(s, "genders", p, kAllGenders);
    service.eligibility_description = Text(s, "eligibility_description", p);
    service.fees = Codes(s, "fees", p, kAllFees);
    service.languages = LanguageCodes(s, p);
    service.accessibility = Codes(s, "accessibility", p, kAllAccessibilities);
    service.application_process = Text(s, "application_process", p);
    service.opening_hours = Text(s, "opening_hours", p);
    const json& at = List(s, "service_at_locations", p);
    for (std::size_t j = 0; j < at.size(); ++j) {
      const std::string ap = p + ".service_at_locations[" + std::to_string(j) + "]";
      RequireObject(at[j], ap, "service_at_locations");
      service.location_ids.push_back(Text(at[j], "location_id", ap));
    }
    o.services.push_back(std::move(service));
    c.service_places.push_back({0, p});
  }
  return c;
}

}  // namespace

core::Result<Parsed> ReadHsds(std::string_view text, const std::string& territory) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& e) {
    const std::size_t end = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + end, '\n'));
    const std::size_t line_start = text.rfind('\n', end == 0 ? 0 : end - 1);
    const std::size_t column = end - (line_start == std::string_view::npos || end == 0 ? 0 : line_start + 1) + 1;
    return core::Error{core::ErrorCode::kInvalidInput,
                       "JSON invalide ligne " + std::to_string(line) + ", colonne " + std::to_string(column),
                       "hsds: JSON parse error at byte " + std::to_string(e.byte)};
  }
  const json* organizations = &document;
  std::string base = "$";
  if (document.is_object()) {
    organizations = Member(document, "organizations");
    base = "$.organizations";
  }
  if (organizations == nullptr || !organizations->is_array()) {
    return core::Error{core::ErrorCode::kInvalidInput, "HSDS : liste « organizations » attendue",
                       "hsds: no organizations array"};
  }
  Parsed parsed;
  std::map<std::string, std::string> organization_path;
  struct Owner {
    std::string organization_id;
    std::string path;
  };
  std::map<std::string, Owner> service_owner, location_owner;
  for (std::size_t i = 0; i < organizations->size(); ++i) {
    ++parsed.entries;
    const std::string path = base + "[" + std::to_string(i) + "]";
    Candidate c;
    try {
      c = ReadHsdsOrganization((*organizations)[i], path, territory);
    } catch (const JsonError& e) {
      Rejection r;
      r.json_path = e.path;
      r.reason = e.reason;
      parsed.rejected.push_back({i, std::move(r)});
      continue;
    }
    c.order = i;
    AssignMissingIds(c.organization, IdStrategy::kDerived);
    const Organization& o = c.organization;
    const auto duplicate = [&](const std::string& where, const std::string& key, const std::string& first) {
      Rejection r;
      r.json_path = where + ".id";
      r.reason = key + " : identifiant en double (déjà " + first + ")";
      parsed.rejected.push_back({i, std::move(r)});
    };
    if (const auto first = organization_path.find(o.id); first != organization_path.end()) {
      duplicate(path, "id", first->second);
      continue;
    }
    if (auto e = CheckOrganization(o)) {
      Reject(c, Locate(c, *e, Format::kHsds), parsed.rejected);
      continue;
    }
    bool taken = false;
    for (std::size_t k = 0; k < o.locations.size() && !taken; ++k) {
      const auto owner = location_owner.find(o.locations[k].id);
      taken = owner != location_owner.end() && owner->second.organization_id != o.id;
      if (taken) duplicate(c.location_places[k].path, "id", owner->second.path);
    }
    for (std::size_t k = 0; k < o.services.size() && !taken; ++k) {
      const auto owner = service_owner.find(o.services[k].id);
      taken = owner != service_owner.end() && owner->second.organization_id != o.id;
      if (taken) duplicate(c.service_places[k].path, "id", owner->second.path);
    }
    if (taken) continue;
    organization_path[o.id] = path;
    for (std::size_t k = 0; k < o.locations.size(); ++k)
      location_owner[o.locations[k].id] = {o.id, c.location_places[k].path};
    for (std::size_t k = 0; k < o.services.size(); ++k)
      service_owner[o.services[k].id] = {o.id, c.service_places[k].path};
    parsed.candidates.push_back(std::move(c));
  }
  return parsed;
}

}  // namespace passerelle::directory::import_detail
