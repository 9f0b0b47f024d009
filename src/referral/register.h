#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "directory/service.h"
#include "help/flow_file.h"
#include "help/matching.h"
#include "help/token.h"
#include "http/router.h"
#include "http/templates.h"
#include "referral/service.h"
#include "referral/throttle.h"
#include "stats/repository.h"
#include "territory/model.h"

namespace passerelle::referral {

struct ReferralSettings {
  // /suivi: the limits on failed attempts, counted in the database (referral/throttle.h).
  // Required; must outlive the router.
  const FollowUpThrottle* throttle = nullptr;
  // Where the help flow's end page found its proposals: a referral may only go to one of them
  // (recomputed from the flow state). Both must outlive the router.
  help::MatchDirectory matching;
  const territory::Territory* territory = nullptr;  // the instance's territory, null: national
};

// The referral pages (docs/referral.md): POST /aide/rapport (the report as the professional will
// see it, items removable, consent), POST /aide/envoi (sealed, committed, then the confirmation
// with the follow-up code), GET/POST /suivi (status, messages, reply, deletion). Everything
// given must outlive the router.
void RegisterReferral(http::Router& router, const http::Renderer& renderer, stats::StatsRepository& stats,
                      const help::FlowLibrary& flows, const help::FlowTokens& tokens,
                      const directory::DirectoryService& directory, ReferralService& referrals,
                      ReferralSettings settings);

}  // namespace passerelle::referral
