#include "profile/register.h"

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/paris_time.h"
#include "directory/model.h"
#include "directory/service.h"
#include "http/pipeline.h"
#include "profile/form.h"
#include "profile/service.h"

namespace passerelle::profile {

namespace {

using accounts::Access;
using accounts::Principal;
using nlohmann::json;

Actor ActorOf(const Principal& principal) {
  Actor actor;
  actor.account_id = principal.account_id;
  switch (principal.role) {
    case accounts::Role::kMember:
      actor.role = Role::kMember;
      break;
    case accounts::Role::kCoordinator:
      actor.role = Role::kCoordinator;
      break;
    case accounts::Role::kOperator:
      actor.role = Role::kOperator;
      break;
  }
  actor.organization_ids = principal.organization_ids;
  actor.territory_slug = principal.territory_slug;
  return actor;
}

// "23/11/2025", the Paris calendar day.
std::string DateOf(long long unix_seconds) {
  const std::string iso = core::ParisDate(std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds)));
  return iso.size() == 10 ? iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4) : iso;
}

std::string KindLabel(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kNotificationEmail:
      return "Nouvelle adresse de notification";
    case ChangeKind::kKeyRotation:
      return "Renouvellement de la clé de l’organisation";
  }
  return "";
}

std::string StatusLabel(ChangeStatus status) {
  switch (status) {
    case ChangeStatus::kPending:
      return "en attente d’approbation par la coordination";
    case ChangeStatus::kApproved:
      return "approuvée";
    case ChangeStatus::kRejected:
      return "refusée";
    case ChangeStatus::kSuperseded:
      return "remplacée par une demande plus récente";
  }
  return "";
}

std::string Notice(const http::Request& request) {
  const std::string state = request.QueryParams().Get("etat").value_or("");
  if (state == "coordonnees")
    return "Les coordonnées sont enregistrées. L’annuaire public les affiche "
           "déjà.";
  if (state == "service") return "Le service est enregistré. L’annuaire public l’affiche déjà.";
  if (state == "demandes-ouvertes") return "L’organisation accepte de nouveau des demandes.";
  if (state == "demandes-fermees") {
    return "L’organisation n’accepte plus de nouvelles demandes pour le "
           "moment. Les demandes déjà reçues restent à traiter.";
  }
  if (state == "inchange") return "Rien n’a changé : aucune modification n’a été enregistrée.";
  if (state == "adresse-demandee") {
    return "Votre demande de nouvelle adresse de notification est enregistrée. "
           "Elle s’appliquera quand la "
           "coordination de votre territoire l’aura approuvée ; l’adresse "
           "actuelle en sera alors prévenue.";
  }
  if (state == "cle-demandee") {
    return "Votre demande de renouvellement de la clé est enregistrée. La "
           "coordination de votre territoire doit "
           "l’approuver.";
  }
  if (state == "approuvee") return "La demande est approuvée.";
  if (state == "adresse-approuvee") {
    return "La demande est approuvée : la nouvelle adresse de notification est "
           "en place et l’ancienne adresse a été prévenue.";
  }
  if (state == "rejetee") return "La demande est refusée. Rien n’a changé.";
  return "";
}

struct Context {
  const http::Renderer& renderer;
  ProfileService service;
  accounts::Clock clock;

  std::chrono::system_clock::time_point Now() const { return clock(); }

  http::Response Page(const http::Request& request, const Principal& principal, int status, const std::string& name,
                      const std::string& title, json data) const {
    data["pro_csrf"] = accounts::FormToken(request, principal);
    data["signed_in"] = true;
    data["pro_nav"] = accounts::NavLinks(principal);  // the signed-in navigation's links
    const bool errors = data.contains("has_errors") && data["has_errors"] == true;
    return renderer.Page(request, status, "pro/profile/" + name, errors ? "Erreur : " + title : title, data);
  }

  static std::string Base(const std::string& organization_id) { return "/pro/organisations/" + organization_id; }

  // ---- organizations ----
  http::Response List(http::Request& request, const Principal& principal) {
    const Actor actor = ActorOf(principal);
    json rows = json::array();
    for (const OrganizationSummary& o : service.Organizations(actor)) {
      rows.push_back({{"name", o.name},
                      {"href", Base(o.id) + "/profil"},
                      {"territory", o.territory_slug},
                      {"accepts_referrals", o.accepts_referrals}});
    }
    json data = {{"organizations", rows},
                 {"empty", rows.empty()},
                 {"operator", actor.role == Role::kOperator},
                 {"manager", actor.role != Role::kMember},
                 {"pending_count", nullptr}};
    if (const std::size_t pending = service.PendingForApproval(actor).size(); pending > 0)
      data["pending_count"] = pending;
    return Page(request, principal, 200, "organizations", "Organisations", data);
  }

  // ---- profile ----
  http::Response ProfilePage(const http::Request& request, const Principal& principal, const directory::Organization& o,
                             int status, const ContactEdit& contact, const std::vector<FieldProblem>& problems,
                             const std::string& notice) {
    const Actor actor = ActorOf(principal);
    const bool member = actor.role == Role::kMember;
    json data = ErrorData(problems);
    data["name"] = o.name;
    data["base"] = Base(o.id);
    if (!notice.empty()) data["notice"] = notice;
    data["accepts_referrals"] = o.accepts_referrals;
    data["description"] = contact.description;
    data["website"] = contact.website;
    data["email"] = contact.email;
    PutError(data, "description_error", problems, "description");
    PutError(data, "website_error", problems, "website");
    PutError(data, "email_error", problems, "email");
    data["phones"] = PhoneRows(contact, problems);
    json services = json::array();
    for (const directory::Service& s : o.services) {
      services.push_back({{"name", s.name},
                          {"hours", s.opening_hours},
                          {"has_hours", !s.opening_hours.empty()},
                          {"href", Base(o.id) + "/services/" + s.id},
                          {"public_href", "/annuaire/" + s.id}});
    }
    data["services"] = services;
    data["has_services"] = !services.empty();
    if (const auto address = service.NotificationAddress(o.id)) data["notification_address"] = *address;
    json changes = json::array();
    for (const ChangeRequest& c : service.RecentChanges(actor, o.id)) {
      json row = {{"kind", KindLabel(c.kind)},
                  {"status", StatusLabel(c.status)},
                  {"pending", c.status == ChangeStatus::kPending},
                  {"date", DateOf(c.requested_at)}};
      if (!c.new_value.empty()) row["value"] = c.new_value;
      // --- key rotation (docs/adr/0010): applied by a member on src/accounts' page ---
      if (c.kind == ChangeKind::kKeyRotation && c.status == ChangeStatus::kApproved) {
        if (c.applied_at)
          row["status"] = "approuvée et appliquée";
        else if (member)
          row["apply_href"] = Base(o.id) + "/cle/changer";
      }
      // --- end key rotation ---
      changes.push_back(row);
    }
    data["changes"] = changes;
    data["has_changes"] = !changes.empty();
    data["member"] = member;
    data["manager"] = !member;
    return Page(request, principal, status, "profile", o.name, data);
  }

  http::Response ShowProfile(http::Request& request, const Principal& principal) {
    auto o = service.Get(ActorOf(principal), request.Param("organization"));
    if (!o) return http::ErrorFor(o.error());
    return ProfilePage(request, principal, o.value(), 200, ContactOf(o.value()), {}, Notice(request));
  }

  http::Response SaveContact(http::Request& request, const Principal& principal) {
    const std::string id = request.Param("organization");
    const Actor actor = ActorOf(principal);
    const ContactEdit edit = ContactFromForm(request.Form());
    auto outcome = service.EditContact(actor, id, edit, Now());
    if (!outcome) {
      if (outcome.error().code != core::ErrorCode::kConflict) return http::ErrorFor(outcome.error());
      auto fresh = service.Get(actor, id);
      if (!fresh) return http::ErrorFor(fresh.error());
      return ProfilePage(request, principal, fresh.value(), 409, ContactOf(fresh.value()),
                         {{"description", outcome.error().public_message}}, "");
    }
    if (!outcome.value().problems.empty()) {
      auto o = service.Get(actor, id);
      if (!o) return http::ErrorFor(o.error());
      return ProfilePage(request, principal, o.value(), 400, edit, outcome.value().problems, "");
    }
    const bool changed = !outcome.value().changed_fields.empty();
    return http::Response::Redirect(303, Base(id) + "/profil?etat=" + (changed ? "coordonnees" : "inchange"));
  }

  http::Response SetAccepts(http::Request& request, const Principal& principal) {
    const std::string id = request.Param("organization");
    const std::string value = Field(request.Form(), "accepts");
    if (value != "oui" && value != "non") return http::Response::Error(400, "Choix manquant.");
    auto outcome = service.SetAcceptsReferrals(ActorOf(principal), id, value == "oui", Now());
    if (!outcome) return http::ErrorFor(outcome.error());
    const bool changed = !outcome.value().changed_fields.empty();
    return http::Response::Redirect(303, Base(id) + "/profil?etat=" +
                                             (!changed         ? "inchange"
                                              : value == "oui" ? "demandes-ouvertes"
                                                               : "demandes-fermees"));
  }

  // ---- services ----
  http::Response ServicePage(const http::Request& request, const Principal& principal, const directory::Organization& o,
                             const directory::Service& s, int status, const ServiceEdit& edit,
                             const std::vector<FieldProblem>& problems) {
    json data = ErrorData(problems);
    data["organization_name"] = o.name;
    data["name"] = s.name;
    data["action"] = Base(o.id) + "/services/" + s.id;
    data["back_href"] = Base(o.id) + "/profil";
    data["public_href"] = "/annuaire/" + s.id;
    data["description"] = edit.description;
    data["opening_hours"] = edit.opening_hours;
    data["languages_value"] = edit.languages;
    data["application_process"] = edit.application_process;
    data["fees"] = FeeChoices(edit.fees);
    data["accessibility"] = AccessibilityChoices(edit.accessibility);
    for (const char* field :
         {"description", "opening_hours", "languages", "fees", "accessibility", "application_process"}) {
      PutError(data, std::string(field) + "_error", problems, field);
    }
    return Page(request, principal, status, "service", s.name, data);
  }

  // The organization and its service named in the path, or the 404 answer.
  std::optional<std::pair<directory::Organization, directory::Service>> Find(const http::Request& request,
                                                                             const Principal& principal) {
    auto o = service.Get(ActorOf(principal), request.Param("organization"));
    if (!o) return std::nullopt;
    const std::string service_id = request.Param("service");
    for (const directory::Service& s : o.value().services) {
      if (s.id == service_id) return std::pair{o.value(), s};
    }
    return std::nullopt;
  }

  http::Response ShowService(http::Request& request, const Principal& principal) {
    const auto found = Find(request, principal);
    if (!found) return http::Response::Error(404);
    return ServicePage(request, principal, found->first, found->second, 200, ServiceEditOf(found->second), {});
  }

  http::Response SaveService(http::Request& request, const Principal& principal) {
    const auto found = Find(request, principal);
    if (!found) return http::Response::Error(404);
    const ServiceEdit edit = ServiceEditFromForm(request.Form());
    auto outcome = service.EditService(ActorOf(principal), found->first.id, found->second.id, edit, Now());
    if (!outcome) {
      if (outcome.error().code != core::ErrorCode::kConflict) return http::ErrorFor(outcome.error());
      return ServicePage(request, principal, found->first, found->second, 409, edit,
                         {{"opening_hours", outcome.error().public_message}});
    }
    if (!outcome.value().problems.empty()) {
      return ServicePage(request, principal, found->first, found->second, 400, edit, outcome.value().problems);
    }
    const bool changed = !outcome.value().changed_fields.empty();
    return http::Response::Redirect(303, Base(found->first.id) + "/profil?etat=" + (changed ? "service" : "inchange"));
  }

  // ---- requests needing approval ----
  http::Response AddressPage(const http::Request& request, const Principal& principal, const directory::Organization& o,
                             int status, const std::string& address, const std::vector<FieldProblem>& problems) {
    json data = ErrorData(problems);
    data["name"] = o.name;
    data["action"] = Base(o.id) + "/adresse-notification";
    data["back_href"] = Base(o.id) + "/profil";
    if (const auto current = service.NotificationAddress(o.id)) data["current"] = *current;
    data["address"] = address;
    PutError(data, "address_error", problems, "address");
    for (const ChangeRequest& c : service.RecentChanges(ActorOf(principal), o.id)) {
      if (c.kind == ChangeKind::kNotificationEmail && c.status == ChangeStatus::kPending) {
        data["pending"] = c.new_value;
        break;
      }
    }
    return Page(request, principal, status, "address", "Adresse de notification", data);
  }

  http::Response ShowAddress(http::Request& request, const Principal& principal) {
    auto o = service.Get(ActorOf(principal), request.Param("organization"));
    if (!o) return http::ErrorFor(o.error());
    return AddressPage(request, principal, o.value(), 200, "", {});
  }

  http::Response RequestAddress(http::Request& request, const Principal& principal) {
    const std::string id = request.Param("organization");
    const std::string address = Field(request.Form(), "address");
    auto requested = service.RequestAddressChange(ActorOf(principal), id, address, Now());
    if (!requested) {
      if (requested.error().code != core::ErrorCode::kInvalidInput) return http::ErrorFor(requested.error());
      auto o = service.Get(ActorOf(principal), id);
      if (!o) return http::ErrorFor(o.error());
      return AddressPage(request, principal, o.value(), 400, address, {{"address", requested.error().public_message}});
    }
    return http::Response::Redirect(303, Base(id) + "/profil?etat=adresse-demandee");
  }

  http::Response RequestKey(http::Request& request, const Principal& principal) {
    const std::string id = request.Param("organization");
    auto requested = service.RequestKeyRotation(ActorOf(principal), id, Now());
    if (!requested) return http::ErrorFor(requested.error());
    return http::Response::Redirect(303, Base(id) + "/profil?etat=cle-demandee");
  }

  http::Response ApprovalsPage(const http::Request& request, const Principal& principal, int status,
                               const std::string& error, const std::string& notice) {
    json rows = json::array();
    for (const ChangeRequest& c : service.PendingForApproval(ActorOf(principal))) {
      rows.push_back({{"id", c.id},
                      {"organization", c.organization_name},
                      {"territory", c.territory_slug},
                      {"organization_href", Base(c.organization_id) + "/profil"},
                      {"kind", KindLabel(c.kind)},
                      {"address", c.new_value},
                      {"is_address", c.kind == ChangeKind::kNotificationEmail},
                      {"date", DateOf(c.requested_at)},
                      {"action", "/pro/approbations/" + c.id}});
    }
    json data = {{"changes", rows}, {"empty", rows.empty()}, {"operator", principal.role == accounts::Role::kOperator}};
    if (!error.empty()) {
      data["has_errors"] = true;
      data["errors"] = json::array({{{"field_id", "demandes"}, {"message", error}}});
    }
    if (!notice.empty()) data["notice"] = notice;
    return Page(request, principal, status, "approvals", "Demandes à approuver", data);
  }

  http::Response ShowApprovals(http::Request& request, const Principal& principal) {
    return ApprovalsPage(request, principal, 200, "", Notice(request));
  }

  http::Response DecideChange(http::Request& request, const Principal& principal) {
    const std::string decision = Field(request.Form(), "decision");
    if (decision != "approuver" && decision != "rejeter") {
      return ApprovalsPage(request, principal, 400, "Choisissez d’approuver ou de refuser la demande.", "");
    }
    auto decided = service.Decide(ActorOf(principal), request.Param("change"),
                                  decision == "approuver" ? Decision::kApprove : Decision::kReject, Now());
    if (!decided) {
      if (decided.error().code == core::ErrorCode::kConflict) {
        return ApprovalsPage(request, principal, 409, decided.error().public_message, "");
      }
      return http::ErrorFor(decided.error());
    }
    std::string state = "rejetee";
    if (decided.value().status == ChangeStatus::kApproved) {
      state = decided.value().kind == ChangeKind::kNotificationEmail ? "adresse-approuvee" : "approuvee";
    }
    return http::Response::Redirect(303, "/pro/approbations?etat=" + state);
  }
};

}  // namespace

void RegisterProfile(accounts::ProRoutes& routes, const http::Renderer& renderer, storage::Database& db,
                     directory::DirectoryService& directory, accounts::Clock clock) {
  auto c = std::make_shared<Context>(Context{renderer, ProfileService(db, directory), std::move(clock)});

  routes.AddResolver(kChangeObject, [c](const std::string& id) -> std::optional<accounts::ObjectOwner> {
    const auto change = c->service.FindChange(id);
    if (!change) return std::nullopt;
    return accounts::ObjectOwner{{change->organization_id}, {change->territory_slug}};
  });
  routes.AddResolver(kServiceObject, [&directory](const std::string& id) -> std::optional<accounts::ObjectOwner> {
    const auto organization = directory.GetOrganizationOfService(id);
    if (!organization) return std::nullopt;
    return accounts::ObjectOwner{{organization->id}, {organization->territory_slug}};
  });

  using accounts::Role;
  const std::string org_kind(accounts::kOrganizationObject);
  // Members of the organization, coordinators of its territory, operators.
  const Access editors =
      Access::Roles({Role::kMember, Role::kCoordinator, Role::kOperator}, {{"organization", org_kind}});
  // The same for a service page: the service must be the organization's too.
  const Access service_editors = Access::Roles({Role::kMember, Role::kCoordinator, Role::kOperator},
                                               {{"organization", org_kind}, {"service", std::string(kServiceObject)}});
  const Access members = Access::Roles({Role::kMember}, {{"organization", org_kind}});
  const Access deciders =
      Access::Roles({Role::kCoordinator, Role::kOperator}, {{"change", std::string(kChangeObject)}});
  const auto bind = [c](http::Response (Context::*method)(http::Request&, const Principal&)) {
    return
        [c, method](http::Request& request, const Principal& principal) { return ((*c).*method)(request, principal); };
  };

  routes.Get("/pro/organisations", Access::AnySignedIn(), bind(&Context::List));
  routes.Get("/pro/organisations/{organization}/profil", editors, bind(&Context::ShowProfile));
  routes.Post("/pro/organisations/{organization}/profil", editors, bind(&Context::SaveContact));
  routes.Post("/pro/organisations/{organization}/accepte-demandes", editors, bind(&Context::SetAccepts));
  routes.Get("/pro/organisations/{organization}/services/{service}", service_editors, bind(&Context::ShowService));
  routes.Post("/pro/organisations/{organization}/services/{service}", service_editors, bind(&Context::SaveService));
  routes.Get("/pro/organisations/{organization}/adresse-notification", members, bind(&Context::ShowAddress));
  routes.Post("/pro/organisations/{organization}/adresse-notification", members, bind(&Context::RequestAddress));
  routes.Post("/pro/organisations/{organization}/cle", members, bind(&Context::RequestKey));
  routes.Get("/pro/approbations", Access::Roles({Role::kCoordinator, Role::kOperator}), bind(&Context::ShowApprovals));
  routes.Post("/pro/approbations/{change}", deciders, bind(&Context::DecideChange));
}

}  // namespace passerelle::profile
