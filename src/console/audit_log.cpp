#include "console/audit_log.h"

#include <memory>

#include "accounts/register.h"
#include "audit/audit_log.h"
#include "audit/labels.h"
#include "audit/search.h"
#include "console/page.h"
#include "core/html.h"
#include "core/paris_time.h"
#include "core/unix_time.h"
#include "territory/service.h"

namespace passerelle::console {

namespace {

using accounts::Principal;
using nlohmann::json;

constexpr int kPageSize = 50;

// "YYYY-MM-DD" → that Paris day; nothing for anything else.
std::optional<std::chrono::sys_days> ParseDay(const std::string& text) {
  using namespace std::chrono;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const year_month_day ymd{year{std::stoi(text.substr(0, 4))},
                           month{static_cast<unsigned>(std::stoi(text.substr(5, 2)))},
                           day{static_cast<unsigned>(std::stoi(text.substr(8, 2)))}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd};
}

// "05/03/2026 14:07" in Paris time.
std::string ParisTimeText(long long at) {
  return core::ParisDateTime(std::chrono::system_clock::time_point{std::chrono::seconds(at)});
}

// The French label of an action (audit/labels.h), or its code when the table lacks it.
std::string LabelText(const std::string& action) {
  const std::string_view label = audit::LabelOf(action);
  return label.empty() ? action : std::string(label);
}

struct AuditLog {
  ConsoleContext context;

  http::Response Show(http::Request& request, const Principal& principal, const std::optional<std::string>& slug) {
    const http::FormData query = request.QueryParams();
    const auto field = [&](const char* name) {
      std::string value = query.Get(name).value_or("");
      value.erase(0, value.find_first_not_of(' '));
      value.erase(value.find_last_not_of(' ') + 1);
      return value;
    };
    const std::string from = field("du"), to = field("au"), action = field("action"), actor = field("acteur"),
                      object = field("objet"), page_text = field("page");
    std::vector<accounts::FieldError> errors;
    audit::SearchFilter filter;
    filter.territory = slug;
    filter.action = action;
    filter.actor = actor;
    filter.object = object;
    std::optional<std::chrono::sys_days> from_day, to_day;
    if (!from.empty()) {
      from_day = ParseDay(from);
      if (!from_day) errors.push_back({"du", "La date de début doit être une date, par exemple 2026-03-05."});
    }
    if (!to.empty()) {
      to_day = ParseDay(to);
      if (!to_day) errors.push_back({"au", "La date de fin doit être une date, par exemple 2026-03-31."});
    }
    if (from_day && to_day && *to_day < *from_day) {
      errors.push_back({"au", "La date de fin ne peut pas être avant la date de début."});
    }
    int page = 0;
    if (!page_text.empty()) {
      const bool digits = page_text.size() <= 6 && page_text.find_first_not_of("0123456789") == std::string::npos;
      if (!digits || std::stoi(page_text) < 1) {
        errors.push_back({"page", "Le numéro de page doit être un nombre entier à partir de 1."});
      } else {
        page = std::stoi(page_text) - 1;
      }
    }
    if (from_day) filter.from_at = core::UnixSeconds(core::ParisMidnight(*from_day));
    if (to_day) filter.to_at = core::UnixSeconds(core::ParisMidnight(*to_day + std::chrono::days{1}));

    const std::string base = slug ? TerritoryPath(*slug, "journal") : "/pro/journal";
    json data = accounts::ErrorData(errors);
    for (const accounts::FieldError& e : errors) data[e.field_id + "_error"] = e.message;
    json actions = json::array();
    for (const std::string& a : audit::Actions(context.db))
      actions.push_back({{"value", a}, {"label", LabelText(a)}, {"selected", a == action}});
    data.update({{"action_url", base},
                 {"du", from},
                 {"au", to},
                 {"acteur", actor},
                 {"objet", object},
                 {"actions", actions},
                 {"any_action", action.empty()},
                 {"territory", slug.has_value()}});
    if (slug) {
      const auto territory = territory::TerritoryService(context.db).Find(*slug);
      data["name"] = territory ? territory->name : *slug;
      data["hub"] = TerritoryPath(*slug);
    }
    // The chain check of the whole log (`audit verify`): one chain for every territory.
    const audit::Verification verification = audit::Verify(context.db);
    data["verify_ok"] = verification.ok;
    data["verify_checked"] = verification.checked;
    if (!verification.ok) {
      data["verify_bad_seq"] = verification.first_bad_seq.value_or(0);
      data["verify_reason"] = verification.reason;
    }
    if (errors.empty()) {
      const audit::SearchPage found = audit::Search(context.db, filter, page, kPageSize);
      json rows = json::array();
      for (const audit::FoundEntry& e : found.entries) {
        rows.push_back({{"seq", e.seq},
                        {"at", ParisTimeText(e.at)},
                        {"actor", e.actor},
                        {"action", e.action},
                        {"label", LabelText(e.action)},
                        {"object", e.object},
                        {"detail", e.detail}});
      }
      std::string keep = "?du=" + core::PercentEncode(from) + "&au=" + core::PercentEncode(to) +
                         "&action=" + core::PercentEncode(action) + "&acteur=" + core::PercentEncode(actor) +
                         "&objet=" + core::PercentEncode(object) + "&page=";
      data["entries"] = rows;
      data["has_entries"] = !rows.empty();
      data["page"] = page + 1;
      if (page > 0) data["previous"] = base + keep + std::to_string(page);
      if (found.has_more) data["next"] = base + keep + std::to_string(page + 2);
    }
    const std::string title = slug ? "Journal d’audit : " + data.value("name", *slug) : "Journal d’audit";
    return Page(context.renderer, request, principal, errors.empty() ? 200 : 400, "console_audit", title, data);
  }
};

}  // namespace

void RegisterAuditLog(const ConsoleContext& given) {
  auto log = std::make_shared<AuditLog>(AuditLog{given});
  given.routes.Get("/pro/territoires/{territory}/journal", ManagersOfTerritory(),
                   [log](http::Request& request, const Principal& principal) {
                     return log->Show(request, principal, request.Param("territory"));
                   });
  given.routes.Get("/pro/journal", Operators(), [log](http::Request& request, const Principal& principal) {
    return log->Show(request, principal, std::nullopt);
  });
}

}  // namespace passerelle::console
