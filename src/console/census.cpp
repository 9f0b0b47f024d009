#include "console/census.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <memory>
#include <set>

#include "accounts/service.h"
#include "annuaire/view.h"
#include "audit/audit_log.h"
#include "console/page.h"
#include "core/paris_time.h"
#include "directory/freshness.h"
#include "directory/opening_hours.h"
#include "directory/validation.h"
#include "geo/repository.h"
#include "http/pipeline.h"
#include "org_keys/service.h"
#include "profile/form.h"
#include "profile/service.h"
#include "territory/service.h"

namespace passerelle::console {

namespace {

using accounts::Principal;
using directory::Entity;
using directory::FieldError;
using directory::Organization;
using nlohmann::json;
using profile::Field;
using profile::FieldProblem;
using Problems = std::vector<FieldProblem>;

constexpr const char* kSection = "acteurs";

std::string Trim(std::string_view text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return std::string(text);
}

std::string ActorOf(const Principal& principal) { return "account:" + principal.account_id; }

// "23/11/2025" for "2025-11-23".
std::string FrenchDate(const std::string& iso) {
  return iso.size() == 10 ? iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4) : iso;
}

std::string Coordinate(const std::optional<double>& value) {
  if (!value) return "";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6f", *value);
  return buffer;
}

// A typed coordinate: nothing when blank; a comma is read as the decimal point.
std::optional<std::optional<double>> ParseCoordinate(std::string text) {
  text = Trim(text);
  if (text.empty()) return std::optional<double>{};
  std::replace(text.begin(), text.end(), ',', '.');
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return std::optional<double>{value};
}

// The message of a directory check for the coordinator: "Nom : le nom est obligatoire".
FieldProblem Problem(std::string field_id, const std::string& label, const FieldError& error) {
  return {std::move(field_id), label + " : " + error.reason};
}

// ---- the form field a directory check names, per form ----

FieldProblem OrganizationProblem(const FieldError& e) {
  if (e.entity == Entity::kPhone && e.index) {
    const std::string part = e.field == "description" ? "description" : "number";
    return Problem("phone-" + std::to_string(*e.index) + "-" + part, "Téléphone " + std::to_string(*e.index + 1), e);
  }
  static const std::pair<const char*, const char*> kFields[] = {{"name", "Nom"},
                                                                {"description", "Présentation"},
                                                                {"website", "Site web"},
                                                                {"email", "E-mail"},
                                                                {"alert", "Avis au public"},
                                                                {"closed_from", "Fermée à partir du"},
                                                                {"closed_until", "Jusqu’au"}};
  if (e.entity == Entity::kOrganization) {
    for (const auto& [field, label] : kFields) {
      if (e.field == field) return Problem(field, label, e);
    }
  }
  return Problem("name", "Organisation", e);
}

FieldProblem LocationProblem(const FieldError& e) {
  static const std::pair<const char*, const char*> kFields[] = {
      {"name", "Nom du lieu"},    {"address", "Adresse"},       {"postal_code", "Code postal"},
      {"city", "Commune"},        {"insee_code", "Code INSEE"}, {"latitude", "Latitude"},
      {"longitude", "Longitude"}, {"transportation", "Accès"}};
  if (e.entity == Entity::kLocation) {
    for (const auto& [field, label] : kFields) {
      if (e.field == field) return Problem(field, label, e);
    }
  }
  return Problem("address", "Lieu", e);
}

FieldProblem ServiceProblem(const FieldError& e) {
  static const std::pair<const char*, const char*> kFields[] = {{"name", "Nom du service"},
                                                                {"description", "Description"},
                                                                {"categories", "Catégories"},
                                                                {"languages", "Langues"},
                                                                {"fees", "Tarif"},
                                                                {"accessibility", "Accessibilité"},
                                                                {"opening_hours", "Horaires"},
                                                                {"application_process", "Comment faire"},
                                                                {"location_ids", "Lieux"}};
  if (e.entity == Entity::kService) {
    for (const auto& [field, label] : kFields) {
      if (e.field == field) return Problem(e.field == "location_ids" ? "locations" : field, label, e);
    }
  }
  return Problem("name", "Service", e);
}

// ---- labels ----

std::string PublicationLabel(directory::Publication p) {
  return p == directory::Publication::kDraft ? "Brouillon (non publié)" : "Publié";
}

std::string StatusLabel(const Organization& o) {
  switch (o.status) {
    case directory::OrganizationStatus::kActive:
      return "Ouvert";
    case directory::OrganizationStatus::kTemporarilyClosed:
      return "Fermé temporairement du " + FrenchDate(o.closed_from) +
             (o.closed_until.empty() ? " jusqu’à nouvel ordre" : " au " + FrenchDate(o.closed_until));
    case directory::OrganizationStatus::kDefunct:
      return "Archivé (n’existe plus)";
  }
  return "";
}

// Drafts first (they wait for the coordinator), then closed, open, and archived last.
int SortRank(const Organization& o) {
  if (o.publication == directory::Publication::kDraft) return 0;
  switch (o.status) {
    case directory::OrganizationStatus::kTemporarilyClosed:
      return 1;
    case directory::OrganizationStatus::kActive:
      return 2;
    case directory::OrganizationStatus::kDefunct:
      return 3;
  }
  return 4;
}

std::string Notice(const http::Request& request) {
  const std::string state = request.QueryParams().Get("etat").value_or("");
  if (state == "cree") {
    return "L’organisation est enregistrée comme brouillon : le public ne la voit pas encore. Ajoutez ses lieux et "
           "ses services, puis publiez-la.";
  }
  if (state == "enregistre") return "Les modifications sont enregistrées.";
  if (state == "lieu") return "Le lieu est enregistré.";
  if (state == "service") return "Le service est enregistré.";
  if (state == "publie") return "L’organisation est publiée : l’annuaire public l’affiche.";
  if (state == "ferme") return "L’organisation est indiquée comme fermée temporairement.";
  if (state == "rouvert") return "L’organisation est de nouveau ouverte.";
  if (state == "archive") return "L’organisation est archivée : le public ne la voit plus.";
  return "";
}

struct Census {
  ConsoleContext context;

  std::chrono::system_clock::time_point Now() const { return context.clock(); }

  static std::string Base(const std::string& slug, const std::string& organization_id = "") {
    return TerritoryPath(slug, kSection) + (organization_id.empty() ? "" : "/" + organization_id);
  }

  std::string TerritoryName(const std::string& slug) const {
    const auto territory = territory::TerritoryService(context.db).Find(slug);
    return territory ? territory->name : slug;
  }

  // The organization of the path, when it belongs to the territory of the path.
  std::optional<Organization> Find(const http::Request& request) const {
    auto o = context.directory.Get(request.Param("organization"));
    if (!o || o->territory_slug != request.Param("territory")) return std::nullopt;
    return o;
  }

  // Checks `next` as the imports do (AssignMissingIds, then directory::CheckOrganization).
  static std::optional<FieldError> Check(Organization& next) {
    directory::AssignMissingIds(next, directory::IdStrategy::kRandom);
    directory::Canonicalize(next);
    return directory::CheckOrganization(next);
  }

  // Checks `next` as the imports do, then writes it over `before` with its audit entry
  // (`action`, the changed field names). The problems, mapped to the form's fields by
  // `problem_of` (the directory's own refusal in the transaction, e.g. an id taken meanwhile,
  // too): nothing is written when there is one.
  Problems CheckAndWrite(const Principal& principal, const Organization& before, Organization next,
                         FieldProblem (*problem_of)(const FieldError&), const std::string& action) {
    if (auto error = Check(next)) return {problem_of(*error)};
    const auto changed = profile::ChangedFields(before, next);
    std::string detail;
    for (const std::string& field : changed) detail += (detail.empty() ? "" : ",") + field;
    auto updated = context.directory.Update(next, Now(), [&](soci::session& sql, const Organization& previous) {
      audit::Append(sql, audit::Entry{ActorOf(principal), action, "organization:" + previous.id, detail}, Now());
    });
    if (!updated)
      return {problem_of(FieldError{Entity::kOrganization, std::nullopt, "", updated.error().public_message})};
    return {};
  }

  // ---- the list ----

  http::Response List(http::Request& request, const Principal& principal) {
    const std::string slug = request.Param("territory");
    auto organizations = context.directory.ListByTerritory(slug);
    std::sort(organizations.begin(), organizations.end(), [](const Organization& a, const Organization& b) {
      return std::pair(SortRank(a), a.name) < std::pair(SortRank(b), b.name);
    });
    std::set<std::string> stale;
    {
      soci::session sql(context.db.pool());
      stale = directory::StaleOrganizations(sql, slug);
    }
    json rows = json::array();
    for (const Organization& o : organizations) {
      const std::size_t members = accounts::MemberCount(context.db, o.id);
      rows.push_back({{"name", o.name},
                      {"href", Base(slug, o.id)},
                      {"draft", o.publication == directory::Publication::kDraft},
                      {"publication", PublicationLabel(o.publication)},
                      {"status", StatusLabel(o)},
                      {"closed", o.status != directory::OrganizationStatus::kActive},
                      {"accepts_referrals", o.accepts_referrals},
                      {"has_key", org_keys::PublicKeyOf(context.db, o.id).has_value()},
                      {"members", members},
                      {"has_members", members > 0},
                      {"professionals_only", o.visibility == directory::Visibility::kProfessionals},
                      {"services", o.services.size()},
                      {"locations", o.locations.size()},
                      {"assured_date", FrenchDate(o.assured_date)},
                      // Unanswered freshness question for over 30 days (issue 11 §3).
                      {"stale", stale.count(o.id) > 0}});
    }
    const std::string name = TerritoryName(slug);
    return Page(context.renderer, request, principal, 200, "console_census", "Acteurs : " + name,
                {{"name", name},
                 {"hub_href", TerritoryPath(slug)},
                 {"new_href", Base(slug) + "/nouveau"},
                 {"organizations", rows},
                 {"empty", rows.empty()},
                 {"count", rows.size()}});
  }

  // ---- an organization ----

  static Organization FromOrganizationForm(const http::FormData& form, Organization o, Problems& problems) {
    o.name = Trim(Field(form, "name"));
    profile::ApplyContact(profile::ContactFromForm(form), o);
    o.accepts_referrals = Field(form, "accepts_referrals") == "oui";
    const auto visibility = directory::FromCode(Field(form, "visibility"), directory::kAllVisibilities);
    if (!visibility) problems.push_back({"visibility", "Visibilité : choisissez qui voit l’organisation."});
    o.visibility = visibility.value_or(directory::Visibility::kPublic);
    o.alert = Trim(Field(form, "alert"));
    return o;
  }

  http::Response OrganizationPage(const http::Request& request, const Principal& principal, const Organization& o,
                                  bool is_new, int status, const Problems& problems, const std::string& notice,
                                  const http::FormData* submitted = nullptr) {
    const std::string slug = request.Param("territory");
    json data = profile::ErrorData(problems);
    const profile::ContactEdit contact = submitted ? profile::ContactFromForm(*submitted) : profile::ContactOf(o);
    data["is_new"] = is_new;
    data["territory_name"] = TerritoryName(slug);
    data["list_href"] = Base(slug);
    data["action"] = is_new ? Base(slug) + "/nouveau" : Base(slug, o.id);
    data["title"] = is_new ? std::string("Nouvel acteur") : o.name;
    data["name"] = submitted ? Field(*submitted, "name") : o.name;
    data["description"] = contact.description;
    data["website"] = contact.website;
    data["email"] = contact.email;
    data["phones"] = profile::PhoneRows(contact, problems);
    data["accepts_referrals"] = submitted ? Field(*submitted, "accepts_referrals") == "oui" : o.accepts_referrals;
    const std::string visibility =
        submitted ? Field(*submitted, "visibility") : std::string(directory::CodeOf(o.visibility));
    data["visibility_public"] = visibility != "professionals";
    data["visibility_professionals"] = visibility == "professionals";
    data["alert"] = submitted ? Field(*submitted, "alert") : o.alert;
    for (const char* field :
         {"name", "description", "website", "email", "visibility", "alert", "closed_from", "closed_until"}) {
      profile::PutError(data, std::string(field) + "_error", problems, field);
    }
    if (!notice.empty()) data["notice"] = notice;
    if (!is_new) {
      data["draft"] = o.publication == directory::Publication::kDraft;
      data["publication"] = PublicationLabel(o.publication);
      data["status"] = StatusLabel(o);
      data["active"] = o.status == directory::OrganizationStatus::kActive;
      data["defunct"] = o.status == directory::OrganizationStatus::kDefunct;
      data["state_action"] = Base(slug, o.id) + "/etat";
      data["closed_from"] = submitted ? Field(*submitted, "closed_from") : o.closed_from;
      data["closed_until"] = submitted ? Field(*submitted, "closed_until") : o.closed_until;
      data["profile_href"] = "/pro/organisations/" + o.id + "/profil";
      data["new_location_href"] = Base(slug, o.id) + "/lieu";
      data["new_service_href"] = Base(slug, o.id) + "/service";
      json locations = json::array();
      for (const directory::Location& l : o.locations) {
        locations.push_back({{"label", l.name.empty() ? l.address : l.name},
                             {"where", l.postal_code + " " + l.city},
                             {"confidential", l.confidential},
                             {"href", Base(slug, o.id) + "/lieu?id=" + l.id}});
      }
      json services = json::array();
      for (const directory::Service& s : o.services) {
        services.push_back({{"name", s.name},
                            {"hours", s.opening_hours},
                            {"href", Base(slug, o.id) + "/service?id=" + s.id},
                            {"public_href", o.publication == directory::Publication::kPublic ? json("/annuaire/" + s.id)
                                                                                             : json(nullptr)}});
      }
      data["locations"] = locations;
      data["has_locations"] = !locations.empty();
      data["services"] = services;
      data["has_services"] = !services.empty();
    }
    return Page(context.renderer, request, principal, status, "console_census_organization",
                data["title"].get<std::string>(), data);
  }

  http::Response ShowNew(http::Request& request, const Principal& principal) {
    return OrganizationPage(request, principal, Organization{}, true, 200, {}, "");
  }

  http::Response Create(http::Request& request, const Principal& principal) {
    const std::string slug = request.Param("territory");
    Organization o;
    o.territory_slug = slug;
    o.publication = directory::Publication::kDraft;  // public once she publishes it
    o.assured_date = core::ParisDate(Now());         // checked by the coordinator now
    Problems problems;
    o = FromOrganizationForm(request.Form(), o, problems);
    if (problems.empty()) {
      if (auto error = Check(o)) problems.push_back(OrganizationProblem(*error));
    }
    if (!problems.empty()) {
      const http::FormData form = request.Form();
      return OrganizationPage(request, principal, o, true, 400, problems, "", &form);
    }
    auto created = context.directory.Create(o, Now(), [&](soci::session& sql, const Organization& c) {
      audit::Append(sql, audit::Entry{ActorOf(principal), "organization.created", "organization:" + c.id, "draft"},
                    Now());
    });
    if (!created) return http::ErrorFor(created.error());
    return http::Response::Redirect(303, Base(slug, created.value().id) + "?etat=cree");
  }

  http::Response Show(http::Request& request, const Principal& principal) {
    const auto o = Find(request);
    if (!o) return http::Response::Error(404);
    return OrganizationPage(request, principal, *o, false, 200, {}, Notice(request));
  }

  http::Response Save(http::Request& request, const Principal& principal) {
    const auto before = Find(request);
    if (!before) return http::Response::Error(404);
    Problems problems;
    Organization next = FromOrganizationForm(request.Form(), *before, problems);
    if (problems.empty())
      problems = CheckAndWrite(principal, *before, next, OrganizationProblem, "organization.changed");
    if (!problems.empty()) {
      const http::FormData form = request.Form();
      return OrganizationPage(request, principal, *before, false, 400, problems, "", &form);
    }
    return http::Response::Redirect(303, Base(before->territory_slug, before->id) + "?etat=enregistre");
  }

  // Publish, close for a while, reopen, archive.
  http::Response SetState(http::Request& request, const Principal& principal) {
    const auto before = Find(request);
    if (!before) return http::Response::Error(404);
    const std::string action = Field(request.Form(), "action");
    const std::string base = Base(before->territory_slug, before->id);
    if (action == "publier") {
      auto published = context.directory.SetPublication(
          {before->id}, directory::Publication::kPublic, Now(), [&](soci::session& sql) {
            audit::Append(sql,
                          audit::Entry{ActorOf(principal), "organization.published", "organization:" + before->id, ""},
                          Now());
          });
      if (!published) return http::ErrorFor(published.error());
      return http::Response::Redirect(303, base + "?etat=publie");
    }
    Organization next = *before;
    std::string state;
    if (action == "fermer") {
      next.status = directory::OrganizationStatus::kTemporarilyClosed;
      next.closed_from = Trim(Field(request.Form(), "closed_from"));
      next.closed_until = Trim(Field(request.Form(), "closed_until"));
      state = "ferme";
    } else if (action == "rouvrir" || action == "archiver") {
      next.status =
          action == "rouvrir" ? directory::OrganizationStatus::kActive : directory::OrganizationStatus::kDefunct;
      next.closed_from.clear();
      next.closed_until.clear();
      state = action == "rouvrir" ? "rouvert" : "archive";
    } else {
      return OrganizationPage(request, principal, *before, false, 400,
                              {{"closed_from", "Choisissez une action : publier, fermer, rouvrir ou archiver."}}, "");
    }
    const Problems problems =
        CheckAndWrite(principal, *before, next, OrganizationProblem, "organization.status_changed");
    if (!problems.empty()) {
      const http::FormData form = request.Form();
      return OrganizationPage(request, principal, *before, false, 400, problems, "", &form);
    }
    return http::Response::Redirect(303, base + "?etat=" + state);
  }

  // ---- a place ----

  http::Response LocationPage(const http::Request& request, const Principal& principal, const Organization& o,
                              const directory::Location& l, int status, const Problems& problems,
                              const std::string& notice) {
    const std::string slug = o.territory_slug;
    json data = profile::ErrorData(problems);
    data["organization_name"] = o.name;
    data["back_href"] = Base(slug, o.id);
    data["action"] = Base(slug, o.id) + "/lieu" + (l.id.empty() ? "" : "?id=" + l.id);
    data["location_id"] = l.id;
    data["is_new"] = l.id.empty();
    data["location_name"] = l.name;
    data["address"] = l.address;
    data["postal_code"] = l.postal_code;
    data["city"] = l.city;
    data["insee_code"] = l.insee_code;
    data["latitude"] = Coordinate(l.latitude);
    data["longitude"] = Coordinate(l.longitude);
    data["confidential"] = l.confidential;
    data["transportation"] = l.transportation;
    if (!notice.empty()) data["notice"] = notice;
    for (const char* field :
         {"name", "address", "postal_code", "city", "insee_code", "latitude", "longitude", "transportation"}) {
      profile::PutError(data, std::string(field) + "_error", problems, field);
    }
    return Page(context.renderer, request, principal, status, "console_census_location",
                l.id.empty() ? "Nouveau lieu" : "Lieu : " + (l.name.empty() ? l.address : l.name), data);
  }

  // The place `?id=` of the organization, or a new one (no id).
  static std::optional<directory::Location> LocationOf(const http::Request& request, const Organization& o) {
    const std::string id = request.QueryParams().Get("id").value_or("");
    if (id.empty()) return directory::Location{};
    for (const directory::Location& l : o.locations) {
      if (l.id == id) return l;
    }
    return std::nullopt;
  }

  // Proposes the commune and the map point from the postal code or INSEE code: the gazetteer
  // knows communes, not streets, so the point is the commune's centre, to adjust by hand.
  std::string ProposePoint(directory::Location& l, bool overwrite) const {
    const auto communes = geo::FindCommunesOfAddress(context.db, l.insee_code, l.postal_code);
    if (communes.empty()) return "";
    const geo::Commune& c = communes.front();
    if (l.insee_code.empty() || overwrite) l.insee_code = c.insee_code;
    if (l.city.empty()) l.city = c.name;
    if (overwrite || (!l.latitude && !l.longitude)) {
      l.latitude = c.lat;
      l.longitude = c.lon;
    }
    return "Point proposé : le centre de la commune « " + c.name +
           " » (le répertoire des communes ne connaît pas les rues). Ajustez la latitude et la longitude si besoin.";
  }

  http::Response ShowLocation(http::Request& request, const Principal& principal) {
    const auto o = Find(request);
    if (!o) return http::Response::Error(404);
    const auto l = LocationOf(request, *o);
    if (!l) return http::Response::Error(404);
    return LocationPage(request, principal, *o, *l, 200, {}, Notice(request));
  }

  http::Response SaveLocation(http::Request& request, const Principal& principal) {
    const auto before = Find(request);
    if (!before) return http::Response::Error(404);
    const auto found = LocationOf(request, *before);
    if (!found) return http::Response::Error(404);
    const http::FormData form = request.Form();
    directory::Location l = *found;
    l.name = Trim(Field(form, "name"));
    l.address = Trim(Field(form, "address"));
    l.postal_code = Trim(Field(form, "postal_code"));
    l.city = Trim(Field(form, "city"));
    l.insee_code = Trim(Field(form, "insee_code"));
    l.confidential = Field(form, "confidential") == "oui";
    l.transportation = Trim(Field(form, "transportation"));
    Problems problems;
    const auto latitude = ParseCoordinate(Field(form, "latitude"));
    const auto longitude = ParseCoordinate(Field(form, "longitude"));
    if (!latitude) problems.push_back({"latitude", "Latitude : un nombre, par exemple 48.8709"});
    if (!longitude) problems.push_back({"longitude", "Longitude : un nombre, par exemple 2.3561"});
    l.latitude = latitude.value_or(std::nullopt);
    l.longitude = longitude.value_or(std::nullopt);
    const bool propose = Field(form, "placer") == "1";
    std::string notice;
    if (propose || (problems.empty() && !l.latitude && !l.longitude && !l.confidential)) {
      notice = ProposePoint(l, propose);
      if (propose) {
        if (notice.empty()) {
          problems.push_back({"postal_code", "Code postal : aucune commune connue pour ce code postal."});
          return LocationPage(request, principal, *before, l, 400, problems, "");
        }
        return LocationPage(request, principal, *before, l, 200, {}, notice);
      }
    }
    Organization next = *before;
    if (l.id.empty()) {
      next.locations.push_back(l);
    } else {
      for (directory::Location& existing : next.locations) {
        if (existing.id == l.id) existing = l;
      }
    }
    if (problems.empty()) problems = CheckAndWrite(principal, *before, next, LocationProblem, "organization.changed");
    if (!problems.empty()) return LocationPage(request, principal, *before, l, 400, problems, "");
    return http::Response::Redirect(303, Base(before->territory_slug, before->id) + "?etat=lieu");
  }

  // ---- a service ----

  http::Response ServicePage(const http::Request& request, const Principal& principal, const Organization& o,
                             const directory::Service& s, int status, const Problems& problems,
                             const profile::ServiceEdit& edit, json preview) {
    const std::string slug = o.territory_slug;
    json data = profile::ErrorData(problems);
    data["organization_name"] = o.name;
    data["back_href"] = Base(slug, o.id);
    data["action"] = Base(slug, o.id) + "/service" + (s.id.empty() ? "" : "?id=" + s.id);
    data["is_new"] = s.id.empty();
    data["service_name"] = s.name;
    data["description"] = edit.description;
    data["opening_hours"] = edit.opening_hours;
    data["languages_value"] = edit.languages;
    data["application_process"] = edit.application_process;
    data["fees"] = profile::FeeChoices(edit.fees);
    data["accessibility"] = profile::AccessibilityChoices(edit.accessibility);
    data["hours_preview_button"] = true;
    if (!preview.is_null()) data["hours_preview"] = std::move(preview);
    json categories = json::array();
    for (directory::Category c : directory::kAllCategories) {
      const std::string code(directory::CodeOf(c));
      categories.push_back({{"id", categories.empty() ? std::string("categories") : "categories-" + code},
                            {"code", code},
                            {"label", annuaire::CategoryLabel(c)},
                            {"checked", std::find(s.categories.begin(), s.categories.end(), c) != s.categories.end()}});
    }
    data["categories"] = categories;
    json locations = json::array();
    for (const directory::Location& l : o.locations) {
      locations.push_back(
          {{"id", locations.empty() ? std::string("locations") : "locations-" + l.id},
           {"code", l.id},
           {"label", (l.name.empty() ? l.address : l.name) + " (" + l.postal_code + " " + l.city + ")"},
           {"checked", std::find(s.location_ids.begin(), s.location_ids.end(), l.id) != s.location_ids.end()}});
    }
    data["locations"] = locations;
    data["has_locations"] = !locations.empty();
    for (const char* field : {"name", "categories", "locations", "description", "opening_hours", "languages", "fees",
                              "accessibility", "application_process"}) {
      profile::PutError(data, std::string(field) + "_error", problems, field);
    }
    return Page(context.renderer, request, principal, status, "console_census_service",
                s.id.empty() ? "Nouveau service" : "Service : " + s.name, data);
  }

  static std::optional<directory::Service> ServiceOf(const http::Request& request, const Organization& o) {
    const std::string id = request.QueryParams().Get("id").value_or("");
    if (id.empty()) return directory::Service{};
    for (const directory::Service& s : o.services) {
      if (s.id == id) return s;
    }
    return std::nullopt;
  }

  // Whether the hours are open now and the week's hours, as the public page will say them.
  json HoursPreview(const directory::Service& s) const {
    directory::PublicServiceView view;
    view.service = s;
    const auto identity = [](const std::string& text) { return text; };
    const json shown = annuaire::DetailView(view, Now(), identity, "fr");
    json days = json::array();
    for (const json& day : shown.value("week", json::array())) days.push_back(day);
    return {{"now", shown["opening"]["label"]}, {"days", days}, {"has_days", !days.empty()}};
  }

  http::Response ShowService(http::Request& request, const Principal& principal) {
    const auto o = Find(request);
    if (!o) return http::Response::Error(404);
    const auto s = ServiceOf(request, *o);
    if (!s) return http::Response::Error(404);
    return ServicePage(request, principal, *o, *s, 200, {}, profile::ServiceEditOf(*s), nullptr);
  }

  http::Response SaveService(http::Request& request, const Principal& principal) {
    const auto before = Find(request);
    if (!before) return http::Response::Error(404);
    const auto found = ServiceOf(request, *before);
    if (!found) return http::Response::Error(404);
    const http::FormData form = request.Form();
    directory::Service s = *found;
    s.name = Trim(Field(form, "name"));
    const profile::ServiceEdit edit = profile::ServiceEditFromForm(form);
    profile::ApplyServiceEdit(edit, s);
    Problems problems;
    s.categories.clear();
    for (const std::string& code : form.GetAll("categories")) {
      const auto category = directory::FromCode(code, directory::kAllCategories);
      if (!category) {
        problems.push_back({"categories", "Catégories : choix inconnu."});
        break;
      }
      s.categories.push_back(*category);
    }
    s.location_ids = form.GetAll("locations");
    if (Field(form, "apercu") == "1") {
      auto hours = directory::OpeningHours::Parse(s.opening_hours);
      if (!hours) {
        return ServicePage(request, principal, *before, s, 400,
                           {{"opening_hours", "Horaires : " + hours.error().public_message}}, edit, nullptr);
      }
      return ServicePage(request, principal, *before, s, 200, {}, edit, HoursPreview(s));
    }
    Organization next = *before;
    if (s.id.empty()) {
      next.services.push_back(s);
    } else {
      for (directory::Service& existing : next.services) {
        if (existing.id == s.id) existing = s;
      }
    }
    if (problems.empty()) problems = CheckAndWrite(principal, *before, next, ServiceProblem, "organization.changed");
    if (!problems.empty()) return ServicePage(request, principal, *before, s, 400, problems, edit, nullptr);
    return http::Response::Redirect(303, Base(before->territory_slug, before->id) + "?etat=service");
  }
};

}  // namespace

void RegisterCensus(const ConsoleContext& context) {
  auto census = std::make_shared<Census>(Census{context});
  const auto bind = [census](http::Response (Census::*method)(http::Request&, const Principal&)) {
    return [census, method](http::Request& request, const Principal& principal) {
      return ((*census).*method)(request, principal);
    };
  };
  // Coordinators of the territory and operators; the organization must lie in the territory
  // (the policy checks each object, the handlers that one belongs to the other).
  const accounts::Access of_organization =
      accounts::Access::Roles({accounts::Role::kCoordinator, accounts::Role::kOperator},
                              {{"territory", std::string(accounts::kTerritoryObject)},
                               {"organization", std::string(accounts::kOrganizationObject)}});
  accounts::ProRoutes& routes = context.routes;
  const std::string base = "/pro/territoires/{territory}/acteurs";
  routes.Get(base, ManagersOfTerritory(), bind(&Census::List));
  // Before {organization}: the router takes the first pattern that matches.
  routes.Get(base + "/nouveau", ManagersOfTerritory(), bind(&Census::ShowNew));
  routes.Post(base + "/nouveau", ManagersOfTerritory(), bind(&Census::Create));
  routes.Get(base + "/{organization}", of_organization, bind(&Census::Show));
  routes.Post(base + "/{organization}", of_organization, bind(&Census::Save));
  routes.Post(base + "/{organization}/etat", of_organization, bind(&Census::SetState));
  routes.Get(base + "/{organization}/lieu", of_organization, bind(&Census::ShowLocation));
  routes.Post(base + "/{organization}/lieu", of_organization, bind(&Census::SaveLocation));
  routes.Get(base + "/{organization}/service", of_organization, bind(&Census::ShowService));
  routes.Post(base + "/{organization}/service", of_organization, bind(&Census::SaveService));
}

}  // namespace passerelle::console
