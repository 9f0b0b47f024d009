#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "help/flow_file.h"
#include "help/matching.h"
#include "help/token.h"
#include "http/router.h"
#include "http/templates.h"
#include "stats/repository.h"
#include "territory/model.h"

namespace passerelle::help {

struct HelpSettings {
  std::string territory_slug;                    // "" for the national site (statistics)
  std::optional<territory::Territory> territory;  // youth services and emergency contacts
  MatchDirectory matching;                        // what the end page proposes from (issue 3 §5)
  // Every territory of the database: on a national instance (no `territory`), her commune's
  // territory gives the youth services, the statistics, and which homonyms come first.
  std::vector<territory::Territory> territories;
  // Whether an organization can receive a referral now (it has a key: src/referral). Null:
  // only the directory's `accepts_referrals` counts.
  std::function<bool(const std::string& organization_id)> has_referral_key;
};

// "J'ai besoin d'aide". The button on every page posts to /aide, which counts the click and shows
// the start page with the emergency numbers; GET /aide shows it too. The questions are answered
// at POST /aide/questions (server-rendered, no JavaScript needed) or POST /api/v1/help (JSON, the
// chat-style enhancement), both on the same engine; the state travels in the flow token only.
// `flows` and `tokens` must outlive the router.
void RegisterHelp(http::Router& router, const http::Renderer& renderer, stats::StatsRepository& stats,
                  const FlowLibrary& flows, const FlowTokens& tokens, HelpSettings settings);

}  // namespace passerelle::help
