#include "annuaire/register.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>
#include <mutex>

#include "annuaire/search.h"
#include "annuaire/view.h"
#include "core/epoch_cache.h"
#include "http/pipeline.h"

namespace passerelle::annuaire {

namespace {

constexpr std::size_t kPageSize = 10;        // results of the HTML list (small pages for old phones)
constexpr std::size_t kApiDefaultSize = 20;  // per page in the API (at most geo::kMaxPageSize)
constexpr double kNationalRadiusKm = 10;
constexpr double kMaxApiRadiusKm = 200;

struct Context {
  const http::Renderer& renderer;
  const ServiceIndex& index;
  const directory::DirectoryService& directory;
  const geo::Gazetteer& gazetteer;
  AnnuaireSettings settings;
  http::RateLimiter api_limiter;
};

// The territories as this request finds them (never null).
std::shared_ptr<const territory::TerritorySet> TerritoriesNow(const Context& c) {
  static const std::shared_ptr<const territory::TerritorySet> kNone = territory::MakeTerritorySet({});
  auto now = c.settings.territories ? c.settings.territories() : nullptr;
  return now != nullptr ? now : kNone;
}

// The directory list's data, kept per query for as long as everything it is built from is
// unchanged (docs/adr/0015-public-page-cache.md, "The directory's list"): the annuaire's index
// (its generation), the territories (the same snapshot), the translations (the page cache's
// generation) and the minute (opening hours, "open now" and closures change at whole minutes
// only). The query, the language and the path name everything else the handler reads; the
// gazetteer and the settings are fixed at start. Only lists of a place resolved in the
// gazetteer are kept (public data, like the page cache); bounded, emptied when full.
struct ListMemo {
  struct Epoch {
    std::int64_t minute = 0;
    std::uint64_t index_generation = 0;
    std::uint64_t page_generation = 0;
    // Held, so that a new snapshot can never reuse the address of the one compared against.
    std::shared_ptr<const territory::TerritorySet> territories;
    bool operator==(const Epoch& other) const {
      return minute == other.minute && index_generation == other.index_generation &&
             page_generation == other.page_generation && territories == other.territories;
    }
  };
  struct Entry {
    nlohmann::json data;
    std::string dumped;  // data.dump(), the page cache's key
    std::string visit_scope;
  };
  static constexpr std::size_t kMaxEntries = 128;
  core::EpochCache<Epoch, std::shared_ptr<const Entry>> kept{kMaxEntries};
};

// The instance's territory in `territories`; null on a national instance.
const territory::Territory* Own(const Context& c, const territory::TerritorySet& territories) {
  return c.settings.territory_slug.empty() ? nullptr : territories.Find(c.settings.territory_slug);
}

// A query parameter that could not be read: the API's 400 names it.
struct BadParameter {
  std::string name;
  std::string message;
};

std::optional<double> ParseDouble(const std::string& text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<long> ParseInt(const std::string& text) {
  long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<bool> ParseBool(const std::string& text) {
  if (text == "true" || text == "1" || text == "oui" || text == "on") return true;
  if (text == "false" || text == "0" || text == "non" || text.empty()) return false;
  return std::nullopt;
}

bool IsLanguageCode(const std::string& text) {
  if (text.size() < 2 || text.size() > 3) return false;
  for (char c : text) {
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

// Categories from repeated parameters and comma-separated lists.
std::optional<std::vector<directory::Category>> ParseCategories(const std::vector<std::string>& values) {
  std::vector<directory::Category> out;
  for (const std::string& value : values) {
    std::size_t start = 0;
    while (start <= value.size()) {
      const std::size_t comma = std::min(value.find(',', start), value.size());
      const std::string code = value.substr(start, comma - start);
      start = comma + 1;
      if (code.empty()) continue;
      const auto category = directory::FromCode(code, directory::kAllCategories);
      if (!category) return std::nullopt;
      out.push_back(*category);
    }
  }
  return out;
}

http::Response BadRequest(const BadParameter& bad) {
  return http::Response::Json(
      400, nlohmann::json{{"error", {{"status", 400}, {"message", bad.message}, {"parameter", bad.name}}}}.dump());
}

// --- The HTML list ---

struct ListForm {
  std::string commune;
  std::string category;
  bool open_now = false;
  std::string language;
  bool free_only = false;
  bool wheelchair = false;
  long page = 1;
  double radius_km = 0;  // 0: the default
};

ListForm ReadListForm(const http::Request& request) {
  const http::FormData q = request.QueryParams();
  ListForm form;
  form.commune = q.Get("commune").value_or("");
  if (form.commune.size() > kMaxPlaceBytes) form.commune.resize(kMaxPlaceBytes);
  form.category = q.Get("categorie").value_or("");
  if (!directory::FromCode(form.category, directory::kAllCategories)) form.category.clear();
  form.open_now = q.Get("ouvert").value_or("") == "1";
  form.language = q.Get("langue").value_or("");
  if (!IsLanguageCode(form.language)) form.language.clear();
  form.free_only = q.Get("gratuit").value_or("") == "1";
  form.wheelchair = q.Get("fauteuil").value_or("") == "1";
  form.page = std::clamp(ParseInt(q.Get("page").value_or("1")).value_or(1), 1L,
                         static_cast<long>(geo::kMaxPageOffset / kPageSize) + 1);
  if (const auto radius = ParseDouble(q.Get("rayon").value_or(""))) {
    form.radius_km = std::clamp(*radius, 1.0, kMaxApiRadiusKm);
  }
  return form;
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// The list's address with `form`'s filters, for the "next page" and "wider" links.
std::string ListHref(const http::Request& request, const ListForm& form, long page, double radius_km) {
  std::string query;
  const auto add = [&](const char* name, const std::string& value) {
    if (!value.empty()) query += (query.empty() ? "?" : "&") + std::string(name) + "=" + PercentEncode(value);
  };
  add("commune", form.commune);
  add("categorie", form.category);
  add("ouvert", form.open_now ? "1" : "");
  add("langue", form.language);
  add("gratuit", form.free_only ? "1" : "");
  add("fauteuil", form.wheelchair ? "1" : "");
  if (radius_km > 0) add("rayon", std::to_string(std::lround(radius_km)));
  if (page > 1) add("page", std::to_string(page));
  return http::Renderer::LocalizedPath(request.locale, "/annuaire") + query;
}

// Languages offered in the filter: the territory's, else the common ones.
std::vector<std::string> FilterLanguages(const territory::Territory* own) {
  std::vector<std::string> codes = {"fr", "en", "ar", "es", "pt", "tr", "ro", "ru", "uk"};
  if (own != nullptr && !own->languages.empty()) {
    for (const auto& l : own->languages) {
      if (std::find(codes.begin(), codes.end(), l) == codes.end()) codes.push_back(l);
    }
  }
  return codes;
}

// The catalog of the visitor's language, for the labels built in C++ (view.h).
TranslateFn TranslatorFor(const Context& c, const http::Request& request) {
  return [&renderer = c.renderer, locale = request.locale](const std::string& msgid) {
    return renderer.Translate(locale, msgid);
  };
}

// The territory the list page is about, for its visit: the one holding the commune searched, or
// for a postal code shared by several communes ("75010": Paris and its 10th arrondissement), the
// one holding any of them; "" for none (a territory's site counts every visit under its own
// territory whatever this says: stats::PageVisits).
std::string TerritoryOfPlace(const Context& c, const territory::TerritorySet& territories, const std::string& typed,
                             const Place& place) {
  const auto& of = territories.territory_of_commune;
  if (const auto it = of.find(place.insee_code); it != of.end()) return it->second;
  const bool postal_code =
      typed.size() == 5 && std::all_of(typed.begin(), typed.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  if (!postal_code) return "";
  for (const geo::Commune* commune : c.gazetteer.FindByPostalCode(typed)) {
    if (const auto it = of.find(commune->insee_code); it != of.end()) return it->second;
  }
  return "";
}

http::Response ListPage(Context& c, ListMemo& memo, http::Request& request) {
  const auto now = std::chrono::system_clock::now();
  const auto territories = TerritoriesNow(c);
  // Read before anything the page is built from: a change meanwhile makes a newer epoch.
  const ListMemo::Epoch epoch{std::chrono::floor<std::chrono::minutes>(now).time_since_epoch().count(),
                              c.index.Generation(), c.renderer.PageCacheGeneration(), territories};
  std::string memo_key = request.locale;
  memo_key += '\x1f';
  memo_key += request.path;
  memo_key += '\x1f';
  memo_key += request.query;
  if (const auto kept = memo.kept.Find(epoch, memo_key)) {
    const ListMemo::Entry& entry = **kept;
    http::Response response =
        c.renderer.PublicPage(request, 200, "annuaire/list", "Annuaire", entry.data, entry.dumped);
    response.visit_scope = entry.visit_scope;
    return response;
  }
  const ListForm form = ReadListForm(request);
  const TranslateFn translate = TranslatorFor(c, request);
  const territory::Territory* own = Own(c, *territories);

  nlohmann::json categories = nlohmann::json::array();
  for (directory::Category category : directory::kAllCategories) {
    const std::string code(directory::CodeOf(category));
    categories.push_back(
        {{"code", code}, {"label", translate(CategoryLabel(category))}, {"selected", code == form.category}});
  }
  nlohmann::json languages = nlohmann::json::array();
  for (const std::string& code : FilterLanguages(own)) {
    languages.push_back(
        {{"code", code}, {"label", translate(LanguageLabel(code))}, {"selected", code == form.language}});
  }
  nlohmann::json data = {
      {"form",
       {{"commune", form.commune},
        {"open_now", form.open_now},
        {"free", form.free_only},
        {"wheelchair", form.wheelchair}}},
      {"categories", categories},
      {"languages", languages},
      {"searched", false},
      {"map", !c.settings.tile_url.empty()},
      {"tile_url", c.settings.tile_url},
      {"tile_attribution", c.settings.tile_attribution},
  };

  // Where to search: the commune typed, else the territory's centre.
  std::optional<Place> place;
  if (!form.commune.empty()) {
    auto resolved = ResolvePlace(c.gazetteer, form.commune, translate, request.locale);
    if (!resolved) {
      data["place_error"] = resolved.error().public_message;
      return c.renderer.Page(request, 200, "annuaire/list", "Annuaire", data);
    }
    place = std::move(resolved).value();
  } else if (own != nullptr) {
    place = Place{own->name, "", own->centre_lat, own->centre_lon};
  } else {
    data["needs_place"] = true;
    return c.renderer.PublicPage(request, 200, "annuaire/list", "Annuaire", data);
  }

  const double default_radius = own != nullptr ? own->default_radius_km : kNationalRadiusKm;
  ServiceQuery query;
  query.lat = place->lat;
  query.lon = place->lon;
  query.radius_km = form.radius_km > 0 ? form.radius_km : default_radius;
  if (const auto category = directory::FromCode(form.category, directory::kAllCategories)) {
    query.categories = {*category};
  }
  query.language = form.language;
  query.free_only = form.free_only;
  query.wheelchair = form.wheelchair;
  query.open_now = form.open_now ? OpenNow::kOnly : OpenNow::kAny;
  query.offset = static_cast<std::size_t>(form.page - 1) * kPageSize;
  query.limit = kPageSize;
  query.now = now;
  auto found = c.index.Find(query);
  if (!found) return http::ErrorFor(found.error());

  nlohmann::json results = nlohmann::json::array();
  for (const Hit& hit : found.value().items) {
    nlohmann::json result = ResultView(hit, now, translate, request.locale);
    result["href"] = http::Renderer::LocalizedPath(request.locale, "/annuaire/" + hit.point->point.service_id);
    results.push_back(std::move(result));
  }
  data["searched"] = true;
  data["place"] = place->label;
  data["radius"] = LocalDistance(query.radius_km, request.locale);
  data["results"] = results;
  data["has_results"] = !results.empty();
  data["first"] = query.offset + 1;
  data["last"] = query.offset + results.size();
  if (found.value().has_more) data["next_href"] = ListHref(request, form, form.page + 1, form.radius_km);
  if (form.page > 1) data["previous_href"] = ListHref(request, form, form.page - 1, form.radius_km);
  if (!found.value().has_more && query.radius_km * 2 <= kMaxApiRadiusKm) {
    data["wider_href"] = ListHref(request, form, 1, query.radius_km * 2);
    data["wider_radius"] = LocalDistance(query.radius_km * 2, request.locale);
  }
  data["has_pages"] = data.contains("next_href") || data.contains("previous_href") || data.contains("wider_href");
  // Only public data: the directory's services and a place of the gazetteer (what she typed
  // was resolved to it; what could not be is answered above, uncached). ADR 0015.
  auto entry = std::make_shared<ListMemo::Entry>();
  entry->dumped = data.dump();
  entry->data = std::move(data);
  entry->visit_scope = TerritoryOfPlace(c, *territories, form.commune, *place);
  http::Response response =
      c.renderer.PublicPage(request, 200, "annuaire/list", "Annuaire", entry->data, entry->dumped);
  response.visit_scope = entry->visit_scope;
  memo.kept.Store(epoch, memo_key, std::move(entry));
  return response;
}

http::Response DetailPage(Context& c, http::Request& request) {
  const auto view = c.directory.GetPublicService(request.Param("id"));
  if (!view) return http::Response::Error(404, "Ce service n'existe pas ou n'est plus référencé.");
  nlohmann::json data = DetailView(*view, std::chrono::system_clock::now(), TranslatorFor(c, request), request.locale);
  data["list_href"] = http::Renderer::LocalizedPath(request.locale, "/annuaire");
  http::Response response =
      c.renderer.PublicPage(request, 200, "annuaire/detail", view->service.name, {{"service", data}});
  response.visit_scope = view->organization.territory_slug;  // the visit is of the service's territory
  return response;
}

// --- The JSON API ---

std::optional<http::Response> RateLimit(Context& c, const http::Request& request) {
  const auto retry = c.api_limiter.Hit(http::ClientAddress(request), std::chrono::steady_clock::now());
  if (!retry) return std::nullopt;
  http::Response response = http::Response::Error(429);
  response.SetHeader("Retry-After", std::to_string(std::max<long long>(1, retry->count())));
  return response;
}

// ServiceQuery from the API's parameters, or the first bad one.
std::variant<ServiceQuery, BadParameter> ReadApiQuery(const Context& c, const http::Request& request) {
  const http::FormData q = request.QueryParams();
  ServiceQuery query;
  query.now = std::chrono::system_clock::now();
  const auto territories = TerritoriesNow(c);
  const territory::Territory* own = Own(c, *territories);
  const auto lat = q.Get("lat");
  const auto lon = q.Get("lon");
  if (lat || lon) {
    if (!lat) return BadParameter{"lat", "Paramètre lat manquant (latitude en degrés décimaux)."};
    const auto lat_value = ParseDouble(*lat);
    if (!lat_value || *lat_value < -90 || *lat_value > 90) {
      return BadParameter{"lat", "Paramètre lat invalide : une latitude entre -90 et 90 est attendue."};
    }
    if (!lon) return BadParameter{"lon", "Paramètre lon manquant (longitude en degrés décimaux)."};
    const auto lon_value = ParseDouble(*lon);
    if (!lon_value || *lon_value < -180 || *lon_value > 180) {
      return BadParameter{"lon", "Paramètre lon invalide : une longitude entre -180 et 180 est attendue."};
    }
    query.lat = *lat_value;
    query.lon = *lon_value;
  } else if (own != nullptr) {
    query.lat = own->centre_lat;
    query.lon = own->centre_lon;
  } else {
    return BadParameter{"lat", "Paramètres lat et lon requis."};
  }
  query.radius_km = own != nullptr ? own->default_radius_km : kNationalRadiusKm;
  if (const auto radius = q.Get("radius_km")) {
    const auto value = ParseDouble(*radius);
    if (!value || *value <= 0 || *value > kMaxApiRadiusKm) {
      return BadParameter{"radius_km", "Paramètre radius_km invalide : un rayon en km, au plus 200, est attendu."};
    }
    query.radius_km = *value;
  }
  const auto categories = ParseCategories(q.GetAll("category"));
  if (!categories) return BadParameter{"category", "Paramètre category invalide : catégorie inconnue."};
  query.categories = *categories;
  const auto flag = [&](const char* name, bool& out) -> std::optional<BadParameter> {
    const auto value = q.Get(name);
    if (!value) return std::nullopt;
    const auto parsed = ParseBool(*value);
    if (!parsed) return BadParameter{name, std::string("Paramètre ") + name + " invalide : true ou false est attendu."};
    out = *parsed;
    return std::nullopt;
  };
  bool open_now = false;
  for (const auto& [name, out] : {std::pair<const char*, bool*>{"open_now", &open_now},
                                  {"free", &query.free_only},
                                  {"wheelchair", &query.wheelchair},
                                  {"accepts_referrals", &query.accepts_referrals}}) {
    if (auto bad = flag(name, *out)) return *bad;
  }
  query.open_now = open_now ? OpenNow::kOnly : OpenNow::kAny;
  if (const auto lang = q.Get("lang")) {
    if (!IsLanguageCode(*lang)) return BadParameter{"lang", "Paramètre lang invalide : un code ISO 639 est attendu."};
    query.language = *lang;
  }
  long per_page = kApiDefaultSize;
  if (const auto size = q.Get("per_page")) {
    const auto value = ParseInt(*size);
    if (!value || *value < 1 || *value > static_cast<long>(geo::kMaxPageSize)) {
      return BadParameter{"per_page", "Paramètre per_page invalide : entre 1 et 50."};
    }
    per_page = *value;
  }
  long page = 1;
  if (const auto page_text = q.Get("page")) {
    const auto value = ParseInt(*page_text);
    if (!value || *value < 1 || (*value - 1) * per_page > static_cast<long>(geo::kMaxPageOffset)) {
      return BadParameter{"page", "Paramètre page invalide : un numéro de page à partir de 1 est attendu."};
    }
    page = *value;
  }
  query.offset = static_cast<std::size_t>((page - 1) * per_page);
  query.limit = static_cast<std::size_t>(per_page);
  if (own != nullptr) query.territory = own->slug;
  return query;
}

http::Response ApiServices(Context& c, http::Request& request) {
  if (auto limited = RateLimit(c, request)) return *limited;
  auto read = ReadApiQuery(c, request);
  if (auto* bad = std::get_if<BadParameter>(&read)) return BadRequest(*bad);
  const ServiceQuery& query = std::get<ServiceQuery>(read);
  auto found = c.index.Find(query);
  if (!found) return http::ErrorFor(found.error());
  nlohmann::json contents = nlohmann::json::array();
  for (const Hit& hit : found.value().items) {
    const ServicePoint& p = *hit.point;
    const directory::PublicOrganization& o = *p.organization;
    directory::PublicServiceView view{o, {}, {}};
    for (const auto& s : o.services) {
      if (s.id == p.point.service_id) view.service = s;
    }
    for (const auto& l : o.locations) {
      if (std::find(view.service.location_ids.begin(), view.service.location_ids.end(), l.id) !=
          view.service.location_ids.end()) {
        view.locations.push_back(l);
      }
    }
    nlohmann::json item = directory::ToJson(view);
    item["location_id"] = p.point.location_id;
    item["distance_km"] = std::round(hit.distance_km * 100) / 100;
    // A confidential place is measured from the centre of its commune.
    item["distance_approximate"] = p.point.confidential;
    const Opening opening = DescribeOpening(p.hours, o, query.now);
    item["open_now"] = opening.state == Opening::State::kNotProvided
                           ? nlohmann::json(nullptr)
                           : nlohmann::json(opening.state == Opening::State::kOpen);
    contents.push_back(std::move(item));
  }
  const std::size_t page_number = query.offset / query.limit + 1;
  return http::Response::Json(200, nlohmann::json{{"page_number", page_number},
                                                  {"size", query.limit},
                                                  {"has_more", found.value().has_more},
                                                  {"contents", contents}}
                                       .dump());
}

http::Response ApiService(Context& c, http::Request& request) {
  if (auto limited = RateLimit(c, request)) return *limited;
  const auto view = c.directory.GetPublicService(request.Param("id"));
  if (!view) return http::Response::Error(404, "Service inconnu.");
  return http::Response::Json(200, directory::ToJson(*view).dump());
}

http::Response ApiCommunes(Context& c, http::Request& request) {
  if (auto limited = RateLimit(c, request)) return *limited;
  const auto q = request.QueryParams().Get("q");
  if (!q || q->empty() || q->size() > kMaxPlaceBytes) {
    return BadRequest(
        {"q", "Paramètre q requis : le début d'un nom de commune ou un code postal (100 caractères au plus)."});
  }
  nlohmann::json contents = nlohmann::json::array();
  for (const Place& p : SuggestCommunes(c.gazetteer, *q, kMaxSuggestions)) {
    contents.push_back({{"label", p.label}, {"insee_code", p.insee_code}, {"latitude", p.lat}, {"longitude", p.lon}});
  }
  return http::Response::Json(200, nlohmann::json{{"contents", contents}}.dump());
}

}  // namespace

void RegisterAnnuaire(http::Router& router, const http::Renderer& renderer, const ServiceIndex& index,
                      const directory::DirectoryService& directory, const geo::Gazetteer& gazetteer,
                      AnnuaireSettings settings) {
  const std::size_t limit = std::max<std::size_t>(1, settings.api_requests_per_minute);
  auto c = std::shared_ptr<Context>(new Context{renderer, index, directory, gazetteer, std::move(settings),
                                                http::RateLimiter(limit, std::chrono::seconds(60))});
  // Under load the directory comes after the help path and the public pages (DESIGN §9).
  const http::Router::ClassScope search_class(router, http::Priority::kSearch);
  auto list_memo = std::make_shared<ListMemo>();
  router.Get("/annuaire", [c, list_memo](http::Request& request) { return ListPage(*c, *list_memo, request); });
  router.Get("/annuaire/{id}", [c](http::Request& request) { return DetailPage(*c, request); });
  router.Get("/api/v1/services", [c](http::Request& request) { return ApiServices(*c, request); });
  router.Get("/api/v1/services/{id}", [c](http::Request& request) { return ApiService(*c, request); });
  router.Get("/api/v1/communes", [c](http::Request& request) { return ApiCommunes(*c, request); });
}

}  // namespace passerelle::annuaire
