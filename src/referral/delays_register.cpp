#include "referral/delays_register.h"

#include <memory>

#include "referral/delays.h"
#include "territory/service.h"

namespace passerelle::referral {

namespace {

using accounts::Access;
using accounts::Principal;
using accounts::Role;
using nlohmann::json;

std::string Field(const http::FormData& form, const std::string& name) { return form.Get(name).value_or(""); }

std::string DelaysPath(const std::string& slug) { return "/pro/territoires/" + slug + "/delais"; }

json DelaysJson(const Delays& d) {
  return {{"reminder_days", std::to_string(d.reminder_days)},
          {"escalation_days", std::to_string(d.escalation_days)},
          {"expiry_days", std::to_string(d.expiry_days)},
          {"retention_days", std::to_string(d.retention_days)}};
}

std::string Notice(const http::Request& request) {
  const std::string state = request.QueryParams().Get("etat").value_or("");
  if (state == "enregistres")
    return "Les délais sont enregistrés. Ils s’appliquent dès le prochain passage des tâches.";
  if (state == "defaut") return "Le territoire suit de nouveau les délais par défaut.";
  return "";
}

struct Context {
  const http::Renderer& renderer;
  storage::Database& db;
  TerritoryDelays delays;
  accounts::Clock clock;

  http::Response Page(const http::Request& request, const Principal& principal, int status, const std::string& name,
                      const std::string& title, json data) const {
    data["pro_csrf"] = accounts::FormToken(request, principal);
    data["signed_in"] = true;
    data["pro_nav"] = accounts::NavLinks(principal);
    const bool errors = data.value("has_errors", false);
    return renderer.Page(request, status, "pro/" + name, errors ? "Erreur : " + title : title, data);
  }

  std::string NameOf(const std::string& slug) const {
    const auto territory = territory::TerritoryService(db).Find(slug);
    return territory ? territory->name : slug;
  }

  http::Response List(http::Request& request, const Principal& principal) {
    std::vector<std::string> slugs;
    if (principal.role == Role::kOperator) {
      slugs = territory::TerritoryService(db).ListSlugs();
    } else {
      slugs.push_back(principal.territory_slug);
    }
    json rows = json::array();
    for (const std::string& slug : slugs) {
      const auto stored = delays.Stored(slug);
      json row = DelaysJson(stored.value_or(Delays{}));
      row["name"] = NameOf(slug);
      row["slug"] = slug;
      row["href"] = DelaysPath(slug);
      row["defaults"] = !stored.has_value();
      rows.push_back(std::move(row));
    }
    return Page(request, principal, 200, "territories", "Territoires",
                {{"territories", rows}, {"operator", principal.role == Role::kOperator}});
  }

  http::Response Form(const http::Request& request, const Principal& principal, int status, const std::string& slug,
                      json values, const std::vector<DelayError>& errors, const std::string& notice) {
    const auto stored = delays.Stored(slug);
    json data = {{"name", NameOf(slug)},
                 {"action", DelaysPath(slug)},
                 {"values", std::move(values)},
                 {"defaults", !stored.has_value()},
                 {"default_values", DelaysJson(Delays{})},
                 {"bounds",
                  {{"reminder", {{"min", kReminderBounds.min}, {"max", kReminderBounds.max}}},
                   {"escalation", {{"min", kEscalationBounds.min}, {"max", kEscalationBounds.max}}},
                   {"expiry", {{"min", kExpiryBounds.min}, {"max", kExpiryBounds.max}}},
                   {"retention", {{"min", kRetentionBounds.min}, {"max", kRetentionBounds.max}}}}}};
    if (!errors.empty()) {
      json list = json::array();
      for (const DelayError& e : errors) {
        list.push_back({{"field_id", e.field}, {"message", e.message}});
        data[e.field + "_error"] = e.message;
      }
      data["has_errors"] = true;
      data["errors"] = list;
    }
    if (!notice.empty()) data["notice"] = notice;
    return Page(request, principal, status, "territory_delays", "Délais des demandes", data);
  }

  http::Response Show(http::Request& request, const Principal& principal) {
    const std::string slug = request.Param("territory");
    return Form(request, principal, 200, slug, DelaysJson(delays.Stored(slug).value_or(Delays{})), {}, Notice(request));
  }

  http::Response Save(http::Request& request, const Principal& principal) {
    const std::string slug = request.Param("territory");
    const http::FormData form = request.Form();
    const std::string action = Field(form, "action");
    const std::string actor = "account:" + principal.account_id;
    if (action == "defaut") {
      delays.Save(actor, slug, std::nullopt, clock());
      return http::Response::Redirect(303, DelaysPath(slug) + "?etat=defaut");
    }
    const DelaysForm typed{Field(form, "reminder_days"), Field(form, "escalation_days"), Field(form, "expiry_days"),
                           Field(form, "retention_days")};
    json values = {{"reminder_days", typed.reminder_days},
                   {"escalation_days", typed.escalation_days},
                   {"expiry_days", typed.expiry_days},
                   {"retention_days", typed.retention_days}};
    if (action != "enregistrer") {
      return Form(request, principal, 400, slug, std::move(values),
                  {{"reminder_days", "Choisissez d’enregistrer les délais ou de revenir aux délais par défaut."}}, "");
    }
    const CheckedDelays checked = CheckDelays(typed);
    if (!checked.errors.empty()) return Form(request, principal, 400, slug, std::move(values), checked.errors, "");
    delays.Save(actor, slug, checked.delays, clock());
    return http::Response::Redirect(303, DelaysPath(slug) + "?etat=enregistres");
  }
};

}  // namespace

void RegisterTerritoryDelays(accounts::ProRoutes& routes, const http::Renderer& renderer, storage::Database& db,
                             accounts::Clock clock) {
  auto c = std::make_shared<Context>(Context{renderer, db, TerritoryDelays(db), std::move(clock)});
  const Access managers = Access::Roles({Role::kCoordinator, Role::kOperator});
  const Access managers_of_territory =
      Access::Roles({Role::kCoordinator, Role::kOperator}, {{"territory", std::string(accounts::kTerritoryObject)}});
  const auto bind = [c](http::Response (Context::*method)(http::Request&, const Principal&)) {
    return
        [c, method](http::Request& request, const Principal& principal) { return ((*c).*method)(request, principal); };
  };
  routes.Get("/pro/territoires", managers, bind(&Context::List));
  routes.Get("/pro/territoires/{territory}/delais", managers_of_territory, bind(&Context::Show));
  routes.Post("/pro/territoires/{territory}/delais", managers_of_territory, bind(&Context::Save));
}

}  // namespace passerelle::referral
