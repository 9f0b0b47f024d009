#include "referral/public_pages.h"

#include <utility>

#include "core/crypto.h"
#include "core/paris_time.h"
#include "http/cookie.h"

namespace passerelle::referral {

namespace pages {

namespace {

constexpr const char* kDraftCookie = "passerelle_draft";

}  // namespace

std::string Path(const http::Request& request, const char* path) {
  return http::Renderer::LocalizedPath(request.locale, path);
}

nlohmann::json ProblemData(const http::Request& request, const std::string& message, const std::string& resume_token) {
  return {{"message", message},
          {"start", Path(request, "/aide")},
          {"resume_token", resume_token},
          {"questions", Path(request, "/aide/questions")}};
}

http::Response ProblemPage(const Context& context, const http::Request& request, int status, const std::string& message,
                           const std::string& resume_token) {
  return context.renderer.Page(request, status, "referral/problem", kHelpTitle,
                               ProblemData(request, message, resume_token));
}

nlohmann::json AppointmentView(const Context& context, const http::Request& request, const AppointmentOffer& offer) {
  const char* how = offer.mode == "in_person" ? "En personne, à l’adresse :"
                    : offer.mode == "video"   ? "En vidéo, par le lien :"
                                              : "Par téléphone : le professionnel vous appelle.";
  return {{"id", offer.id},
          {"when", core::ParisDateTime(offer.starts)},
          {"until", core::ParisClock(offer.ends)},
          {"how", context.renderer.Translate(request.locale, how)},
          {"place", offer.place},
          {"is_video", offer.mode == "video"},
          {"is_in_person", offer.mode == "in_person"},
          {"cancelled", offer.cancelled_by_organization}};
}

// --- Her draft (ADR 0011): the one cookie of the public side, and single-use form nonces ---

std::string DraftIdOf(const http::Request& request) {
  const auto header = request.Header("cookie");
  return header ? http::CookieValue(*header, kDraftCookie) : std::string();
}

// The paths her draft cookie is sent to: her report and sending pages, her follow-up pages (in
// her language), and the quick exit, which destroys the draft.
std::vector<std::string> DraftCookiePaths(const http::Request& request) {
  return {Path(request, "/aide"), Path(request, "/suivi"), "/sortie"};
}

std::string DraftCookie(const std::string& path, const std::string& value, bool secure, bool clear) {
  // No Max-Age: gone when the browser closes, and at once on the quick exit (Clear-Site-Data).
  return std::string(kDraftCookie) + "=" + value + "; Path=" + path + (clear ? "; Max-Age=0" : "") +
         "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
}

DraftSession LoadDraft(const PublicDrafts& drafts, const http::Request& request) {
  DraftSession session;
  session.id = DraftIdOf(request);
  if (session.id.empty()) return session;
  if (auto content = drafts.Load(session.id, Now()); content && content->is_object()) {
    session.content = std::move(*content);
    session.found = true;
  }
  return session;
}

DraftSession LoadDraft(const Context& context, const http::Request& request) {
  return LoadDraft(context.drafts, request);
}

// Stores the draft (under a new id when the browser had none, or an unknown one) and answers
// 303 to `location`, with the cookie when the id is new.
http::Response StoreAndRedirect(PublicDrafts& drafts, bool secure_cookie, const http::Request& request,
                                const DraftSession& session, const std::string& location) {
  const std::string id = drafts.Save(session.found ? session.id : "", session.content, Now());
  http::Response response = http::Response::Redirect(303, location);
  if (id != session.id) {
    for (const std::string& path : DraftCookiePaths(request)) {
      response.headers.emplace_back("Set-Cookie", DraftCookie(path, id, secure_cookie, false));
    }
  }
  return response;
}

// Saves the draft with a fresh single-use nonce, and answers 303 to `location` (Post/Redirect/
// Get: her browser's history then holds only the address, never what she typed).
http::Response SaveAndRedirect(const Context& context, const http::Request& request, DraftSession& session,
                               const std::string& location) {
  session.content["nonce"] = core::RandomHex(16);
  session.content["fresh"] = location;  // the GET that follows may show her request, once
  return StoreAndRedirect(context.drafts, context.secure_cookie, request, session, location);
}

// Whether this GET directly follows her POST (then it may show her request or her code), and
// consumes that: a later visit to the address (typed, from the history, after a reload) does not
// show them to whoever holds the open browser. Her report page is the exception: it is re-shown,
// so that nothing she typed is lost.
bool TakeFresh(const Context& context, DraftSession& session, const std::string& path) {
  if (!session.found || session.content.value("fresh", "") != path) return false;
  session.content.erase("fresh");
  context.drafts.Save(session.id, session.content, Now());
  return true;
}

bool NonceMatches(const DraftSession& session, const http::FormData& form) {
  const std::string sent = form.Get("nonce").value_or("");
  const std::string expected = session.content.value("nonce", "");
  return session.found && !sent.empty() && core::ConstantTimeEquals(sent, expected);
}

// What a replayed, resubmitted or stale form gets: nothing of hers, a way on.
http::Response ExpiredPage(const Context& context, const http::Request& request) {
  return context.renderer.Page(request, 400, "referral/expired", kHelpTitle,
                               {{"start", Path(request, "/aide")}, {"followup", Path(request, "/suivi")}});
}

}  // namespace pages

using namespace pages;

http::Response SaveQuestionPage(PublicDrafts& drafts, bool secure_cookie, const http::Request& request,
                                const nlohmann::json& page, const std::string& location) {
  DraftSession session = LoadDraft(drafts, request);
  // Her report, sending and follow-up state stay as they are: their nonce is not renewed here.
  session.content["questions"] = page;
  return StoreAndRedirect(drafts, secure_cookie, request, session, location);
}

std::optional<nlohmann::json> LoadQuestionPage(const PublicDrafts& drafts, const http::Request& request) {
  DraftSession session = LoadDraft(drafts, request);
  if (!session.found || !session.content.contains("questions")) return std::nullopt;
  return session.content["questions"];
}

void ForgetDraft(PublicDrafts& drafts, const http::Request& request, http::Response& response) {
  const std::string id = DraftIdOf(request);
  if (id.empty()) return;
  drafts.Destroy(id);
  // Clear-Site-Data does it too; this covers browsers that ignore that header.
  for (const std::string& path : DraftCookiePaths(request)) {
    response.headers.emplace_back("Set-Cookie", DraftCookie(path, "", false, true));
  }
  for (const char* locale : {"en", "ar"}) {
    for (const char* path : {"/aide", "/suivi"}) {
      response.headers.emplace_back("Set-Cookie",
                                    DraftCookie(http::Renderer::LocalizedPath(locale, path), "", false, true));
    }
  }
}

}  // namespace passerelle::referral
