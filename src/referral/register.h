#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "directory/service.h"
#include "help/flow_file.h"
#include "help/matching.h"
#include "help/token.h"
#include "http/router.h"
#include "http/templates.h"
#include "referral/draft.h"
#include "referral/service.h"
#include "referral/throttle.h"
#include "stats/repository.h"
#include "territory/model.h"

namespace passerelle::referral {

// A slot of an appointment as her pages show it (issue 12 §2; the slots are src/duty's).
struct AppointmentOffer {
  std::string id;
  std::chrono::system_clock::time_point starts, ends;
  std::string mode;   // in_person | phone | video
  std::string place;  // the address, or the organization's video link
  bool cancelled_by_organization = false;
};

struct ReferralSettings {
  // /suivi: the limits on failed attempts, counted in the database (referral/throttle.h).
  // Required; must outlive the router.
  const FollowUpThrottle* throttle = nullptr;
  // Where the help flow's end page found its proposals: a referral may only go to one of them
  // (recomputed from the flow state). Both must outlive the router.
  help::MatchDirectory matching;
  const territory::Territory* territory = nullptr;  // the instance's territory, null: national
  // Her sealed drafts between a POST and its GET (ADR 0011); must outlive the router. Required.
  PublicDrafts* drafts = nullptr;
  bool secure_cookie = false;  // the draft cookie is Secure (public URL over HTTPS)
  // On-duty time (issue 12, docs/immediate-connection.md; src/duty, above referral, wired by
  // src/commands.cpp): whether a service is on duty now (a call-back, POST /aide/rappel, is
  // accepted only then) and the e-mail addresses of an organization's members on duty now (its
  // content-free e-mail goes to them first). Null `on_duty`: no call-back is accepted.
  std::function<bool(const std::string& service_id)> on_duty;
  std::function<std::vector<std::string>(const std::string& organization_id)> on_duty_emails;
  // Appointments ("Prendre rendez-vous", issue 12 §2; src/duty, wired by src/commands.cpp): an
  // appointment is a referral of kind "appointment" whose id holds one slot. `open_slots`: the
  // open slots of a service in the coming days; `hold_slot`: holds a slot for a referral inside
  // the caller's transaction (kConflict when just taken); `book_slot`: the same on its own (for a
  // referral that exists already); `appointment_of`: the slot a referral holds, or the last one
  // the organization cancelled under it; `cancel_appointment`: hers, the slot opens again. Null
  // `open_slots`: no appointment is offered.
  std::function<std::vector<AppointmentOffer>(const std::string& service_id)> open_slots;
  std::function<core::Result<core::Ok>(soci::session& sql, const std::string& slot_id, const std::string& referral_id)>
      hold_slot;
  std::function<core::Result<core::Ok>(const std::string& slot_id, const std::string& referral_id)> book_slot;
  std::function<std::optional<AppointmentOffer>(const std::string& referral_id)> appointment_of;
  std::function<core::Result<core::Ok>(const std::string& referral_id)> cancel_appointment;
};

// The help questions without JavaScript, Post/Redirect/Get (ADR 0011): `page` (what the question
// page shows, her answers included) is kept in her draft, and the answer is 303 to `location`,
// with the draft cookie when she had none yet. The GET reads it back with LoadQuestionPage.
http::Response SaveQuestionPage(PublicDrafts& drafts, bool secure_cookie, const http::Request& request,
                                const nlohmann::json& page, const std::string& location);
std::optional<nlohmann::json> LoadQuestionPage(const PublicDrafts& drafts, const http::Request& request);

// The quick exit's part (/sortie): destroys the draft named by the request's cookie, and adds to
// `response` the headers that expire that cookie on every path it was set for.
void ForgetDraft(PublicDrafts& drafts, const http::Request& request, http::Response& response);

// The referral pages (docs/referral.md), each a POST answered by 303 and a GET (ADR 0011):
// /aide/rapport (the report as the professional will see it, items removable, consent),
// /aide/envoi (sealed, committed, then the confirmation with the follow-up code), /suivi
// (status, messages, reply, deletion in two steps, her appointment and its cancel);
// /aide/rendez-vous (the open slots of a proposed service; she picks one, then the report). Everything given must
// outlive the router.
void RegisterReferral(http::Router& router, const http::Renderer& renderer, stats::StatsRepository& stats,
                      const help::FlowLibrary& flows, const help::FlowTokens& tokens,
                      const directory::DirectoryService& directory, ReferralService& referrals,
                      ReferralSettings settings);

}  // namespace passerelle::referral
