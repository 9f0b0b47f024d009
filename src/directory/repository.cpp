#include "directory/repository.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/error.h"

namespace passerelle::directory {

namespace {

// Filters appended to the SELECTs below; `o` is the organization table.
constexpr const char* kByOrganization = "o.id = :key";
constexpr const char* kByTerritory = "o.territory_slug = :key";

constexpr const char* kSelectOrganizations =
    "SELECT o.id, o.territory_slug, o.name, o.description, o.website, o.email, o.accepts_referrals, "
    "o.assured_date, o.verified_by, o.status, o.closed_from, o.closed_until, o.alert, o.visibility, "
    "o.is_demo, o.publication FROM organization o WHERE ";
constexpr const char* kSelectPhones =
    "SELECT p.organization_id, p.number, p.type, p.description FROM phone p "
    "JOIN organization o ON o.id = p.organization_id WHERE ";
constexpr const char* kPhonesOrder = " ORDER BY p.organization_id, p.sort_order";
constexpr const char* kSelectLocations =
    "SELECT l.organization_id, l.id, l.name, l.address, l.postal_code, l.city, l.insee_code, "
    "l.latitude, l.longitude, l.confidential, l.transportation FROM location l "
    "JOIN organization o ON o.id = l.organization_id WHERE ";
constexpr const char* kSelectServices =
    "SELECT s.organization_id, s.id, s.name, s.description, s.minimum_age, s.maximum_age, s.genders, "
    "s.eligibility_description, s.fees, s.languages, s.accessibility, s.application_process, "
    "s.opening_hours FROM service s JOIN organization o ON o.id = s.organization_id WHERE ";
constexpr const char* kSelectCategories =
    "SELECT c.service_id, c.category FROM service_category c JOIN service s ON s.id = c.service_id "
    "JOIN organization o ON o.id = s.organization_id WHERE ";
constexpr const char* kCategoriesOrder = " ORDER BY c.service_id, c.sort_order";
constexpr const char* kSelectServiceLocations =
    "SELECT a.service_id, a.location_id FROM service_at_location a JOIN service s ON s.id = a.service_id "
    "JOIN organization o ON o.id = s.organization_id WHERE ";

constexpr const char* kSelectTerritories = "SELECT DISTINCT territory_slug FROM organization";
constexpr const char* kCountTerritory = "SELECT COUNT(*) FROM territory WHERE slug = :slug";
constexpr const char* kOrganizationOfService = "SELECT organization_id FROM service WHERE id = :id";
constexpr const char* kOrganizationOfLocation = "SELECT organization_id FROM location WHERE id = :id";

constexpr const char* kInsertOrganization =
    "INSERT INTO organization (id, territory_slug, name, description, website, email, accepts_referrals, "
    "assured_date, verified_by, status, closed_from, closed_until, alert, visibility, is_demo, publication, "
    "created_at, updated_at) VALUES (:id, :territory, :name, :description, :website, :email, :referrals, "
    ":assured, :verified_by, :status, :closed_from, :closed_until, :alert, :visibility, :demo, :publication, "
    ":now, :now)";
constexpr const char* kUpdateOrganization =
    "UPDATE organization SET territory_slug = :territory, name = :name, description = :description, "
    "website = :website, email = :email, accepts_referrals = :referrals, assured_date = :assured, "
    "verified_by = :verified_by, status = :status, closed_from = :closed_from, closed_until = :closed_until, "
    "alert = :alert, visibility = :visibility, is_demo = :demo, publication = :publication, updated_at = :now "
    "WHERE id = :id";
constexpr const char* kSetPublication =
    "UPDATE organization SET publication = :publication, updated_at = :now WHERE id = :id";
constexpr const char* kDeletePhones = "DELETE FROM phone WHERE organization_id = :id";
constexpr const char* kInsertPhone =
    "INSERT INTO phone (organization_id, sort_order, number, type, description) "
    "VALUES (:organization, :position, :number, :type, :description)";
constexpr const char* kInsertLocation =
    "INSERT INTO location (id, organization_id, name, address, postal_code, city, insee_code, latitude, "
    "longitude, confidential, transportation) VALUES (:id, :organization, :name, :address, :postal, :city, "
    ":insee, :lat, :lon, :confidential, :transportation)";
constexpr const char* kUpdateLocation =
    "UPDATE location SET organization_id = :organization, name = :name, address = :address, "
    "postal_code = :postal, city = :city, insee_code = :insee, latitude = :lat, longitude = :lon, "
    "confidential = :confidential, transportation = :transportation WHERE id = :id";
constexpr const char* kDeleteLocation = "DELETE FROM location WHERE id = :id";
constexpr const char* kInsertService =
    "INSERT INTO service (id, organization_id, name, description, minimum_age, maximum_age, genders, "
    "eligibility_description, fees, languages, accessibility, application_process, opening_hours) "
    "VALUES (:id, :organization, :name, :description, :min_age, :max_age, :genders, :eligibility, :fees, "
    ":languages, :accessibility, :application, :hours)";
constexpr const char* kUpdateService =
    "UPDATE service SET organization_id = :organization, name = :name, description = :description, "
    "minimum_age = :min_age, maximum_age = :max_age, genders = :genders, eligibility_description = :eligibility, "
    "fees = :fees, languages = :languages, accessibility = :accessibility, application_process = :application, "
    "opening_hours = :hours WHERE id = :id";
constexpr const char* kDeleteService = "DELETE FROM service WHERE id = :id";
constexpr const char* kDeleteCategories = "DELETE FROM service_category WHERE service_id = :id";
constexpr const char* kInsertCategory =
    "INSERT INTO service_category (service_id, category, sort_order) VALUES (:service, :category, :position)";
constexpr const char* kDeleteServiceLocations = "DELETE FROM service_at_location WHERE service_id = :id";
constexpr const char* kInsertServiceLocation =
    "INSERT INTO service_at_location (service_id, location_id) VALUES (:service, :location)";

// Lists of codes are stored comma-separated.
template <typename Enum>
std::string JoinCodes(const std::vector<Enum>& values) {
  std::string out;
  for (const Enum& value : values) {
    if (!out.empty()) out += ',';
    out += CodeOf(value);
  }
  return out;
}

std::string JoinCodes(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& value : values) out += (out.empty() ? "" : ",") + value;
  return out;
}

std::vector<std::string> SplitCodes(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// A code the database holds but this program does not know: the database was written by a newer
// version, or by hand. Not an input error.
template <typename Enum, std::size_t N>
Enum Decode(const std::string& code, const std::array<Enum, N>& all, const char* what) {
  const auto value = FromCode(code, all);
  if (!value) throw core::InfrastructureError(std::string("directory: unknown ") + what + " code in the database");
  return *value;
}

template <typename Enum, std::size_t N>
std::vector<Enum> DecodeList(const std::string& text, const std::array<Enum, N>& all, const char* what) {
  std::vector<Enum> out;
  for (const std::string& code : SplitCodes(text)) out.push_back(Decode(code, all, what));
  return out;
}

std::optional<std::string> NullIfEmpty(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

}  // namespace

std::optional<Organization> DirectoryRepository::Find(const std::string& id) {
  auto found = Load(kByOrganization, id);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<Organization> DirectoryRepository::ListByTerritory(const std::string& territory_slug) {
  return Load(kByTerritory, territory_slug);
}

std::vector<Organization> DirectoryRepository::Load(const std::string& filter, const std::string& key) {
  std::vector<Organization> organizations;
  std::map<std::string, std::size_t> by_id;
  {
    Organization o;
    int referrals = 0, demo = 0;
    std::optional<std::string> assured, closed_from, closed_until;
    std::string status, visibility, publication;
    soci::statement statement =
        (sql_.prepare << kSelectOrganizations + filter, soci::use(key, "key"), soci::into(o.id),
         soci::into(o.territory_slug), soci::into(o.name), soci::into(o.description), soci::into(o.website),
         soci::into(o.email), soci::into(referrals), soci::into(assured), soci::into(o.verified_by), soci::into(status),
         soci::into(closed_from), soci::into(closed_until), soci::into(o.alert), soci::into(visibility),
         soci::into(demo), soci::into(publication));
    statement.execute();
    while (statement.fetch()) {
      o.accepts_referrals = referrals != 0;
      o.is_demo = demo != 0;
      o.assured_date = assured.value_or("");
      o.closed_from = closed_from.value_or("");
      o.closed_until = closed_until.value_or("");
      o.status = Decode(status, kAllOrganizationStatuses, "status");
      o.visibility = Decode(visibility, kAllVisibilities, "visibility");
      o.publication = Decode(publication, kAllPublications, "publication");
      by_id[o.id] = organizations.size();
      organizations.push_back(o);
    }
  }
  if (organizations.empty()) return organizations;
  {
    std::string organization_id, type;
    Phone phone;
    soci::statement statement =
        (sql_.prepare << kSelectPhones + filter + kPhonesOrder, soci::use(key, "key"), soci::into(organization_id),
         soci::into(phone.number), soci::into(type), soci::into(phone.description));
    statement.execute();
    while (statement.fetch()) {
      phone.type = Decode(type, kAllPhoneTypes, "phone type");
      organizations[by_id.at(organization_id)].phones.push_back(phone);
    }
  }
  {
    std::string organization_id;
    Location l;
    int confidential = 0;
    soci::statement statement =
        (sql_.prepare << kSelectLocations + filter, soci::use(key, "key"), soci::into(organization_id),
         soci::into(l.id), soci::into(l.name), soci::into(l.address), soci::into(l.postal_code), soci::into(l.city),
         soci::into(l.insee_code), soci::into(l.latitude), soci::into(l.longitude), soci::into(confidential),
         soci::into(l.transportation));
    statement.execute();
    while (statement.fetch()) {
      l.confidential = confidential != 0;
      organizations[by_id.at(organization_id)].locations.push_back(l);
    }
  }
  std::map<std::string, std::pair<std::size_t, std::size_t>> service_at;  // id → (organization, service)
  {
    std::string organization_id, genders, fees, languages, accessibility;
    Service s;
    soci::statement statement =
        (sql_.prepare << kSelectServices + filter, soci::use(key, "key"), soci::into(organization_id), soci::into(s.id),
         soci::into(s.name), soci::into(s.description), soci::into(s.minimum_age), soci::into(s.maximum_age),
         soci::into(genders), soci::into(s.eligibility_description), soci::into(fees), soci::into(languages),
         soci::into(accessibility), soci::into(s.application_process), soci::into(s.opening_hours));
    statement.execute();
    while (statement.fetch()) {
      s.genders = DecodeList(genders, kAllGenders, "gender");
      s.fees = DecodeList(fees, kAllFees, "fee");
      s.languages = SplitCodes(languages);
      s.accessibility = DecodeList(accessibility, kAllAccessibilities, "accessibility");
      Organization& owner = organizations[by_id.at(organization_id)];
      service_at[s.id] = {by_id.at(organization_id), owner.services.size()};
      owner.services.push_back(s);
    }
  }
  const auto service = [&](const std::string& id) -> Service& {
    const auto [o, s] = service_at.at(id);
    return organizations[o].services[s];
  };
  {
    std::string service_id, category;
    soci::statement statement = (sql_.prepare << kSelectCategories + filter + kCategoriesOrder, soci::use(key, "key"),
                                 soci::into(service_id), soci::into(category));
    statement.execute();
    while (statement.fetch()) service(service_id).categories.push_back(Decode(category, kAllCategories, "category"));
  }
  {
    std::string service_id, location_id;
    soci::statement statement = (sql_.prepare << kSelectServiceLocations + filter, soci::use(key, "key"),
                                 soci::into(service_id), soci::into(location_id));
    statement.execute();
    while (statement.fetch()) service(service_id).location_ids.push_back(location_id);
  }
  for (Organization& o : organizations) Canonicalize(o);
  std::sort(organizations.begin(), organizations.end(),
            [](const Organization& a, const Organization& b) { return a.id < b.id; });
  return organizations;
}

std::vector<std::string> DirectoryRepository::TerritoriesWithOrganizations() {
  std::vector<std::string> slugs;
  soci::rowset<std::string> rows = (sql_.prepare << kSelectTerritories);
  for (const std::string& slug : rows) slugs.push_back(slug);
  std::sort(slugs.begin(), slugs.end());
  return slugs;
}

bool DirectoryRepository::TerritoryExists(const std::string& slug) {
  int count = 0;
  sql_ << kCountTerritory, soci::use(slug, "slug"), soci::into(count);
  return count > 0;
}

std::optional<std::string> DirectoryRepository::OrganizationOfService(const std::string& service_id) {
  std::string organization_id;
  sql_ << kOrganizationOfService, soci::use(service_id, "id"), soci::into(organization_id);
  if (!sql_.got_data()) return std::nullopt;
  return organization_id;
}

std::optional<std::string> DirectoryRepository::OrganizationOfLocation(const std::string& location_id) {
  std::string organization_id;
  sql_ << kOrganizationOfLocation, soci::use(location_id, "id"), soci::into(organization_id);
  if (!sql_.got_data()) return std::nullopt;
  return organization_id;
}

bool DirectoryRepository::SetPublication(const std::string& id, Publication publication, long long now_s) {
  const std::string code(CodeOf(publication));
  soci::statement statement =
      (sql_.prepare << kSetPublication, soci::use(code, "publication"), soci::use(now_s, "now"), soci::use(id, "id"));
  statement.execute(true);
  return statement.get_affected_rows() > 0;
}

void DirectoryRepository::Save(const Organization& o, const std::optional<Organization>& previous, long long now_s) {
  OrganizationWriter(sql_).Save(o, previous, now_s);
}

// The prepared statements of OrganizationWriter and the values they are bound to (SOCI binds
// references: each Save fills the values, then executes).
struct OrganizationWriter::Statements {
  // organization
  std::string id, territory, name, description, website, email, verified_by, status, alert, visibility, publication;
  int referrals = 0, demo = 0;
  std::optional<std::string> assured, closed_from, closed_until;
  long long now = 0;
  // phone
  int position = 0;
  std::string number, phone_type, phone_description;
  // location
  std::string location_id, location_name, address, postal, city, insee, transportation;
  std::optional<double> lat, lon;
  int confidential = 0;
  // service, its categories and places
  std::string service_id, service_name, service_description, genders, eligibility, fees, languages, accessibility,
      application, hours, category, service_location;
  std::optional<int> min_age, max_age;

  soci::statement insert_organization, update_organization, delete_phones, insert_phone, insert_location,
      update_location, delete_location, insert_service, update_service, delete_service, delete_categories,
      insert_category, delete_service_locations, insert_service_location;

  explicit Statements(soci::session& sql)
      : insert_organization(sql),
        update_organization(sql),
        delete_phones(sql),
        insert_phone(sql),
        insert_location(sql),
        update_location(sql),
        delete_location(sql),
        insert_service(sql),
        update_service(sql),
        delete_service(sql),
        delete_categories(sql),
        insert_category(sql),
        delete_service_locations(sql),
        insert_service_location(sql) {
    for (auto [statement, query] :
         {std::pair{&insert_organization, kInsertOrganization}, std::pair{&update_organization, kUpdateOrganization}}) {
      *statement =
          (sql.prepare << query, soci::use(id, "id"), soci::use(territory, "territory"), soci::use(name, "name"),
           soci::use(description, "description"), soci::use(website, "website"), soci::use(email, "email"),
           soci::use(referrals, "referrals"), soci::use(assured, "assured"), soci::use(verified_by, "verified_by"),
           soci::use(status, "status"), soci::use(closed_from, "closed_from"), soci::use(closed_until, "closed_until"),
           soci::use(alert, "alert"), soci::use(visibility, "visibility"), soci::use(demo, "demo"),
           soci::use(publication, "publication"), soci::use(now, "now"));
    }
    delete_phones = (sql.prepare << kDeletePhones, soci::use(id, "id"));
    insert_phone =
        (sql.prepare << kInsertPhone, soci::use(id, "organization"), soci::use(position, "position"),
         soci::use(number, "number"), soci::use(phone_type, "type"), soci::use(phone_description, "description"));
    for (auto [statement, query] :
         {std::pair{&insert_location, kInsertLocation}, std::pair{&update_location, kUpdateLocation}}) {
      *statement = (sql.prepare << query, soci::use(location_id, "id"), soci::use(id, "organization"),
                    soci::use(location_name, "name"), soci::use(address, "address"), soci::use(postal, "postal"),
                    soci::use(city, "city"), soci::use(insee, "insee"), soci::use(lat, "lat"), soci::use(lon, "lon"),
                    soci::use(confidential, "confidential"), soci::use(transportation, "transportation"));
    }
    delete_location = (sql.prepare << kDeleteLocation, soci::use(location_id, "id"));
    for (auto [statement, query] :
         {std::pair{&insert_service, kInsertService}, std::pair{&update_service, kUpdateService}}) {
      *statement =
          (sql.prepare << query, soci::use(service_id, "id"), soci::use(id, "organization"),
           soci::use(service_name, "name"), soci::use(service_description, "description"),
           soci::use(min_age, "min_age"), soci::use(max_age, "max_age"), soci::use(genders, "genders"),
           soci::use(eligibility, "eligibility"), soci::use(fees, "fees"), soci::use(languages, "languages"),
           soci::use(accessibility, "accessibility"), soci::use(application, "application"), soci::use(hours, "hours"));
    }
    delete_service = (sql.prepare << kDeleteService, soci::use(service_id, "id"));
    delete_categories = (sql.prepare << kDeleteCategories, soci::use(service_id, "id"));
    insert_category = (sql.prepare << kInsertCategory, soci::use(service_id, "service"),
                       soci::use(category, "category"), soci::use(position, "position"));
    delete_service_locations = (sql.prepare << kDeleteServiceLocations, soci::use(service_id, "id"));
    insert_service_location = (sql.prepare << kInsertServiceLocation, soci::use(service_id, "service"),
                               soci::use(service_location, "location"));
  }
};

OrganizationWriter::OrganizationWriter(soci::session& sql) : statements_(std::make_unique<Statements>(sql)) {}

OrganizationWriter::~OrganizationWriter() = default;

void OrganizationWriter::Save(const Organization& o, const std::optional<Organization>& previous, long long now_s) {
  Statements& s = *statements_;
  s.id = o.id;
  s.territory = o.territory_slug;
  s.name = o.name;
  s.description = o.description;
  s.website = o.website;
  s.email = o.email;
  s.referrals = o.accepts_referrals ? 1 : 0;
  s.assured = NullIfEmpty(o.assured_date);
  s.verified_by = o.verified_by;
  s.status = CodeOf(o.status);
  s.closed_from = NullIfEmpty(o.closed_from);
  s.closed_until = NullIfEmpty(o.closed_until);
  s.alert = o.alert;
  s.visibility = CodeOf(o.visibility);
  s.demo = o.is_demo ? 1 : 0;
  s.publication = CodeOf(o.publication);
  s.now = now_s;
  (previous ? s.update_organization : s.insert_organization).execute(true);

  s.delete_phones.execute(true);
  for (std::size_t i = 0; i < o.phones.size(); ++i) {
    s.position = static_cast<int>(i);
    s.number = o.phones[i].number;
    s.phone_type = CodeOf(o.phones[i].type);
    s.phone_description = o.phones[i].description;
    s.insert_phone.execute(true);
  }

  std::set<std::string> previous_locations, previous_services;
  if (previous) {
    for (const Location& l : previous->locations) previous_locations.insert(l.id);
    for (const Service& service : previous->services) previous_services.insert(service.id);
  }

  std::set<std::string> kept;
  for (const Location& l : o.locations) {
    s.location_id = l.id;
    s.location_name = l.name;
    s.address = l.address;
    s.postal = l.postal_code;
    s.city = l.city;
    s.insee = l.insee_code;
    s.lat = l.latitude;
    s.lon = l.longitude;
    s.confidential = l.confidential ? 1 : 0;
    s.transportation = l.transportation;
    (previous_locations.contains(l.id) ? s.update_location : s.insert_location).execute(true);
    kept.insert(l.id);
  }
  for (const std::string& id : previous_locations) {
    if (kept.contains(id)) continue;
    s.location_id = id;
    s.delete_location.execute(true);
  }

  kept.clear();
  for (const Service& service : o.services) {
    s.service_id = service.id;
    s.service_name = service.name;
    s.service_description = service.description;
    s.min_age = service.minimum_age;
    s.max_age = service.maximum_age;
    s.genders = JoinCodes(service.genders);
    s.eligibility = service.eligibility_description;
    s.fees = JoinCodes(service.fees);
    s.languages = JoinCodes(service.languages);
    s.accessibility = JoinCodes(service.accessibility);
    s.application = service.application_process;
    s.hours = service.opening_hours;
    (previous_services.contains(service.id) ? s.update_service : s.insert_service).execute(true);
    s.delete_categories.execute(true);
    for (std::size_t i = 0; i < service.categories.size(); ++i) {
      s.position = static_cast<int>(i);
      s.category = CodeOf(service.categories[i]);
      s.insert_category.execute(true);
    }
    s.delete_service_locations.execute(true);
    for (const std::string& location_id : service.location_ids) {
      s.service_location = location_id;
      s.insert_service_location.execute(true);
    }
    kept.insert(service.id);
  }
  for (const std::string& id : previous_services) {
    if (kept.contains(id)) continue;
    s.service_id = id;
    s.delete_service.execute(true);
  }
}

}  // namespace passerelle::directory
