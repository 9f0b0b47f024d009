#include "console/freshness.h"

#include <memory>

#include "accounts/register.h"
#include "console/page.h"
#include "core/paris_time.h"
#include "directory/freshness.h"
#include "territory/service.h"

namespace passerelle::console {

namespace {

using accounts::Principal;
using nlohmann::json;

constexpr const char* kSection = "fraicheur";

// "2026-03-05" → "05/03/2026"; "" stays "".
std::string FrenchDay(const std::string& day) {
  if (day.size() != 10) return day;
  return day.substr(8, 2) + "/" + day.substr(5, 2) + "/" + day.substr(0, 4);
}

std::string Notice(const http::Request& request) {
  const std::string state = request.QueryParams().Get("etat").value_or("");
  if (state == "periode") return "La période est enregistrée. Elle s’applique dès le prochain passage des tâches.";
  if (state == "defaut") return "Le territoire suit de nouveau la période par défaut (6 mois).";
  if (state == "relance") return "Le rappel est parti : l’organisation reçoit un nouvel e-mail avec un nouveau lien.";
  return "";
}

struct Freshness {
  ConsoleContext context;

  directory::Freshness Domain() const { return directory::Freshness(context.db, context.freshness_key); }

  std::string NameOf(const std::string& slug) const {
    const auto territory = territory::TerritoryService(context.db).Find(slug);
    return territory ? territory->name : slug;
  }

  http::Response Show(const http::Request& request, const Principal& principal, int status,
                      const std::string& period_typed, const std::vector<accounts::FieldError>& errors) const {
    const std::string slug = request.Param("territory");
    auto domain = Domain();
    json data = accounts::ErrorData(errors);
    json rows = json::array();
    std::size_t stale = 0;
    for (const directory::FreshnessEntry& e : domain.List(slug)) {
      stale += e.stale ? 1 : 0;
      rows.push_back({{"id", e.organization_id},
                      {"name", e.name},
                      {"assured", FrenchDay(e.assured_date)},
                      {"requested", FrenchDay(e.requested_on)},
                      {"reminded", FrenchDay(e.reminded_on)},
                      {"stale", e.stale},
                      {"waiting", !e.stale && !e.requested_on.empty()},
                      {"profile", "/pro/organisations/" + e.organization_id + "/profil"}});
    }
    const int period = domain.PeriodMonths(slug);
    data.update({{"name", NameOf(slug)},
                 {"slug", slug},
                 {"hub", TerritoryPath(slug)},
                 {"action", TerritoryPath(slug, kSection)},
                 {"period_months", period_typed.empty() ? std::to_string(period) : period_typed},
                 {"is_default", period == directory::kDefaultPeriodMonths},
                 {"min", directory::kMinPeriodMonths},
                 {"max", directory::kMaxPeriodMonths},
                 {"stale_after", directory::kStaleAfterDays},
                 {"stale_count", stale},
                 {"entries", rows},
                 {"has_entries", !rows.empty()}});
    if (!errors.empty()) data["period_months_error"] = errors.front().message;
    if (const std::string notice = Notice(request); !notice.empty()) data["notice"] = notice;
    return Page(context.renderer, request, principal, status, "console_freshness", "Fraîcheur des informations", data);
  }

  http::Response Save(http::Request& request, const Principal& principal) const {
    const std::string slug = request.Param("territory");
    const http::FormData form = request.Form();
    const std::string action = form.Get("action").value_or("");
    const std::string actor = "account:" + principal.account_id;
    const std::string back = TerritoryPath(slug, kSection);
    auto domain = Domain();
    if (action == "relancer") {
      const std::string organization = form.Get("organization").value_or("");
      if (!domain.Remind(actor, slug, organization, context.clock())) return http::Response::Error(404);
      return http::Response::Redirect(303, back + "?etat=relance");
    }
    if (action == "defaut") {
      domain.SetPeriodMonths(actor, slug, std::nullopt, context.clock());
      return http::Response::Redirect(303, back + "?etat=defaut");
    }
    const std::string typed = form.Get("period_months").value_or("");
    if (action != "periode") {
      return Show(request, principal, 400, typed, {{"period_months", "Choisissez d’enregistrer la période."}});
    }
    std::string trimmed = typed;
    trimmed.erase(0, trimmed.find_first_not_of(' '));
    trimmed.erase(trimmed.find_last_not_of(' ') + 1);
    const bool digits =
        !trimmed.empty() && trimmed.size() <= 3 && trimmed.find_first_not_of("0123456789") == std::string::npos;
    const int months = digits ? std::stoi(trimmed) : 0;
    if (trimmed.empty()) {
      return Show(request, principal, 400, typed, {{"period_months", "Indiquez la période en mois."}});
    }
    if (!digits || months < directory::kMinPeriodMonths || months > directory::kMaxPeriodMonths) {
      return Show(request, principal, 400, typed,
                  {{"period_months", "La période doit être un nombre entier de mois entre " +
                                         std::to_string(directory::kMinPeriodMonths) + " et " +
                                         std::to_string(directory::kMaxPeriodMonths) + "."}});
    }
    domain.SetPeriodMonths(actor, slug, months, context.clock());
    return http::Response::Redirect(303, back + "?etat=periode");
  }

  // The page of the link: anonymous (the signed link is the credential), one button that POSTs.
  http::Response LinkPage(const http::Request& request, const Principal& principal, int status, json data) const {
    data["pro_csrf"] = accounts::FormToken(request, principal);
    data["signed_in"] = !principal.account_id.empty();
    data["pro_nav"] = accounts::NavLinks(principal);
    return context.renderer.Page(request, status, "pro/console_freshness_link", "Vos informations sont-elles exactes ?",
                                 data);
  }

  std::optional<std::string> Open(const http::Request& request) const {
    return directory::OpenFreshnessToken(context.freshness_key, request.Param("token"),
                                         core::ParisDate(context.clock()));
  }

  http::Response ShowLink(http::Request& request, const Principal& principal) const {
    const auto organization = Open(request);
    if (!organization) return LinkPage(request, principal, 404, {{"invalid", true}});
    const auto name = Domain().NameOf(*organization);
    if (!name) return LinkPage(request, principal, 404, {{"invalid", true}});
    return LinkPage(request, principal, 200,
                    {{"name", *name},
                     {"action", request.path},
                     {"confirmed", request.QueryParams().Get("etat").value_or("") == "confirme"},
                     {"profile", "/pro/organisations/" + *organization + "/profil"}});
  }

  http::Response Confirm(http::Request& request, const Principal& principal) const {
    if (!Domain().Confirm(request.Param("token"), context.clock())) {
      return LinkPage(request, principal, 404, {{"invalid", true}});
    }
    return http::Response::Redirect(303, std::string(request.path) + "?etat=confirme");
  }
};

}  // namespace

void RegisterFreshness(const ConsoleContext& given) {
  auto page = std::make_shared<Freshness>(Freshness{given});
  const auto bind = [page](auto method) {
    return [page, method](http::Request& request, const Principal& principal) {
      return ((*page).*method)(request, principal);
    };
  };
  given.routes.Get("/pro/territoires/{territory}/fraicheur", ManagersOfTerritory(),
                   [page](http::Request& request, const Principal& principal) {
                     return page->Show(request, principal, 200, "", {});
                   });
  given.routes.Post("/pro/territoires/{territory}/fraicheur", ManagersOfTerritory(), bind(&Freshness::Save));
  // The link of the e-mail. GET only shows a button: mail scanners that follow links confirm
  // nothing; the POST (with the public form token) confirms.
  given.routes.Get("/pro/fraicheur/{token}", accounts::Access::Anonymous(), bind(&Freshness::ShowLink),
                   http::Priority::kPublic);
  given.routes.Post("/pro/fraicheur/{token}", accounts::Access::Anonymous(), bind(&Freshness::Confirm),
                    http::Priority::kPublic);
}

}  // namespace passerelle::console
