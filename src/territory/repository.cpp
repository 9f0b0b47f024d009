#include "territory/repository.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <regex>

#include "audit/audit_log.h"
#include "core/unix_time.h"
#include "geo/distance.h"

namespace passerelle::territory {

namespace {

constexpr std::size_t kMaxSlug = 60;
constexpr std::size_t kMaxText = 200;
constexpr std::size_t kMaxDescription = 500;

bool Blank(const std::string& text) { return text.find_first_not_of(" \t\r\n") == std::string::npos; }

// As dialled: digits, spaces, dots, dashes and a leading +; 2 to 15 digits ("17", "0800 235 236").
bool ValidPhone(const std::string& phone) {
  std::size_t digits = 0;
  for (std::size_t i = 0; i < phone.size(); ++i) {
    const char c = phone[i];
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (!(c == ' ' || c == '.' || c == '-' || (c == '+' && i == 0))) {
      return false;
    }
  }
  return digits >= 2 && digits <= 15;
}

constexpr const char* kUpsertTerritory =
    "INSERT INTO territory (slug, name, centre_lat, centre_lon, default_radius_km, "
    "neutral_exit_url, languages, youth_services, emergency_contacts, is_demo, conversation_offer_minutes, "
    "created_at, updated_at) "
    "VALUES (:slug, :name, :lat, :lon, :radius, :exit, :languages, :youth, :emergency, :demo, :offer, :now, :now) "
    "ON CONFLICT (slug) DO UPDATE SET name = excluded.name, centre_lat = excluded.centre_lat, "
    "centre_lon = excluded.centre_lon, default_radius_km = excluded.default_radius_km, "
    "neutral_exit_url = excluded.neutral_exit_url, languages = excluded.languages, "
    "youth_services = excluded.youth_services, emergency_contacts = excluded.emergency_contacts, "
    "is_demo = excluded.is_demo, conversation_offer_minutes = excluded.conversation_offer_minutes, "
    "updated_at = excluded.updated_at";
constexpr const char* kDeleteCommunes = "DELETE FROM territory_commune WHERE territory_slug = :slug";
constexpr const char* kInsertCommune =
    "INSERT INTO territory_commune (territory_slug, insee_code, name, postal_code) "
    "VALUES (:slug, :insee, :name, :postal)";
constexpr const char* kSelectTerritory =
    "SELECT name, centre_lat, centre_lon, default_radius_km, neutral_exit_url, languages, "
    "youth_services, emergency_contacts, is_demo, archived_at, conversation_offer_minutes FROM territory "
    "WHERE slug = :slug";
constexpr const char* kSelectCommunes =
    "SELECT insee_code, name, postal_code FROM territory_commune WHERE territory_slug = :slug "
    "ORDER BY name";

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

std::vector<Problem> Check(const Territory& t) {
  static const std::regex kSlug("^[a-z0-9]+(-[a-z0-9]+)*$");
  static const std::regex kInsee("^([0-9]{5}|2[AB][0-9]{3})$");
  static const std::regex kPostal("^[0-9]{5}$");
  std::vector<Problem> problems;
  const auto add = [&problems](std::string field, int row, std::string message) {
    problems.push_back({std::move(field), row, std::move(message)});
  };
  if (!std::regex_match(t.slug, kSlug) || t.slug.size() > kMaxSlug) {
    add("slug", -1, "l’identifiant s’écrit en lettres minuscules sans accent, chiffres et tirets (60 au plus)");
  } else if (t.slug == "nouveau") {
    add("slug", -1, "l’identifiant « nouveau » est réservé");
  }
  if (Blank(t.name)) {
    add("name", -1, "le nom est obligatoire");
  } else if (t.name.size() > kMaxText) {
    add("name", -1, "le nom est trop long (200 caractères au plus)");
  }
  // Metropolitan France and overseas departments lie within these bounds.
  if (!std::isfinite(t.centre_lat) || !std::isfinite(t.centre_lon) || t.centre_lat < -22 || t.centre_lat > 52 ||
      t.centre_lon < -62 || t.centre_lon > 56) {
    add("centre", -1, "le centre doit être en France (latitude entre -22 et 52, longitude entre -62 et 56)");
  }
  if (!(t.default_radius_km > 0 && t.default_radius_km <= 200)) {
    add("default_radius_km", -1, "le rayon doit être entre 0 et 200 km");
  }
  if ((t.neutral_exit_url.rfind("https://", 0) != 0 && t.neutral_exit_url.rfind("http://", 0) != 0) ||
      t.neutral_exit_url.find_first_of(" \t\r\n\"<>") != std::string::npos || t.neutral_exit_url.size() > kMaxText) {
    add("neutral_exit_url", -1, "l’adresse du site neutre doit commencer par https:// ou http://");
  }
  if (t.conversation_offer_minutes < kMinOfferMinutes || t.conversation_offer_minutes > kMaxOfferMinutes) {
    add("conversation_offer_minutes", -1,
        "le délai avant de proposer les autres moyens doit être entre 1 et 30 minutes");
  }
  if (t.communes.empty()) add("communes", -1, "au moins une commune");
  for (std::size_t i = 0; i < t.communes.size(); ++i) {
    const Commune& c = t.communes[i];
    const int row = static_cast<int>(i);
    if (!std::regex_match(c.insee_code, kInsee)) {
      add("communes", row, "code INSEE invalide « " + c.insee_code + " »");
    } else if (!std::regex_match(c.postal_code, kPostal)) {
      add("communes", row, "code postal invalide « " + c.postal_code + " » pour " + c.insee_code);
    } else if (Blank(c.name)) {
      add("communes", row, "nom manquant pour " + c.insee_code);
    } else {
      for (std::size_t j = 0; j < i; ++j) {
        if (t.communes[j].insee_code == c.insee_code) add("communes", row, "commune en double " + c.insee_code);
      }
    }
  }
  for (std::size_t i = 0; i < t.youth_services.size(); ++i) {
    const YouthService& y = t.youth_services[i];
    const int row = static_cast<int>(i);
    if (Blank(y.name) || y.name.size() > kMaxText) {
      add("youth_services", row, "le nom du service est obligatoire (200 caractères au plus)");
    } else if (!ValidPhone(y.phone)) {
      add("youth_services", row, "le téléphone de « " + y.name + " » doit être un numéro (chiffres, espaces, +)");
    } else if (y.description.size() > kMaxDescription) {
      add("youth_services", row, "la description de « " + y.name + " » est trop longue (500 caractères au plus)");
    }
  }
  for (std::size_t i = 0; i < t.emergency_contacts.size(); ++i) {
    const EmergencyContact& e = t.emergency_contacts[i];
    const int row = static_cast<int>(i);
    if (Blank(e.label) || e.label.size() > kMaxText) {
      add("emergency_contacts", row, "le libellé du numéro est obligatoire (200 caractères au plus)");
    } else if (!ValidPhone(e.number)) {
      add("emergency_contacts", row, "le numéro de « " + e.label + " » doit être un numéro (chiffres, espaces, +)");
    } else if (e.kind != "voice" && e.kind != "sms") {
      add("emergency_contacts", row, "le type de « " + e.label + " » doit être voice (appel) ou sms");
    }
  }
  if (t.languages.empty()) {
    add("languages", -1, "au moins une langue");
  } else {
    const auto& supported = SupportedLanguages();
    for (std::size_t i = 0; i < t.languages.size(); ++i) {
      const std::string& l = t.languages[i];
      if (std::find(supported.begin(), supported.end(), l) == supported.end()) {
        add("languages", static_cast<int>(i), "langue non proposée « " + l + " » (fr, en ou ar)");
      } else if (std::find(t.languages.begin(), t.languages.begin() + static_cast<long>(i), l) !=
                 t.languages.begin() + static_cast<long>(i)) {
        add("languages", static_cast<int>(i), "langue en double « " + l + " »");
      }
    }
    if (std::find(t.languages.begin(), t.languages.end(), "fr") == t.languages.end()) {
      add("languages", -1, "le français (fr) est toujours proposé");
    }
  }
  return problems;
}

core::Result<core::Ok> Validate(const Territory& t) {
  const std::vector<Problem> problems = Check(t);
  if (problems.empty()) return core::Ok{};
  const Problem& first = problems.front();
  return core::Error{core::ErrorCode::kInvalidInput, first.field + " : " + first.message, "territory." + first.field};
}

const std::vector<std::string>& SupportedLanguages() {
  static const std::vector<std::string> kLanguages = {"fr", "en", "ar"};
  return kLanguages;
}

std::optional<CentreProposal> ProposeCentre(const std::vector<std::pair<double, double>>& points) {
  if (points.empty()) return std::nullopt;
  CentreProposal proposal;
  for (const auto& [lat, lon] : points) {
    proposal.lat += lat;
    proposal.lon += lon;
  }
  proposal.lat /= static_cast<double>(points.size());
  proposal.lon /= static_cast<double>(points.size());
  double farthest = 0;
  for (const auto& [lat, lon] : points) {
    farthest = std::max(farthest, geo::HaversineKm(proposal.lat, proposal.lon, lat, lon));
  }
  proposal.radius_km = std::max(1.0, std::ceil(farthest));
  // Five decimals (about a metre) read better in a form than seventeen digits.
  proposal.lat = std::round(proposal.lat * 1e5) / 1e5;
  proposal.lon = std::round(proposal.lon * 1e5) / 1e5;
  return proposal;
}

namespace {

void Write(soci::session& sql, const Territory& t, long long now_s) {
  const std::string languages = JoinLanguages(t.languages);
  const std::string youth = ToJson(t.youth_services).dump();
  const std::string emergency = ToJson(t.emergency_contacts).dump();
  const int demo = t.is_demo ? 1 : 0;
  sql << kUpsertTerritory, soci::use(t.slug, "slug"), soci::use(t.name, "name"), soci::use(t.centre_lat, "lat"),
      soci::use(t.centre_lon, "lon"), soci::use(t.default_radius_km, "radius"), soci::use(t.neutral_exit_url, "exit"),
      soci::use(languages, "languages"), soci::use(youth, "youth"), soci::use(emergency, "emergency"),
      soci::use(demo, "demo"), soci::use(t.conversation_offer_minutes, "offer"), soci::use(now_s, "now");
  sql << kDeleteCommunes, soci::use(t.slug, "slug");
  for (const Commune& c : t.communes) {
    sql << kInsertCommune, soci::use(t.slug, "slug"), soci::use(c.insee_code, "insee"), soci::use(c.name, "name"),
        soci::use(c.postal_code, "postal");
  }
}

bool Exists(soci::session& sql, const std::string& slug) {
  int count = 0;
  sql << "SELECT COUNT(*) FROM territory WHERE slug = :slug", soci::use(slug, "slug"), soci::into(count);
  return count > 0;
}

// The names of the fields that differ, for the audit entry (never their values).
std::string ChangedFields(const Territory& before, const Territory& after) {
  std::vector<std::string> fields;
  if (before.name != after.name) fields.push_back("name");
  std::vector<std::string> a, b;
  for (const auto& c : before.communes) a.push_back(c.insee_code);
  for (const auto& c : after.communes) b.push_back(c.insee_code);
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  if (a != b) fields.push_back("communes");
  if (before.centre_lat != after.centre_lat || before.centre_lon != after.centre_lon) fields.push_back("centre");
  if (before.default_radius_km != after.default_radius_km) fields.push_back("default_radius_km");
  if (ToJson(before.youth_services) != ToJson(after.youth_services)) fields.push_back("youth_services");
  if (ToJson(before.emergency_contacts) != ToJson(after.emergency_contacts)) fields.push_back("emergency_contacts");
  if (before.neutral_exit_url != after.neutral_exit_url) fields.push_back("neutral_exit_url");
  if (before.languages != after.languages) fields.push_back("languages");
  if (before.conversation_offer_minutes != after.conversation_offer_minutes) {
    fields.push_back("conversation_offer_minutes");
  }
  std::string out;
  for (const auto& f : fields) out += (out.empty() ? "" : ",") + f;
  return out.empty() ? "unchanged" : out;
}

core::Error NotFound(const std::string& slug) {
  return core::Error{core::ErrorCode::kNotFound, "slug : aucun territoire « " + slug + " »", "territory.not_found"};
}

}  // namespace

core::Result<core::Ok> TerritoryRepository::Save(const Territory& t, std::chrono::system_clock::time_point now) {
  if (auto valid = Validate(t); !valid) return valid.error();
  db_.InTransaction([&](soci::session& sql) { Write(sql, t, core::UnixSeconds(now)); });
  return core::Ok{};
}

core::Result<core::Ok> TerritoryRepository::Create(const Territory& t, const Author& author,
                                                   std::chrono::system_clock::time_point now) {
  if (auto valid = Validate(t); !valid) return valid.error();
  const bool created = db_.InTransaction([&](soci::session& sql) {
    if (Exists(sql, t.slug)) return false;
    Write(sql, t, core::UnixSeconds(now));
    audit::Append(sql, {author.actor, "territory.created", "territory:" + t.slug, ""}, now);
    return true;
  });
  if (!created) {
    return core::Error{core::ErrorCode::kConflict, "slug : un territoire « " + t.slug + " » existe déjà",
                       "territory.exists"};
  }
  return core::Ok{};
}

core::Result<core::Ok> TerritoryRepository::Update(const Territory& t, const Author& author, std::string_view action,
                                                   std::chrono::system_clock::time_point now) {
  if (auto valid = Validate(t); !valid) return valid.error();
  const auto before = Find(t.slug);
  if (!before) return NotFound(t.slug);
  Territory after = t;
  after.is_demo = before->is_demo;
  const std::string detail = ChangedFields(*before, after);
  const bool updated = db_.InTransaction([&](soci::session& sql) {
    if (!Exists(sql, t.slug)) return false;
    Write(sql, after, core::UnixSeconds(now));
    audit::Append(sql, {author.actor, std::string(action), "territory:" + t.slug, detail}, now);
    return true;
  });
  if (!updated) return NotFound(t.slug);
  return core::Ok{};
}

core::Result<core::Ok> TerritoryRepository::SetArchived(const std::string& slug, bool archived, const Author& author,
                                                        std::chrono::system_clock::time_point now) {
  const long long now_s = core::UnixSeconds(now);
  const bool done = db_.InTransaction([&](soci::session& sql) {
    if (!Exists(sql, slug)) return false;
    if (archived) {
      sql << "UPDATE territory SET archived_at = :now, updated_at = :now WHERE slug = :slug", soci::use(now_s, "now"),
          soci::use(slug, "slug");
    } else {
      sql << "UPDATE territory SET archived_at = NULL, updated_at = :now WHERE slug = :slug", soci::use(now_s, "now"),
          soci::use(slug, "slug");
    }
    audit::Append(sql, {author.actor, archived ? "territory.archived" : "territory.restored", "territory:" + slug, ""},
                  now);
    return true;
  });
  if (!done) return NotFound(slug);
  return core::Ok{};
}

namespace {

constexpr const char* kSelectAllTerritories =
    "SELECT slug, name, centre_lat, centre_lon, default_radius_km, neutral_exit_url, languages, "
    "youth_services, emergency_contacts, is_demo, archived_at, conversation_offer_minutes FROM territory "
    "ORDER BY slug";
constexpr const char* kSelectAllCommunes =
    "SELECT territory_slug, insee_code, name, postal_code FROM territory_commune ORDER BY territory_slug, name";

// The columns of a territory row that are stored as text lists, and its flags.
struct Columns {
  std::string languages, youth, emergency;
  int demo = 0;
  soci::indicator archived = soci::i_null;
};

void ApplyColumns(const Columns& columns, Territory& t) {
  t.is_demo = columns.demo != 0;
  t.archived = columns.archived == soci::i_ok;
  const std::string& languages = columns.languages;
  for (std::size_t start = 0; start < languages.size();) {
    auto end = languages.find(',', start);
    if (end == std::string::npos) end = languages.size();
    t.languages.push_back(languages.substr(start, end - start));
    start = end + 1;
  }
  for (const auto& s : nlohmann::json::parse(columns.youth)) {
    t.youth_services.push_back({s.at("name"), s.at("phone"), s.at("description")});
  }
  for (const auto& c : nlohmann::json::parse(columns.emergency)) {
    t.emergency_contacts.push_back({c.at("label"), c.at("number"), c.at("kind")});
  }
}

}  // namespace

std::optional<Territory> TerritoryRepository::Find(const std::string& slug) const {
  soci::session sql(db_.pool());
  Territory t;
  t.slug = slug;
  Columns columns;
  long long archived_at = 0;
  sql << kSelectTerritory, soci::use(slug, "slug"), soci::into(t.name), soci::into(t.centre_lat),
      soci::into(t.centre_lon), soci::into(t.default_radius_km), soci::into(t.neutral_exit_url),
      soci::into(columns.languages), soci::into(columns.youth), soci::into(columns.emergency), soci::into(columns.demo),
      soci::into(archived_at, columns.archived), soci::into(t.conversation_offer_minutes);
  if (!sql.got_data()) return std::nullopt;
  ApplyColumns(columns, t);
  Commune commune;
  soci::statement statement = (sql.prepare << kSelectCommunes, soci::use(slug, "slug"), soci::into(commune.insee_code),
                               soci::into(commune.name), soci::into(commune.postal_code));
  statement.execute();
  while (statement.fetch()) t.communes.push_back(commune);
  return t;
}

std::vector<Territory> TerritoryRepository::ListAll() const {
  soci::session sql(db_.pool());
  std::vector<Territory> out;
  {
    Territory t;
    Columns columns;
    long long archived_at = 0;
    soci::statement statement =
        (sql.prepare << kSelectAllTerritories, soci::into(t.slug), soci::into(t.name), soci::into(t.centre_lat),
         soci::into(t.centre_lon), soci::into(t.default_radius_km), soci::into(t.neutral_exit_url),
         soci::into(columns.languages), soci::into(columns.youth), soci::into(columns.emergency),
         soci::into(columns.demo), soci::into(archived_at, columns.archived), soci::into(t.conversation_offer_minutes));
    statement.execute();
    while (statement.fetch()) {
      Territory row = t;
      ApplyColumns(columns, row);
      out.push_back(std::move(row));
    }
  }
  // In the byte order of the slugs, whatever the database's collation.
  std::sort(out.begin(), out.end(), [](const Territory& a, const Territory& b) { return a.slug < b.slug; });
  std::string slug;
  Commune commune;
  soci::statement statement = (sql.prepare << kSelectAllCommunes, soci::into(slug), soci::into(commune.insee_code),
                               soci::into(commune.name), soci::into(commune.postal_code));
  statement.execute();
  while (statement.fetch()) {
    const auto it = std::lower_bound(out.begin(), out.end(), slug,
                                     [](const Territory& t, const std::string& s) { return t.slug < s; });
    if (it != out.end() && it->slug == slug) it->communes.push_back(commune);
  }
  // Every commune of France is in some territory at national scale: no doubling slack kept.
  for (Territory& t : out) t.communes.shrink_to_fit();
  return out;
}

std::vector<std::string> TerritoryRepository::ListSlugs() const {
  soci::session sql(db_.pool());
  std::vector<std::string> slugs;
  soci::rowset<std::string> rows =
      (sql.prepare << "SELECT slug FROM territory WHERE archived_at IS NULL ORDER BY slug");
  for (const auto& slug : rows) slugs.push_back(slug);
  return slugs;
}

std::vector<std::string> TerritoryRepository::ListAllSlugs() const {
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
