#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "conversation/hub.h"
#include "directory/service.h"
#include "help/flow_file.h"
#include "help/token.h"
#include "http/router.h"
#include "http/templates.h"
#include "referral/service.h"
#include "stats/repository.h"

namespace passerelle::conversation {

using Clock = std::function<TimePoint()>;

// What else the service offers now, for "the other ways" shown while nobody answers.
struct OtherWays {
  bool on_duty = false;                   // a call-back can be asked (when she chose the phone)
  bool bookable = false;                  // it has open appointment slots
  std::optional<TimePoint> next_on_duty;  // when not on duty: its next on-duty start, if any
};

struct ConversationSettings {
  // Whether someone of the service's organization can answer now: on duty (src/duty, when the
  // composition root wires it) and present at the desk (Hub::Staffed). Required.
  std::function<bool(const std::string& service_id)> can_talk_now;
  Clock clock;  // required
  // The call-back, the slots and the next on-duty time (src/duty). Null: the other ways are the
  // referral and the 3919 only.
  std::function<OtherWays(const std::string& service_id)> other_ways = {};
};

// Her side of "Écrire maintenant" (docs/conversation.md): no cookie, the conversation id in the
// address is her only capability; every POST answers 303 to the GET (ADR 0011).
//   POST /aide/conversation               opens one from her end-page token and a service_id
//   GET  /aide/conversation/{id}          the conversation (refreshes itself without JavaScript)
//   GET  /aide/conversation/{id}/ecrire   the same with the message box (no refresh)
//   POST /aide/conversation/{id}          say, end, someone (is coming), send (consent), forget
//   GET  /aide/conversation/{id}/flux     Server-Sent Events: "changed" when there is news
// Everything given must outlive the router.
void RegisterConversation(http::Router& router, const http::Renderer& renderer, stats::StatsRepository& stats,
                          const help::FlowLibrary& flows, const help::FlowTokens& tokens,
                          const directory::DirectoryService& directory, referral::ReferralService& referrals, Hub& hub,
                          ConversationSettings settings);

// The quick exit's part (/sortie?conversation=ID): ends her side at once.
void InterruptFromExit(Hub& hub, const http::Request& request, TimePoint now);

// The counters of Hub events (issue 12 §4), for the composition root: started, answered (with
// the wait, in buckets for the median), abandoned.
Hub::Counter StatsCounter(stats::StatsRepository& stats, Clock clock);

}  // namespace passerelle::conversation
