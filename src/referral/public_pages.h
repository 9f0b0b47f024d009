#pragma once
// Shared by the referral's public pages: register.cpp (/aide/rapport, /aide/envoi),
// followup_pages.cpp (/suivi) and public_pages.cpp (their paths, problem pages and her sealed
// draft, ADR 0011). Not part of the referral domain's interface.

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "referral/register.h"

namespace passerelle::referral::pages {

// Neutral titles: they show in the history and the tab list.
inline constexpr const char* kHelpTitle = "Aide";
inline constexpr const char* kFollowUpTitle = "Suivi";

struct Context {
  const http::Renderer& renderer;
  stats::StatsRepository& stats;
  const help::FlowLibrary& flows;
  const help::FlowTokens& tokens;
  const directory::DirectoryService& directory;
  ReferralService& referrals;
  const FollowUpThrottle& throttle;
  help::MatchDirectory matching;
  const territory::Territory* territory;
  PublicDrafts& drafts;
  bool secure_cookie;
  std::function<bool(const std::string& service_id)> on_duty;
  std::function<std::vector<std::string>(const std::string& organization_id)> on_duty_emails;
  ReferralSettings appointments;  // its appointment hooks (open_slots … cancel_appointment)

  Context(const http::Renderer& r, stats::StatsRepository& s, const help::FlowLibrary& f, const help::FlowTokens& t,
          const directory::DirectoryService& d, ReferralService& referral_service, const ReferralSettings& settings)
      : renderer(r),
        stats(s),
        flows(f),
        tokens(t),
        directory(d),
        referrals(referral_service),
        throttle(*settings.throttle),
        matching(settings.matching),
        territory(settings.territory),
        drafts(*settings.drafts),
        secure_cookie(settings.secure_cookie),
        on_duty(settings.on_duty),
        on_duty_emails(settings.on_duty_emails),
        appointments(settings) {}
};

inline std::chrono::system_clock::time_point Now() { return std::chrono::system_clock::now(); }

// `path` in her language.
std::string Path(const http::Request& request, const char* path);
nlohmann::json ProblemData(const http::Request& request, const std::string& message, const std::string& resume_token);
http::Response ProblemPage(const Context& context, const http::Request& request, int status, const std::string& message,
                           const std::string& resume_token = "");

// Her draft: the one cookie of the public side, and single-use form nonces.
struct DraftSession {
  std::string id;  // as the browser sent it ("" when none)
  nlohmann::json content = nlohmann::json::object();
  bool found = false;
};

std::string DraftIdOf(const http::Request& request);
std::vector<std::string> DraftCookiePaths(const http::Request& request);
std::string DraftCookie(const std::string& path, const std::string& value, bool secure, bool clear);
DraftSession LoadDraft(const PublicDrafts& drafts, const http::Request& request);
DraftSession LoadDraft(const Context& context, const http::Request& request);
http::Response StoreAndRedirect(PublicDrafts& drafts, bool secure_cookie, const http::Request& request,
                                const DraftSession& session, const std::string& location);
http::Response SaveAndRedirect(const Context& context, const http::Request& request, DraftSession& session,
                               const std::string& location);
bool TakeFresh(const Context& context, DraftSession& session, const std::string& path);
bool NonceMatches(const DraftSession& session, const http::FormData& form);
http::Response ExpiredPage(const Context& context, const http::Request& request);

// An appointment as her pages show it: when, how (in her language), where.
nlohmann::json AppointmentView(const Context& context, const http::Request& request, const AppointmentOffer& offer);

// /suivi (followup_pages.cpp).
http::Response PostFollowUp(Context& context, http::Request& request);
http::Response ShowFollowUp(Context& context, http::Request& request);

}  // namespace passerelle::referral::pages
