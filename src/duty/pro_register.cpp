#include "duty/pro_register.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "accounts/register.h"
#include "core/paris_time.h"
#include "duty/service.h"
#include "http/pipeline.h"

namespace passerelle::duty {

namespace {

using accounts::Access;
using accounts::Principal;
using nlohmann::json;

constexpr const char* kWeekdays[7] = {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"};

std::string Field(const http::FormData& form, const char* name) { return form.Get(name).value_or(""); }

// "2026-01-13" → "13/01/2026".
std::string FrenchDay(const std::string& iso) {
  return iso.size() == 10 ? iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4) : iso;
}

// The Paris wall clock of an instant, "14:30".
std::string ClockOf(Instant t) { return FormatClock(core::ToParisTime(t).minutes); }

std::string Base(const std::string& organization_id) { return "/pro/organisations/" + organization_id; }

// The field a refused value belongs to: the service's message names it in internal_detail
// ("duty: invalid start"); the form's prefix makes it an id of the page.
std::string FieldOf(const core::Error& error, const std::string& form) {
  const std::string prefix = "duty: invalid ";
  if (error.internal_detail.rfind(prefix, 0) == 0) return form + "-" + error.internal_detail.substr(prefix.size());
  return form + "-service";
}

std::string Notice(const std::string& state) {
  if (state == "creneau") return "Le créneau est enregistré.";
  if (state == "fermeture") return "La fermeture est enregistrée : aucune permanence ces jours-là.";
  if (state == "supplement") return "La permanence supplémentaire est enregistrée.";
  if (state == "supprime") return "C’est supprimé.";
  if (state == "disponible") return "Vous êtes indiquée disponible : les demandes immédiates vous parviennent.";
  if (state == "fin") return "Vous n’êtes plus indiquée disponible.";
  return "";
}

struct Context {
  const http::Renderer& renderer;
  DutyService service;
  accounts::Clock clock;

  http::Response Page(const http::Request& request, const Principal& principal, int status, const std::string& name,
                      const std::string& title, json data) const {
    data["pro_csrf"] = accounts::FormToken(request, principal);
    data["signed_in"] = true;
    data["pro_nav"] = accounts::NavLinks(principal);
    const bool errors = data.contains("has_errors") && data["has_errors"] == true;
    return renderer.Page(request, status, "pro/" + name, errors ? "Erreur : " + title : title, data);
  }

  http::Response ShowOrganization(http::Request& request, const Principal& principal, int status,
                                  const std::vector<accounts::FieldError>& errors, const http::FormData& typed) {
    const std::string org = request.Param("organization");
    const Instant now = clock();
    const OrganizationDuty duty = service.ForOrganization(org, now);
    json data = accounts::ErrorData(errors);
    for (const accounts::FieldError& e : errors) {
      std::string key = e.field_id;
      std::replace(key.begin(), key.end(), '-', '_');
      data[key + "_error"] = e.message;
    }
    data["action"] = Base(org) + "/permanences";
    data["live_action"] = Base(org) + "/disponible";
    data["back_href"] = Base(org);
    data["appointments_href"] = Base(org) + "/rendez-vous";
    data["notice"] = Notice(request.QueryParams().Get("etat").value_or(""));
    const std::string live_until = ClockOf(now + kDefaultLive);
    json services = json::array();
    for (const ServiceRow& s : duty.services) {
      json live = nullptr;
      for (const LiveRow& l : duty.live) {
        if (l.service_id == s.id && l.account_id == principal.account_id) live = ClockOf(l.ends);
      }
      json others = json::array();
      for (const LiveRow& l : duty.live) {
        if (l.service_id == s.id && l.account_id != principal.account_id)
          others.push_back({{"email", l.email}, {"until", ClockOf(l.ends)}});
      }
      services.push_back({{"id", s.id},
                          {"name", s.name},
                          {"live_until", live},
                          {"others", others},
                          {"has_others", !others.empty()},
                          {"selected", typed.Get("service").value_or("") == s.id}});
    }
    json slots = json::array();
    for (const SlotRow& r : duty.slots) {
      slots.push_back({{"id", r.id},
                       {"service", r.service_name},
                       {"day", kWeekdays[r.weekday]},
                       {"hours", FormatClock(r.start_minute) + "–" + FormatClock(r.end_minute)},
                       {"holder", r.account_id ? r.holder_email : "toute l’équipe"}});
    }
    json exceptions = json::array();
    for (const ExceptionRow& r : duty.exceptions) {
      const bool closed = r.kind == "closed";
      std::string what = closed ? "Fermé du " + FrenchDay(r.from_day) + " au " + FrenchDay(r.to_day)
                                : "Permanence en plus le " + FrenchDay(r.from_day) + ", " +
                                      FormatClock(r.start_minute.value_or(0)) + "–" +
                                      FormatClock(r.end_minute.value_or(0));
      exceptions.push_back({{"id", r.id}, {"service", r.service_name}, {"what", what}});
    }
    json weekdays = json::array();
    for (int d = 0; d < 7; ++d) {
      weekdays.push_back({{"value", d},
                          {"label", kWeekdays[d]},
                          {"selected", typed.Get("weekday").value_or("") == std::to_string(d)}});
    }
    data["services"] = services;
    data["has_services"] = !services.empty();
    data["slots"] = slots;
    data["has_slots"] = !slots.empty();
    data["exceptions"] = exceptions;
    data["has_exceptions"] = !exceptions.empty();
    data["weekdays"] = weekdays;
    data["live_default_until"] = live_until;
    for (const char* f : {"start", "end", "from", "to", "day", "extra_start", "extra_end"}) {
      data["typed_" + std::string(f)] = typed.Get(f).value_or("");
    }
    return Page(request, principal, status, "duty", "Permanences", data);
  }

  http::Response Show(http::Request& request, const Principal& principal) {
    return ShowOrganization(request, principal, 200, {}, http::FormData{});
  }

  http::Response Save(http::Request& request, const Principal& principal) {
    const std::string org = request.Param("organization");
    const http::FormData form = request.Form();
    const std::string action = Field(form, "action");
    const std::string service_id = Field(form, "service");
    const Instant now = clock();
    const std::optional<std::string> holder =
        Field(form, "holder") == "moi" ? std::optional<std::string>(principal.account_id) : std::nullopt;
    std::string form_name;
    core::Result<std::string> outcome = std::string();
    if (action == "creneau") {
      form_name = "slot";
      const std::string weekday = Field(form, "weekday");
      const int day = weekday.size() == 1 && weekday[0] >= '0' && weekday[0] <= '6' ? weekday[0] - '0' : -1;
      outcome = service.AddWeeklySlot(org, service_id, day, Field(form, "start"), Field(form, "end"), holder, now);
    } else if (action == "fermeture") {
      form_name = "closed";
      outcome = service.AddClosedDays(org, service_id, Field(form, "from"), Field(form, "to"), now);
    } else if (action == "supplement") {
      form_name = "extra";
      outcome = service.AddExtraSlot(org, service_id, Field(form, "day"), Field(form, "extra_start"),
                                     Field(form, "extra_end"), holder, now);
    } else if (action == "supprimer") {
      const auto removed = service.Remove(org, Field(form, "id"));
      if (!removed) return http::ErrorFor(removed.error());
      return http::Response::Redirect(303, Base(org) + "/permanences?etat=supprime");
    } else {
      return http::Response::Error(400, "Action inconnue.");
    }
    if (!outcome) {
      const std::string field = FieldOf(outcome.error(), form_name);
      return ShowOrganization(request, principal, http::StatusOf(outcome.error().code),
                              {{field, outcome.error().public_message}}, form);
    }
    const std::string state = action == "creneau" ? "creneau" : action == "fermeture" ? "fermeture" : "supplement";
    return http::Response::Redirect(303, Base(org) + "/permanences?etat=" + state);
  }

  http::Response Live(http::Request& request, const Principal& principal) {
    const std::string org = request.Param("organization");
    const http::FormData form = request.Form();
    const std::string action = Field(form, "action");
    if (action == "fin") {
      service.EndLive(org, principal.account_id);
      return http::Response::Redirect(303, Base(org) + "/permanences?etat=fin");
    }
    if (action != "debut") return http::Response::Error(400, "Action inconnue.");
    std::chrono::minutes length = kDefaultLive;
    if (const auto typed = form.Get("duree"); typed && !typed->empty()) {
      if (typed->size() > 4 || typed->find_first_not_of("0123456789") != std::string::npos) {
        return ShowOrganization(request, principal, 400, {{"live-length", "La durée est un nombre de minutes."}}, form);
      }
      length = std::chrono::minutes(std::stoi(*typed));
    }
    const auto outcome = service.GoLive(org, Field(form, "service"), principal.account_id, length, clock());
    if (!outcome) {
      return ShowOrganization(request, principal, http::StatusOf(outcome.error().code),
                              {{"live-length", outcome.error().public_message}}, form);
    }
    return http::Response::Redirect(303, Base(org) + "/permanences?etat=disponible");
  }

  http::Response Coverage(http::Request& request, const Principal& principal) {
    const std::string territory = request.Param("territory");
    std::chrono::sys_days day = core::ParisDay(clock());
    const std::string asked = request.QueryParams().Get("semaine").value_or("");
    if (!asked.empty()) {
      int y = 0;
      unsigned m = 0, d = 0;
      if (asked.size() != 10 || std::sscanf(asked.c_str(), "%4d-%2u-%2u", &y, &m, &d) != 3 ||
          !std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}}.ok()) {
        return http::Response::Error(400, "La semaine doit être une date de la forme 2026-01-12.");
      }
      day = std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
    }
    const std::chrono::sys_days monday = day - (std::chrono::weekday(day) - std::chrono::Monday);
    const auto rows = service.TerritoryWeek(territory, monday);
    json days = json::array();
    for (int d = 0; d < 7; ++d) {
      const std::string iso =
          core::ParisDate(core::ParisMidnight(monday + std::chrono::days(d)) + std::chrono::hours(12));
      days.push_back({{"label", std::string(kWeekdays[d]) + " " + FrenchDay(iso).substr(0, 5)}});
    }
    json table = json::array();
    int uncovered = 0;
    for (const CoverageRow& r : rows) {
      json cells = json::array();
      int total = 0;
      for (int d = 0; d < 7; ++d) {
        std::string text;
        for (const std::string& range : r.ranges[d]) text += (text.empty() ? "" : ", ") + range;
        total += r.minutes[d];
        cells.push_back({{"text", text.empty() ? "—" : text}, {"covered", !text.empty()}});
      }
      if (total == 0) ++uncovered;
      char hours[32];
      std::snprintf(hours, sizeof hours, "%d h %02d", total / 60, total % 60);
      table.push_back({{"organization", r.organization_name},
                       {"service", r.service_name},
                       {"cells", cells},
                       {"total", std::string(hours)}});
    }
    const auto iso_of = [](std::chrono::sys_days d) {
      return core::ParisDate(core::ParisMidnight(d) + std::chrono::hours(12));
    };
    json data = {
        {"territory", territory},
        {"days", days},
        {"rows", table},
        {"has_rows", !table.empty()},
        {"uncovered", uncovered},
        {"week", FrenchDay(iso_of(monday))},
        {"previous", "/pro/territoires/" + territory + "/permanences?semaine=" + iso_of(monday - std::chrono::days(7))},
        {"next", "/pro/territoires/" + territory + "/permanences?semaine=" + iso_of(monday + std::chrono::days(7))},
        {"back_href", "/pro/territoires/" + territory}};
    return Page(request, principal, 200, "duty_coverage", "Permanences de la semaine", data);
  }
};

}  // namespace

void RegisterDutyPages(accounts::ProRoutes& routes, const http::Renderer& renderer, storage::Database& db,
                       accounts::Clock clock) {
  RegisterAppointmentPages(routes, renderer, db, clock);
  auto c = std::make_shared<Context>(Context{renderer, DutyService(db), std::move(clock)});
  using accounts::Role;
  const std::string org_kind(accounts::kOrganizationObject);
  const Access members = Access::Roles({Role::kMember}, {{"organization", org_kind}});
  // As console::ManagersOfTerritory() (console is on duty's layer: not included).
  const Access managers =
      Access::Roles({Role::kCoordinator, Role::kOperator}, {{"territory", std::string(accounts::kTerritoryObject)}});
  const auto bind = [c](http::Response (Context::*method)(http::Request&, const Principal&)) {
    return
        [c, method](http::Request& request, const Principal& principal) { return ((*c).*method)(request, principal); };
  };
  routes.Get("/pro/organisations/{organization}/permanences", members, bind(&Context::Show));
  routes.Post("/pro/organisations/{organization}/permanences", members, bind(&Context::Save));
  routes.Post("/pro/organisations/{organization}/disponible", members, bind(&Context::Live));
  routes.Get("/pro/territoires/{territory}/permanences", managers, bind(&Context::Coverage));
}

}  // namespace passerelle::duty
