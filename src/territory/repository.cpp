#include "territory/repository.h"

#include <nlohmann/json.hpp>

#include <regex>

#include "core/unix_time.h"

namespace passerelle::territory {

namespace {

constexpr const char* kUpsertTerritory =
    "INSERT INTO territory (slug, name, centre_lat, centre_lon, default_radius_km, "
    "neutral_exit_url, languages, youth_services, emergency_contacts, is_demo, created_at, updated_at) "
    "VALUES (:slug, :name, :lat, :lon, :radius, :exit, :languages, :youth, :emergency, :demo, :now, :now) "
    "ON CONFLICT (slug) DO UPDATE SET name = excluded.name, centre_lat = excluded.centre_lat, "
    "centre_lon = excluded.centre_lon, default_radius_km = excluded.default_radius_km, "
    "neutral_exit_url = excluded.neutral_exit_url, languages = excluded.languages, "
    "youth_services = excluded.youth_services, emergency_contacts = excluded.emergency_contacts, "
    "is_demo = excluded.is_demo, updated_at = excluded.updated_at";
constexpr const char* kDeleteCommunes = "DELETE FROM territory_commune WHERE territory_slug = :slug";
constexpr const char* kInsertCommune =
    "INSERT INTO territory_commune (territory_slug, insee_code, name, postal_code) "
    "VALUES (:slug, :insee, :name, :postal)";
constexpr const char* kSelectTerritory =
    "SELECT name, centre_lat, centre_lon, default_radius_km, neutral_exit_url, languages, "
    "youth_services, emergency_contacts, is_demo FROM territory WHERE slug = :slug";
constexpr const char* kSelectCommunes =
    "SELECT insee_code, name, postal_code FROM territory_commune WHERE territory_slug = :slug "
    "ORDER BY name";

core::Error Invalid(std::string field, std::string reason) {
  return core::Error{core::ErrorCode::kInvalidInput, field + " : " + reason, "territory." + field};
}

nlohmann::json ToJson(const std::vector<YouthService>& services) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : services) out.push_back({{"name", s.name}, {"phone", s.phone}, {"description", s.description}});
  return out;
}

nlohmann::json ToJson(const std::vector<EmergencyContact>& contacts) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : contacts) out.push_back({{"label", c.label}, {"number", c.number}, {"kind", c.kind}});
  return out;
}

std::string JoinLanguages(const std::vector<std::string>& languages) {
  std::string out;
  for (const auto& l : languages) out += (out.empty() ? "" : ",") + l;
  return out;
}

}  // namespace

core::Result<core::Ok> Validate(const Territory& t) {
  static const std::regex kSlug("^[a-z0-9]+(-[a-z0-9]+)*$");
  static const std::regex kInsee("^([0-9]{5}|2[AB][0-9]{3})$");
  static const std::regex kPostal("^[0-9]{5}$");
  if (!std::regex_match(t.slug, kSlug)) return Invalid("slug", "lettres minuscules, chiffres et tirets seulement");
  if (t.name.empty()) return Invalid("name", "le nom est obligatoire");
  // Metropolitan France and overseas departments lie within these bounds.
  if (t.centre_lat < -22 || t.centre_lat > 52 || t.centre_lon < -62 || t.centre_lon > 56) {
    return Invalid("centre", "coordonnées hors de France");
  }
  if (!(t.default_radius_km > 0 && t.default_radius_km <= 200))
    return Invalid("default_radius_km", "entre 0 et 200 km");
  if (t.neutral_exit_url.rfind("https://", 0) != 0 && t.neutral_exit_url.rfind("http://", 0) != 0) {
    return Invalid("neutral_exit_url", "doit commencer par https:// ou http://");
  }
  if (t.communes.empty()) return Invalid("communes", "au moins une commune");
  for (const auto& c : t.communes) {
    if (!std::regex_match(c.insee_code, kInsee))
      return Invalid("communes", "code INSEE invalide « " + c.insee_code + " »");
    if (!std::regex_match(c.postal_code, kPostal))
      return Invalid("communes", "code postal invalide « " + c.postal_code + " »");
    if (c.name.empty()) return Invalid("communes", "nom manquant pour " + c.insee_code);
  }
  if (t.languages.empty()) return Invalid("languages", "au moins une langue");
  return core::Ok{};
}

core::Result<core::Ok> TerritoryRepository::Save(const Territory& t, std::chrono::system_clock::time_point now) {
  if (auto valid = Validate(t); !valid) return valid.error();
  const long long now_s = core::UnixSeconds(now);
  const std::string languages = JoinLanguages(t.languages);
  const std::string youth = ToJson(t.youth_services).dump();
  const std::string emergency = ToJson(t.emergency_contacts).dump();
  const int demo = t.is_demo ? 1 : 0;
  db_.InTransaction([&](soci::session& sql) {
    sql << kUpsertTerritory, soci::use(t.slug, "slug"), soci::use(t.name, "name"), soci::use(t.centre_lat, "lat"),
        soci::use(t.centre_lon, "lon"), soci::use(t.default_radius_km, "radius"), soci::use(t.neutral_exit_url, "exit"),
        soci::use(languages, "languages"), soci::use(youth, "youth"), soci::use(emergency, "emergency"),
        soci::use(demo, "demo"), soci::use(now_s, "now");
    sql << kDeleteCommunes, soci::use(t.slug, "slug");
    for (const Commune& c : t.communes) {
      sql << kInsertCommune, soci::use(t.slug, "slug"), soci::use(c.insee_code, "insee"), soci::use(c.name, "name"),
          soci::use(c.postal_code, "postal");
    }
  });
  return core::Ok{};
}

std::optional<Territory> TerritoryRepository::Find(const std::string& slug) const {
  soci::session sql(db_.pool());
  Territory t;
  t.slug = slug;
  std::string languages, youth, emergency;
  int demo = 0;
  sql << kSelectTerritory, soci::use(slug, "slug"), soci::into(t.name), soci::into(t.centre_lat),
      soci::into(t.centre_lon), soci::into(t.default_radius_km), soci::into(t.neutral_exit_url), soci::into(languages),
      soci::into(youth), soci::into(emergency), soci::into(demo);
  if (!sql.got_data()) return std::nullopt;
  t.is_demo = demo != 0;
  for (std::size_t start = 0; start < languages.size();) {
    auto end = languages.find(',', start);
    if (end == std::string::npos) end = languages.size();
    t.languages.push_back(languages.substr(start, end - start));
    start = end + 1;
  }
  for (const auto& s : nlohmann::json::parse(youth)) {
    t.youth_services.push_back({s.at("name"), s.at("phone"), s.at("description")});
  }
  for (const auto& c : nlohmann::json::parse(emergency)) {
    t.emergency_contacts.push_back({c.at("label"), c.at("number"), c.at("kind")});
  }
  Commune commune;
  soci::statement statement = (sql.prepare << kSelectCommunes, soci::use(slug, "slug"), soci::into(commune.insee_code),
                               soci::into(commune.name), soci::into(commune.postal_code));
  statement.execute();
  while (statement.fetch()) t.communes.push_back(commune);
  return t;
}

std::vector<std::string> TerritoryRepository::ListSlugs() const {
  soci::session sql(db_.pool());
  std::vector<std::string> slugs;
  soci::rowset<std::string> rows = (sql.prepare << "SELECT slug FROM territory ORDER BY slug");
  for (const auto& slug : rows) slugs.push_back(slug);
  return slugs;
}

bool TerritoryRepository::AnyDemo() const {
  soci::session sql(db_.pool());
  int count = 0;
  sql << "SELECT COUNT(*) FROM territory WHERE is_demo = 1", soci::into(count);
  return count > 0;
}

}  // namespace passerelle::territory
