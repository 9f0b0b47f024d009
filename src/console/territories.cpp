#include "console/territories.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>

#include "accounts/register.h"
#include "console/page.h"
#include "geo/service.h"
#include "territory/communes.h"
#include "territory/demo.h"
#include "territory/service.h"

namespace passerelle::console {

namespace {

using accounts::Principal;
using nlohmann::json;
using territory::Territory;

// Search results shown at once: a département has up to about 900 communes.
constexpr std::size_t kMaxResults = 1000;
// Empty rows offered under the youth services and emergency numbers, to add some.
constexpr std::size_t kBlankRows = 2;

std::string Field(const http::FormData& form, const std::string& name) { return form.Get(name).value_or(""); }

bool Blank(const std::string& text) { return text.find_first_not_of(" \t\r\n") == std::string::npos; }

std::string Trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// "48,8924" as well as "48.8924".
std::optional<double> ParseNumber(std::string text) {
  text = Trimmed(text);
  std::replace(text.begin(), text.end(), ',', '.');
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::string FormatNumber(double value) {
  std::ostringstream out;
  out.precision(10);
  out << value;
  return out.str();
}

std::string LanguageLabel(const std::string& code) {
  if (code == "fr") return "Français";
  if (code == "en") return "Anglais";
  if (code == "ar") return "Arabe";
  return code;
}

// The gazetteer of the stored communes, read once on the first search (as the annuaire's, it
// follows a later `gazetteer load` after a restart).
class LazyGazetteer {
 public:
  explicit LazyGazetteer(storage::Database& db) : db_(db) {}
  const geo::Gazetteer& Get() {
    std::call_once(once_, [this] { gazetteer_ = std::make_unique<geo::Gazetteer>(geo::LoadGazetteer(db_)); });
    return *gazetteer_;
  }

 private:
  storage::Database& db_;
  std::once_flag once_;
  std::unique_ptr<geo::Gazetteer> gazetteer_;
};

// What she typed in a territory form, kept as typed to give it back with the errors.
struct Draft {
  std::string slug;
  std::string name;
  std::vector<territory::Commune> communes;
  std::vector<std::string> unknown_communes;  // INSEE codes neither stored nor in the gazetteer
  std::string centre_lat;
  std::string centre_lon;
  std::string radius_km;
  std::vector<territory::YouthService> youth;          // every row shown, blank ones too
  std::vector<territory::EmergencyContact> emergency;  // idem
  std::string exit_url;
  std::vector<std::string> languages;
  std::string query;
  // The delay before the other ways are offered in a live conversation, in minutes, as typed;
  // nothing when the form did not post it (the stored value stays).
  std::optional<std::string> offer_minutes;
};

Draft FromTerritory(const Territory& t) {
  Draft d;
  d.slug = t.slug;
  d.name = t.name;
  d.communes = t.communes;
  d.centre_lat = FormatNumber(t.centre_lat);
  d.centre_lon = FormatNumber(t.centre_lon);
  d.radius_km = FormatNumber(t.default_radius_km);
  d.youth = t.youth_services;
  d.emergency = t.emergency_contacts;
  d.exit_url = t.neutral_exit_url;
  d.languages = t.languages;
  d.offer_minutes = std::to_string(t.conversation_offer_minutes);
  return d;
}

// The rows of the two lists, as posted: youth_name_0, youth_phone_0, …
void ReadRows(const http::FormData& form, Draft& d) {
  d.youth.clear();
  d.emergency.clear();
  const auto count = [&form](const std::string& name) {
    const auto n = ParseNumber(Field(form, name));
    return n && *n >= 0 && *n <= 50 ? static_cast<std::size_t>(*n) : std::size_t{0};
  };
  for (std::size_t i = 0; i < count("youth_rows"); ++i) {
    const std::string n = std::to_string(i);
    d.youth.push_back({Trimmed(Field(form, "youth_name_" + n)), Trimmed(Field(form, "youth_phone_" + n)),
                       Trimmed(Field(form, "youth_description_" + n))});
  }
  for (std::size_t i = 0; i < count("emergency_rows"); ++i) {
    const std::string n = std::to_string(i);
    d.emergency.push_back({Trimmed(Field(form, "emergency_label_" + n)), Trimmed(Field(form, "emergency_number_" + n)),
                           Field(form, "emergency_kind_" + n)});
  }
}

// The conversation delay, when the form posted it.
void ReadOfferMinutes(const http::FormData& form, Draft& d) {
  if (const auto typed = form.Get("conversation_offer_minutes")) d.offer_minutes = Trimmed(*typed);
}

// The operator's whole form. Communes are posted as INSEE codes, named from the stored
// territory (when editing) or the gazetteer.
Draft ReadDraft(const http::FormData& form, const std::optional<Territory>& stored, const geo::Gazetteer& gazetteer) {
  Draft d;
  d.slug = stored ? stored->slug : Trimmed(Field(form, "slug"));
  d.name = Trimmed(Field(form, "name"));
  for (const std::string& insee : form.GetAll("commune")) {
    if (std::any_of(d.communes.begin(), d.communes.end(), [&](const auto& c) { return c.insee_code == insee; })) {
      continue;
    }
    const territory::Commune* known = nullptr;
    if (stored) {
      for (const auto& c : stored->communes) {
        if (c.insee_code == insee) known = &c;
      }
    }
    if (known != nullptr) {
      d.communes.push_back(*known);
    } else if (const geo::Commune* found = gazetteer.FindByInsee(insee)) {
      d.communes.push_back(territory::FromGazetteer(*found));
    } else {
      d.unknown_communes.push_back(insee);
    }
  }
  d.centre_lat = Trimmed(Field(form, "centre_lat"));
  d.centre_lon = Trimmed(Field(form, "centre_lon"));
  d.radius_km = Trimmed(Field(form, "default_radius_km"));
  ReadRows(form, d);
  d.exit_url = Trimmed(Field(form, "neutral_exit_url"));
  ReadOfferMinutes(form, d);
  for (const std::string& code : form.GetAll("language")) d.languages.push_back(code);
  d.query = Trimmed(Field(form, "q"));
  return d;
}

// The form's id of a problem's field (the error summary links to it).
std::string FieldId(const territory::Problem& p, const std::vector<std::size_t>& youth_rows,
                    const std::vector<std::size_t>& emergency_rows) {
  if (p.field == "centre") return "centre_lat";
  if (p.field == "communes") return p.row >= 0 ? "commune-" + std::to_string(p.row) : "q";
  if (p.field == "youth_services" && p.row >= 0) return "youth_name_" + std::to_string(youth_rows[p.row]);
  if (p.field == "emergency_contacts" && p.row >= 0) {
    return "emergency_label_" + std::to_string(emergency_rows[p.row]);
  }
  if (p.field == "languages") return "language-fr";
  return p.field;
}

std::string Capitalized(std::string message) {
  // The domain's messages start in lower case ("le nom est obligatoire"); ASCII only.
  if (!message.empty() && message[0] >= 'a' && message[0] <= 'z') message[0] = static_cast<char>(message[0] - 32);
  return message;
}

struct Checked {
  Territory territory;
  std::vector<territory::Problem> problems;  // with field ids in `field`
};

// The territory the draft describes, and every problem of it: numbers that are not numbers,
// unknown communes, then territory::Check. `base` gives what the form does not edit.
Checked Check(const Draft& d, Territory base) {
  Checked out;
  Territory& t = base;
  t.slug = d.slug;
  t.name = d.name;
  t.communes = d.communes;
  std::vector<territory::Problem> typed;
  const auto lat = ParseNumber(d.centre_lat);
  const auto lon = ParseNumber(d.centre_lon);
  if (!lat || !lon) {
    typed.push_back({"centre", -1, "la latitude et la longitude du centre sont des nombres en degrés (48,8924)"});
  } else {
    t.centre_lat = *lat;
    t.centre_lon = *lon;
  }
  const auto radius = ParseNumber(d.radius_km);
  if (!radius) {
    typed.push_back({"default_radius_km", -1, "le rayon est un nombre de kilomètres"});
  } else {
    t.default_radius_km = *radius;
  }
  for (const std::string& insee : d.unknown_communes) {
    typed.push_back({"communes", -1, "commune inconnue du référentiel « " + insee + " »"});
  }
  // Blank rows are no rows.
  std::vector<std::size_t> youth_rows, emergency_rows;
  t.youth_services.clear();
  for (std::size_t i = 0; i < d.youth.size(); ++i) {
    const auto& y = d.youth[i];
    if (Blank(y.name) && Blank(y.phone) && Blank(y.description)) continue;
    t.youth_services.push_back(y);
    youth_rows.push_back(i);
  }
  t.emergency_contacts.clear();
  for (std::size_t i = 0; i < d.emergency.size(); ++i) {
    const auto& e = d.emergency[i];
    if (Blank(e.label) && Blank(e.number)) continue;
    t.emergency_contacts.push_back(e);
    emergency_rows.push_back(i);
  }
  t.neutral_exit_url = d.exit_url;
  t.languages = d.languages;
  bool offer_typed = true;
  if (d.offer_minutes) {
    int minutes = 0;
    const std::string& text = *d.offer_minutes;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), minutes);
    offer_typed = !text.empty() && ec == std::errc() && end == text.data() + text.size();
    if (offer_typed) {
      t.conversation_offer_minutes = minutes;
    } else {
      typed.push_back({"conversation_offer_minutes", -1,
                       "le délai avant de proposer les autres moyens est un nombre entier de minutes, entre 1 et 30"});
    }
  }
  for (territory::Problem p : territory::Check(t)) {
    // A number she could not type is reported once, as typed.
    if ((p.field == "centre" && (!lat || !lon)) || (p.field == "default_radius_km" && !radius) ||
        (p.field == "conversation_offer_minutes" && !offer_typed)) {
      continue;
    }
    typed.push_back(std::move(p));
  }
  for (territory::Problem& p : typed) {
    p.field = FieldId(p, youth_rows, emergency_rows);
    p.message = Capitalized(p.message);
  }
  out.territory = std::move(t);
  out.problems = std::move(typed);
  return out;
}

// The form's data: values as typed, errors on their fields and rows.
json DraftJson(const Draft& d, const std::vector<territory::Problem>& problems) {
  json data;
  std::vector<accounts::FieldError> errors;
  const auto error_of = [&problems](const std::string& id) -> std::string {
    for (const auto& p : problems) {
      if (p.field == id) return p.message;
    }
    return "";
  };
  for (const auto& p : problems) errors.push_back({p.field, p.message});
  for (const char* id :
       {"slug", "name", "centre_lat", "default_radius_km", "neutral_exit_url", "conversation_offer_minutes", "q"}) {
    if (const std::string e = error_of(id); !e.empty()) data[std::string(id) + "_error"] = e;
  }
  if (const std::string e = error_of("language-fr"); !e.empty()) data["languages_error"] = e;
  data["slug"] = d.slug;
  data["name"] = d.name;
  data["centre_lat"] = d.centre_lat;
  data["centre_lon"] = d.centre_lon;
  data["default_radius_km"] = d.radius_km;
  data["neutral_exit_url"] = d.exit_url;
  data["conversation_offer_minutes"] = d.offer_minutes.value_or("5");
  data["q"] = d.query;
  json communes = json::array();
  for (std::size_t i = 0; i < d.communes.size(); ++i) {
    const auto& c = d.communes[i];
    const std::string id = "commune-" + std::to_string(i);
    json row = {{"id", id}, {"insee", c.insee_code}, {"name", c.name}, {"postal_code", c.postal_code}};
    if (const std::string e = error_of(id); !e.empty()) row["error"] = e;
    communes.push_back(std::move(row));
  }
  data["communes"] = communes;
  data["communes_count"] = d.communes.size();
  data["has_communes"] = !d.communes.empty();
  json youth = json::array();
  for (std::size_t i = 0; i < d.youth.size() + kBlankRows; ++i) {
    const territory::YouthService y = i < d.youth.size() ? d.youth[i] : territory::YouthService{};
    json row = {{"index", i}, {"number", i + 1}, {"name", y.name}, {"phone", y.phone}, {"description", y.description}};
    if (const std::string e = error_of("youth_name_" + std::to_string(i)); !e.empty()) row["error"] = e;
    youth.push_back(std::move(row));
  }
  data["youth"] = youth;
  data["youth_rows"] = youth.size();
  json emergency = json::array();
  for (std::size_t i = 0; i < d.emergency.size() + kBlankRows; ++i) {
    const territory::EmergencyContact e =
        i < d.emergency.size() ? d.emergency[i] : territory::EmergencyContact{"", "", "voice"};
    json row = {{"index", i},         {"number_label", i + 1},  {"label", e.label},
                {"number", e.number}, {"sms", e.kind == "sms"}, {"other_kind", e.kind != "sms" && e.kind != "voice"}};
    if (const std::string error = error_of("emergency_label_" + std::to_string(i)); !error.empty()) {
      row["error"] = error;
    }
    emergency.push_back(std::move(row));
  }
  data["emergency"] = emergency;
  data["emergency_rows"] = emergency.size();
  json languages = json::array();
  for (const std::string& code : territory::SupportedLanguages()) {
    const bool checked = std::find(d.languages.begin(), d.languages.end(), code) != d.languages.end();
    languages.push_back(
        {{"id", "language-" + code}, {"code", code}, {"label", LanguageLabel(code)}, {"checked", checked}});
  }
  data["languages"] = languages;
  if (!errors.empty()) data.update(accounts::ErrorData(errors));
  return data;
}

struct Context {
  ConsoleContext console;
  std::shared_ptr<LazyGazetteer> gazetteer;

  territory::TerritoryService Territories() const { return territory::TerritoryService(console.db); }
  // After a write: this instance serves the territory as saved (ConsoleContext::territory_saved).
  void Saved(const std::string& slug) const {
    if (console.territory_saved) console.territory_saved(slug);
  }

  http::Response Render(const http::Request& request, const Principal& principal, int status,
                        const std::string& template_name, const std::string& title, json data) const {
    return Page(console.renderer, request, principal, status, template_name, title, std::move(data));
  }

  // ---- operators: create and edit ----

  http::Response Form(const http::Request& request, const Principal& principal, int status,
                      const std::optional<Territory>& stored, const Draft& d,
                      const std::vector<territory::Problem>& problems, json extra) const {
    json data = DraftJson(d, problems);
    data.update(extra);
    data["creating"] = !stored.has_value();
    data["action"] = stored ? TerritoryPath(stored->slug, "modifier") : "/pro/territoires/nouveau";
    if (stored) {
      data["archived"] = stored->archived;
      data["archive_action"] = TerritoryPath(stored->slug, "archiver");
      data["hub"] = TerritoryPath(stored->slug);
      data["stored_name"] = stored->name;
    } else {
      json archived = json::array();
      for (const std::string& slug : Territories().ListAllSlugs()) {
        const auto t = Territories().Find(slug);
        if (t && t->archived) archived.push_back({{"name", t->name}, {"href", TerritoryPath(slug, "modifier")}});
      }
      data["has_archived_territories"] = !archived.empty();
      data["archived_territories"] = archived;
    }
    const std::string title = stored ? "Modifier le territoire" : "Créer un territoire";
    return Render(request, principal, status, "console_territory_form", title, std::move(data));
  }

  http::Response NewForm(http::Request& request, const Principal& principal) {
    Draft d;
    d.emergency = territory::NationalEmergencyContacts();
    d.languages = {"fr"};
    return Form(request, principal, 200, std::nullopt, d, {}, json::object());
  }

  http::Response EditForm(http::Request& request, const Principal& principal) {
    const auto stored = Territories().Find(request.Param("territory"));
    if (!stored) return http::Response::Error(404);
    json extra = json::object();
    const std::string state = request.QueryParams().Get("etat").value_or("");
    if (state == "cree") extra["notice"] = "Le territoire est créé.";
    if (state == "enregistre") extra["notice"] = "Le territoire est enregistré.";
    if (state == "archive") extra["notice"] = "Le territoire est archivé : il n’est plus proposé au public.";
    if (state == "restaure") extra["notice"] = "Le territoire est de nouveau proposé au public.";
    return Form(request, principal, 200, stored, FromTerritory(*stored), {}, extra);
  }

  // The one POST of the form: search the gazetteer, add the checked results, propose the
  // centre again, or save.
  http::Response Submit(const http::Request& request, const Principal& principal,
                        const std::optional<Territory>& stored) {
    const http::FormData form = request.Form();
    const geo::Gazetteer& communes = gazetteer->Get();
    Draft d = ReadDraft(form, stored, communes);
    const std::string action = Field(form, "action");
    json extra = json::object();
    if (action == "chercher") {
      if (d.query.empty()) {
        return Form(request, principal, 400, stored, d,
                    {{"q", -1, "Indiquez un nom, un code postal, un code INSEE, un département ou un EPCI"}}, extra);
      }
      json results = json::array();
      std::size_t index = 0;
      const auto found = communes.Search(d.query, kMaxResults);
      for (const geo::Commune* c : found) {
        const bool chosen = std::any_of(d.communes.begin(), d.communes.end(),
                                        [&](const auto& x) { return x.insee_code == c->insee_code; });
        results.push_back({{"id", "result-" + std::to_string(index++)},
                           {"insee", c->insee_code},
                           {"name", c->name},
                           {"postal_code", c->postal_codes.empty() ? "" : c->postal_codes.front()},
                           {"departement", c->departement},
                           {"chosen", chosen}});
      }
      extra["searched"] = true;
      extra["results"] = results;
      extra["results_count"] = found.size();
      extra["has_results"] = !found.empty();
      extra["results_truncated"] = found.size() == kMaxResults;
      return Form(request, principal, 200, stored, d, {}, extra);
    }
    if (action == "ajouter" || action == "proposer") {
      std::size_t added = 0;
      if (action == "ajouter") {
        for (const std::string& insee : form.GetAll("result")) {
          if (std::any_of(d.communes.begin(), d.communes.end(), [&](const auto& c) { return c.insee_code == insee; })) {
            continue;
          }
          if (const geo::Commune* c = communes.FindByInsee(insee)) {
            d.communes.push_back(territory::FromGazetteer(*c));
            ++added;
          }
        }
      }
      if (const auto proposal = territory::ProposeCentre(communes, d.communes)) {
        d.centre_lat = FormatNumber(proposal->lat);
        d.centre_lon = FormatNumber(proposal->lon);
        d.radius_km = FormatNumber(proposal->radius_km);
        extra["notice"] = (action == "ajouter" ? std::to_string(added) + " commune(s) ajoutée(s). " : std::string()) +
                          "Centre et rayon proposés à partir des communes : vous pouvez les ajuster.";
      } else if (action == "ajouter") {
        extra["notice"] = std::to_string(added) + " commune(s) ajoutée(s).";
      }
      return Form(request, principal, 200, stored, d, {}, extra);
    }
    Territory base = stored.value_or(Territory{});
    Checked checked = Check(d, base);
    if (action != "enregistrer") checked.problems.insert(checked.problems.begin(), {"name", -1, "Action inconnue"});
    if (!checked.problems.empty()) return Form(request, principal, 400, stored, d, checked.problems, extra);
    const territory::Author author{"account:" + principal.account_id};
    if (stored) {
      const auto updated = Territories().Update(checked.territory, author, "territory.changed", console.clock());
      if (!updated) return http::Response::Error(404);
      Saved(stored->slug);
      return http::Response::Redirect(303, TerritoryPath(stored->slug, "modifier") + "?etat=enregistre");
    }
    const auto created = Territories().Create(checked.territory, author, console.clock());
    if (!created) {
      return Form(request, principal, 400, stored, d,
                  {{"slug", -1, "Un territoire porte déjà l’identifiant « " + d.slug + " »"}}, extra);
    }
    Saved(checked.territory.slug);
    return http::Response::Redirect(303, TerritoryPath(checked.territory.slug, "modifier") + "?etat=cree");
  }

  http::Response Create(http::Request& request, const Principal& principal) {
    return Submit(request, principal, std::nullopt);
  }

  http::Response Edit(http::Request& request, const Principal& principal) {
    const auto stored = Territories().Find(request.Param("territory"));
    if (!stored) return http::Response::Error(404);
    return Submit(request, principal, stored);
  }

  http::Response Archive(http::Request& request, const Principal& principal) {
    const std::string slug = request.Param("territory");
    const std::string action = Field(request.Form(), "action");
    if (action != "archiver" && action != "restaurer") return http::Response::Error(400);
    const bool archive = action == "archiver";
    const auto done = Territories().SetArchived(slug, archive, {"account:" + principal.account_id}, console.clock());
    if (!done) return http::Response::Error(404);
    Saved(slug);
    return http::Response::Redirect(303,
                                    TerritoryPath(slug, "modifier") + (archive ? "?etat=archive" : "?etat=restaure"));
  }

  // ---- managers of the territory: the local settings ----

  http::Response Settings(const http::Request& request, const Principal& principal, int status, const Territory& stored,
                          const Draft& d, const std::vector<territory::Problem>& problems,
                          const std::string& notice) const {
    json data = DraftJson(d, problems);
    data["territory_name"] = stored.name;
    data["action"] = TerritoryPath(stored.slug, "parametres");
    data["hub"] = TerritoryPath(stored.slug);
    if (!notice.empty()) data["notice"] = notice;
    return Render(request, principal, status, "console_territory_settings", "Paramètres du territoire",
                  std::move(data));
  }

  http::Response ShowSettings(http::Request& request, const Principal& principal) {
    const auto stored = Territories().Find(request.Param("territory"));
    if (!stored) return http::Response::Error(404);
    const bool saved = request.QueryParams().Get("etat").value_or("") == "enregistres";
    return Settings(request, principal, 200, *stored, FromTerritory(*stored), {},
                    saved ? "Les paramètres sont enregistrés." : "");
  }

  http::Response SaveSettings(http::Request& request, const Principal& principal) {
    const auto stored = Territories().Find(request.Param("territory"));
    if (!stored) return http::Response::Error(404);
    const http::FormData form = request.Form();
    // Only these four fields come from the form; the rest stays as stored.
    Draft d = FromTerritory(*stored);
    ReadRows(form, d);
    d.exit_url = Trimmed(Field(form, "neutral_exit_url"));
    ReadOfferMinutes(form, d);
    Checked checked = Check(d, *stored);
    if (!checked.problems.empty()) return Settings(request, principal, 400, *stored, d, checked.problems, "");
    const auto updated = Territories().Update(checked.territory, {"account:" + principal.account_id},
                                              "territory.settings", console.clock());
    if (!updated) return http::Response::Error(404);
    Saved(stored->slug);
    return http::Response::Redirect(303, TerritoryPath(stored->slug, "parametres") + "?etat=enregistres");
  }
};

}  // namespace

void RegisterTerritories(const ConsoleContext& given) {
  auto c = std::make_shared<Context>(Context{given, std::make_shared<LazyGazetteer>(given.db)});
  const auto bind = [c](http::Response (Context::*method)(http::Request&, const Principal&)) {
    return
        [c, method](http::Request& request, const Principal& principal) { return ((*c).*method)(request, principal); };
  };
  // Operators only; the pages naming a territory need it to exist.
  const accounts::Access operators_of_territory =
      accounts::Access::Roles({accounts::Role::kOperator}, {{"territory", std::string(accounts::kTerritoryObject)}});
  auto& routes = given.routes;
  routes.Get("/pro/territoires/nouveau", Operators(), bind(&Context::NewForm));
  routes.Post("/pro/territoires/nouveau", Operators(), bind(&Context::Create));
  routes.Get("/pro/territoires/{territory}/modifier", operators_of_territory, bind(&Context::EditForm));
  routes.Post("/pro/territoires/{territory}/modifier", operators_of_territory, bind(&Context::Edit));
  routes.Post("/pro/territoires/{territory}/archiver", operators_of_territory, bind(&Context::Archive));
  routes.Get("/pro/territoires/{territory}/parametres", ManagersOfTerritory(), bind(&Context::ShowSettings));
  routes.Post("/pro/territoires/{territory}/parametres", ManagersOfTerritory(), bind(&Context::SaveSettings));
}

}  // namespace passerelle::console
