// The professional's appointment page (issue 12 §2, docs/immediate-connection.md "Appointment
// slots"): GET|POST /pro/organisations/{organization}/rendez-vous, for the members of the
// organization. POST action = publier (service, jour, debut, duree, mode, lieu) | annuler (id) |
// venue / absente (id): publish a slot, cancel one (booked or not), mark a booked one honoured or
// not. The page lists the day's slots (?jour=YYYY-MM-DD, today by default) and the upcoming ones.
#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>

#include "accounts/register.h"
#include "core/paris_time.h"
#include "duty/booking.h"
#include "duty/pro_register.h"
#include "duty/service.h"
#include "http/pipeline.h"
#include "stats/repository.h"

namespace passerelle::duty {

namespace {

using accounts::Access;
using accounts::Principal;
using nlohmann::json;

// How far ahead the page lists the upcoming slots.
constexpr std::chrono::days kUpcoming{30};

std::string Field(const http::FormData& form, const char* name) { return form.Get(name).value_or(""); }

std::string PagePath(const std::string& organization_id) {
  return "/pro/organisations/" + organization_id + "/rendez-vous";
}

const char* ModeLabel(const std::string& mode) {
  if (mode == "in_person") return "En personne";
  if (mode == "phone") return "Par téléphone";
  if (mode == "video") return "En vidéo";
  return "";
}

// "13/01/2026 14:00".
std::string When(Instant t) { return core::ParisDateTime(t); }

std::string StatusLabel(const AppointmentSlot& slot) {
  if (slot.status == "open") return "Libre";
  if (slot.status == "cancelled") return "Annulé";
  if (slot.outcome == std::optional<std::string>("honoured")) return "Réservé — venue";
  if (slot.outcome == std::optional<std::string>("missed")) return "Réservé — pas venue";
  return "Réservé";
}

std::string Notice(const std::string& state) {
  if (state == "publie") return "Le créneau est publié : il est proposé aux personnes qui cherchent de l’aide.";
  if (state == "annule") return "Le créneau est annulé. Si quelqu’un l’avait réservé, son suivi l’indique.";
  if (state == "marque") return "C’est noté.";
  return "";
}

struct Pages {
  const http::Renderer& renderer;
  storage::Database& db;
  DutyService duty;
  Appointments appointments;
  accounts::Clock clock;

  json SlotView(const AppointmentSlot& slot, const std::map<std::string, std::string>& names, Instant now) const {
    const bool booked = slot.status == "booked";
    const auto name = names.find(slot.service_id);
    return {{"id", slot.id},
            {"when", When(slot.starts)},
            {"hours", FormatClock(core::ToParisTime(slot.starts).minutes) + "–" +
                          FormatClock(core::ToParisTime(slot.ends).minutes)},
            {"service", name == names.end() ? slot.service_id : name->second},
            {"mode", ModeLabel(slot.mode)},
            {"place", slot.place},
            {"status", slot.status},
            {"status_label", StatusLabel(slot)},
            {"booked", booked},
            {"request_href", booked && slot.booking ? "/pro/demandes/" + *slot.booking : ""},
            {"can_cancel", slot.status != "cancelled"},
            {"can_mark", booked && slot.starts <= now}};
  }

  http::Response Show(http::Request& request, const Principal& principal, int status,
                      const std::vector<accounts::FieldError>& errors, const http::FormData& typed) const {
    const std::string org = request.Param("organization");
    const Instant now = clock();
    std::chrono::sys_days day = core::ParisDay(now);
    const std::string asked = request.QueryParams().Get("jour").value_or("");
    if (!asked.empty()) {
      const auto parsed = ParisInstant(asked, "12:00");
      if (!parsed) return http::Response::Error(400, "Le jour doit être une date de la forme 2026-01-13.");
      day = core::ParisDay(parsed.value());
    }
    const OrganizationDuty services = duty.ForOrganization(org, now);
    std::map<std::string, std::string> names;
    json service_options = json::array();
    for (const ServiceRow& s : services.services) {
      names[s.id] = s.name;
      service_options.push_back(
          {{"id", s.id}, {"name", s.name}, {"selected", typed.Get("service").value_or("") == s.id}});
    }
    json day_slots = json::array();
    for (const AppointmentSlot& slot : appointments.Day(org, day)) day_slots.push_back(SlotView(slot, names, now));
    json upcoming = json::array();
    for (const AppointmentSlot& slot : appointments.OfOrganization(org, now, now + kUpcoming)) {
      if (slot.status != "cancelled") upcoming.push_back(SlotView(slot, names, now));
    }
    const std::string typed_mode = typed.Get("mode").value_or("phone");
    json modes = json::array();
    for (const char* mode : {"in_person", "phone", "video"}) {
      // The first radio carries the field's id: the error summary links to it.
      modes.push_back({{"value", mode},
                       {"label", ModeLabel(mode)},
                       {"checked", typed_mode == mode},
                       {"input_id", modes.empty() ? std::string("rdv-mode") : "rdv-mode-" + std::string(mode)}});
    }
    json data = accounts::ErrorData(errors);
    for (const accounts::FieldError& e : errors) {
      std::string key = e.field_id;
      std::replace(key.begin(), key.end(), '-', '_');
      data[key + "_error"] = e.message;
    }
    const std::string iso_day = core::ParisDate(core::ParisMidnight(day) + std::chrono::hours(12));
    data["action"] = PagePath(org);
    data["back_href"] = "/pro/organisations/" + org;
    data["duty_href"] = "/pro/organisations/" + org + "/permanences";
    data["notice"] = Notice(request.QueryParams().Get("etat").value_or(""));
    data["services"] = service_options;
    data["has_services"] = !service_options.empty();
    data["modes"] = modes;
    data["day"] = iso_day.substr(8, 2) + "/" + iso_day.substr(5, 2) + "/" + iso_day.substr(0, 4);
    data["day_iso"] = iso_day;
    data["day_slots"] = day_slots;
    data["has_day_slots"] = !day_slots.empty();
    data["upcoming"] = upcoming;
    data["has_upcoming"] = !upcoming.empty();
    for (const char* f : {"jour", "debut", "duree", "lieu"}) data["typed_" + std::string(f)] = Field(typed, f);
    if (data["typed_duree"] == "") data["typed_duree"] = "45";
    data["pro_csrf"] = accounts::FormToken(request, principal);
    data["signed_in"] = true;
    data["pro_nav"] = accounts::NavLinks(principal);
    const std::string title = "Rendez-vous";
    return renderer.Page(request, status, "pro/appointments", errors.empty() ? title : "Erreur : " + title, data);
  }

  http::Response Get(http::Request& request, const Principal& principal) const {
    return Show(request, principal, 200, {}, http::FormData{});
  }

  http::Response Post(http::Request& request, const Principal& principal) {
    const std::string org = request.Param("organization");
    const http::FormData form = request.Form();
    const std::string action = Field(form, "action");
    const Instant now = clock();
    if (action == "publier") {
      std::vector<accounts::FieldError> errors;
      const auto starts = ParisInstant(Field(form, "jour"), Field(form, "debut"));
      if (!starts) {
        const bool day = starts.error().internal_detail == "duty: invalid day";
        errors.push_back({day ? "rdv-jour" : "rdv-debut", starts.error().public_message});
      }
      const std::string typed_length = Field(form, "duree");
      int length = 0;
      if (typed_length.empty() || typed_length.size() > 3 ||
          typed_length.find_first_not_of("0123456789") != std::string::npos) {
        errors.push_back({"rdv-duree", "La durée est un nombre de minutes, de 5 à 240."});
      } else {
        length = std::stoi(typed_length);
      }
      if (!errors.empty()) return Show(request, principal, 400, errors, form);
      const auto published =
          appointments.Publish(org, Field(form, "service"), starts.value(), std::chrono::minutes(length),
                               Field(form, "mode"), Field(form, "lieu"), now);
      if (!published) {
        // The booking core names the field in its internal detail ("duty: invalid place").
        static const std::map<std::string, std::string> kFields = {{"duty: invalid starts", "rdv-debut"},
                                                                   {"duty: invalid length", "rdv-duree"},
                                                                   {"duty: invalid mode", "rdv-mode"},
                                                                   {"duty: invalid place", "rdv-lieu"}};
        const auto field = kFields.find(published.error().internal_detail);
        return Show(request, principal, http::StatusOf(published.error().code),
                    {{field == kFields.end() ? "rdv-service" : field->second, published.error().public_message}}, form);
      }
      return http::Response::Redirect(303, PagePath(org) + "?etat=publie");
    }
    const std::string id = Field(form, "id");
    if (action == "annuler") {
      const auto cancelled = appointments.CancelByOrganization(org, id);
      if (!cancelled) return http::ErrorFor(cancelled.error());
      if (cancelled.value()) {
        stats::StatsRepository(db).Increment(stats::StatEvent::kAppointmentCancelled, appointments.TerritoryOf(org), "",
                                             now);
      }
      return http::Response::Redirect(303, PagePath(org) + "?etat=annule");
    }
    if (action == "venue" || action == "absente") {
      const auto marked = appointments.MarkOutcome(org, id, action == "venue" ? "honoured" : "missed", now);
      if (!marked) return http::ErrorFor(marked.error());
      if (marked.value()) {
        stats::StatsRepository(db).Increment(stats::StatEvent::kAppointmentHonoured, appointments.TerritoryOf(org), "",
                                             now);
      }
      return http::Response::Redirect(303, PagePath(org) + "?etat=marque");
    }
    return http::Response::Error(400, "Action inconnue.");
  }
};

}  // namespace

void RegisterAppointmentPages(accounts::ProRoutes& routes, const http::Renderer& renderer, storage::Database& db,
                              accounts::Clock clock) {
  auto pages = std::make_shared<Pages>(Pages{renderer, db, DutyService(db), Appointments(db), std::move(clock)});
  const Access members =
      Access::Roles({accounts::Role::kMember}, {{"organization", std::string(accounts::kOrganizationObject)}});
  routes.Get("/pro/organisations/{organization}/rendez-vous", members,
             [pages](http::Request& request, const Principal& principal) { return pages->Get(request, principal); });
  routes.Post("/pro/organisations/{organization}/rendez-vous", members,
              [pages](http::Request& request, const Principal& principal) { return pages->Post(request, principal); });
}

}  // namespace passerelle::duty
