#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "help/flow_file.h"
#include "help/matching.h"
#include "help/token.h"
#include "http/router.h"
#include "http/templates.h"
#include "stats/repository.h"
#include "territory/live.h"

namespace passerelle::help {

struct DutyNow {
  std::map<std::string, std::chrono::system_clock::time_point> until;  // service id → end of duty
  std::optional<std::chrono::system_clock::time_point> next_start;     // when `until` is empty
};

struct HelpSettings {
  std::string territory_slug;  // "" for the national site (statistics)
  MatchDirectory matching;     // what the end page proposes from (issue 3 §5)
  // The territories now (territory::LiveTerritories::Current), asked once per request: the
  // instance's own (`territory_slug`) gives the youth services and emergency contacts; on the
  // national site her commune's active territory gives the youth services, the statistics, and
  // which homonyms come first. Null: no territory is known.
  std::function<std::shared_ptr<const territory::TerritorySet>()> territories;
  // Whether an organization can receive a referral now (it has a key: src/referral). Null:
  // only the directory's `accepts_referrals` counts.
  std::function<bool(const std::string& organization_id)> has_referral_key;
  // Post/Redirect/Get of the question pages without JavaScript (ADR 0011), so that her answers
  // never stay in the browser's history: `save_page` keeps a page for this browser and answers
  // 303 to `location`; `load_page` gives it back (nothing: no page kept, or gone with the quick
  // exit). Both required (src/referral keeps them in her draft).
  std::function<http::Response(const http::Request&, const nlohmann::json& page, const std::string& location)>
      save_page;
  std::function<std::optional<nlohmann::json>(const http::Request&)> load_page;
  // On-duty time (issue 12, docs/immediate-connection.md; src/duty, above help, wired by
  // src/commands.cpp): for the services a result proposes, given as `service_ids`, those on duty
  // now and until when ("Être rappelée maintenant" is offered for them), and, when none is, the
  // next start of duty of any of them (the page says it). Null: nothing about duty is shown.
  std::function<DutyNow(const std::vector<std::string>& service_ids)> duty_now;
  // "Écrire maintenant" (issue 12, src/conversation): which of the services the end page
  // proposes can take a live conversation now (on duty, someone at the desk). Called once per end
  // page with every proposed service; null: the button is never offered.
  std::function<std::set<std::string>(const std::vector<std::string>& service_ids)> live_conversation;
  // "Prendre rendez-vous" (issue 12 §2, src/duty): which of the proposed services that can
  // receive a request have open appointment slots in the coming days. Null: never offered.
  std::function<std::set<std::string>(const std::vector<std::string>& service_ids)> bookable;
};

// "J'ai besoin d'aide". The button on every page posts to /aide, which counts the click and shows
// the start page with the emergency numbers; GET /aide shows it too. The questions are answered
// at POST /aide/questions (no JavaScript needed; answered 303 to GET /aide/questions, which shows
// the page kept by `save_page`) or POST /api/v1/help (JSON, the chat-style enhancement), both on
// the same engine; the flow's state travels in the flow token.
// `flows` and `tokens` must outlive the router.
void RegisterHelp(http::Router& router, const http::Renderer& renderer, stats::StatsRepository& stats,
                  const FlowLibrary& flows, const FlowTokens& tokens, HelpSettings settings);

}  // namespace passerelle::help
