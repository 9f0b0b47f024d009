#include <nlohmann/json.hpp>

#include <string>

#include "http/pipeline.h"
#include "referral/followup_code.h"
#include "referral/public_pages.h"
#include "referral/report.h"
#include "referral/text.h"
#include "referral/workflow.h"

// /suivi: her follow-up code, the status of her request, her messages, the deletion.
namespace passerelle::referral::pages {

namespace {

// "2026-12-06" → "6 décembre 2026".
std::string FrenchDay(const std::string& day) { return FrenchLongDate(day); }

// Each status in plain words for her (docs/referral.md, "What she sees").
const char* StatusText(ReferralStatus status) {
  switch (status) {
    case ReferralStatus::kNew:
      return "Envoyée : le professionnel ne l’a pas encore prise en charge.";
    case ReferralStatus::kAcknowledged:
      return "Prise en charge : le professionnel a lu votre demande et va s’en occuper.";
    case ReferralStatus::kContacted:
      return "En cours : le professionnel a pris contact avec vous, comme vous l’avez demandé.";
    case ReferralStatus::kClosed:
      return "Terminée : le professionnel a clos votre demande.";
    case ReferralStatus::kRefused:
      return "Le professionnel ne peut pas donner suite à votre demande.";
    case ReferralStatus::kWithdrawn:
      return "Supprimée.";
    case ReferralStatus::kHandedOver:
      return "Transmise à un autre professionnel.";
    case ReferralStatus::kExpired:
      return "Expirée : votre demande n’a pas eu de suite à temps. Vous pouvez faire une nouvelle demande, ou appeler "
             "l’un des numéros ci-dessous.";
  }
  return "";
}

// Why it was refused, said to her gently.
const char* RefusalText(RefusalReason reason) {
  switch (reason) {
    case RefusalReason::kOutOfArea:
      return "Votre demande concerne un lieu où ce professionnel n’intervient pas.";
    case RefusalReason::kNotOurField:
      return "Votre demande ne correspond pas à ce que fait ce professionnel.";
    case RefusalReason::kNoCapacity:
      return "Ce professionnel n’a pas de disponibilité en ce moment.";
    case RefusalReason::kOther:
      return "Ce professionnel ne peut pas s’en occuper.";
  }
  return "";
}

std::string OrganizationName(const Context& context, const std::string& organization_id) {
  const auto organization = context.directory.Get(organization_id);
  return organization ? organization->name : "un autre professionnel";
}

http::Response FollowUpForm(const Context& context, const http::Request& request, int status,
                            const std::string& message) {
  nlohmann::json data = {{"action", Path(request, "/suivi")}};
  if (!message.empty()) {
    data["error"] = message;
    data["has_errors"] = true;  // the error summary partial, linking to the code field
    data["errors"] = nlohmann::json::array({{{"field_id", "code"}, {"message", message}}});
  }
  return context.renderer.Page(request, status, "referral/followup", kFollowUpTitle, data);
}

http::Response StatusPage(const Context& context, const http::Request& request, const std::string& nonce,
                          const FollowUp& follow_up, const std::string& notice, const std::string& reply_error,
                          const std::string& reply_text) {
  const std::string organization = OrganizationName(context, follow_up.organization_id);
  nlohmann::json messages = nlohmann::json::array();
  for (const FollowUpMessage& m : follow_up.messages) {
    const bool from_professional = m.sender == MessageSender::kProfessional;
    // After a hand-over, the earlier organization's messages say who wrote them.
    const std::string author =
        from_professional && !m.organization_id.empty() && m.organization_id != follow_up.organization_id
            ? OrganizationName(context, m.organization_id)
            : organization;
    messages.push_back({{"from_professional", from_professional},
                        {"author", author},
                        {"day", FrenchDay(m.day)},
                        {"text", m.text},
                        {"readable", !m.text.empty()}});
  }
  const bool open = IsOpen(follow_up.status);
  const bool refused = follow_up.status == ReferralStatus::kRefused;
  nlohmann::json data = {
      {"action", Path(request, "/suivi")},
      {"nonce", nonce},
      {"reply_text", reply_text},
      {"organization", organization},
      {"status", std::string(CodeOf(follow_up.status))},
      {"status_text", context.renderer.Translate(request.locale, StatusText(follow_up.status))},
      {"created_on", FrenchDay(follow_up.created_on)},
      {"status_changed_on", FrenchDay(follow_up.status_changed_on)},
      {"messages", messages},
      {"has_messages", !messages.empty()},
      {"max_message", ReferralService::kMaxMessageLength},
      {"can_reply", open},
      {"refused", refused},
      {"refusal_text", refused && follow_up.refusal_reason
                           ? context.renderer.Translate(request.locale, RefusalText(*follow_up.refusal_reason))
                           : ""},
      {"refusal_note", follow_up.refusal_note},
      {"other_contacts", refused || follow_up.status == ReferralStatus::kExpired},
      {"annuaire", Path(request, "/annuaire")},
      {"start", Path(request, "/aide")},
      {"content_deleted", follow_up.content_deleted},
  };
  if (context.appointments.appointment_of) {
    // Her appointment (issue 12 §2): when, how, where; cancelled by the organization, or hers to cancel.
    if (const auto appointment = context.appointments.appointment_of(follow_up.id)) {
      nlohmann::json view = AppointmentView(context, request, *appointment);
      view["can_cancel"] = !appointment->cancelled_by_organization && appointment->starts > Now();
      data["appointment"] = view;
    }
  }
  if (follow_up.handed_over_from_organization) {
    data["handed_over_from"] = OrganizationName(context, *follow_up.handed_over_from_organization);
  }
  if (!notice.empty()) data["notice"] = context.renderer.Translate(request.locale, notice);
  if (!reply_error.empty()) data["reply_error"] = reply_error;
  return context.renderer.Page(request, reply_error.empty() ? 200 : 400, "referral/status", kFollowUpTitle, data);
}

constexpr const char* kNotFound =
    "Aucune demande ne correspond à ce code. Vérifiez-le : il est fait de trois mots et de quatre chiffres, "
    "par exemple « pomme lune velo 4821 ».";
constexpr const char* kTooMany = "Trop d’essais : pour protéger les demandes, réessayez dans un quart d’heure.";

}  // namespace

// --- /suivi ---

// POST /suivi: her code (typed), or an action of the status page (reply, delete, confirmed
// delete) on the code kept in her draft. Every outcome goes into the draft and GET /suivi shows it.
http::Response PostFollowUp(Context& context, http::Request& request) {
  const http::FormData form = request.Form();
  DraftSession session = LoadDraft(context, request);
  const auto typed_code = form.Get("code");
  std::string code;
  if (typed_code) {
    code = *typed_code;  // the code form (or a client that posts the code each time)
  } else {
    if (!NonceMatches(session, form) || !session.content.contains("followup")) return ExpiredPage(context, request);
    code = session.content["followup"].value("code", "");
  }
  const std::string action = form.Get("action").value_or("show");
  const auto canonical = NormalizeCode(code);
  const std::string client = http::ClientAddress(request);
  const std::string words = canonical ? WordsOf(*canonical) : "";
  const std::string suivi = Path(request, "/suivi");
  auto outcome = [&](nlohmann::json followup) {
    session.content["followup"] = std::move(followup);
    return SaveAndRedirect(context, request, session, suivi);
  };
  // The same answer whether the code exists or not; a lock on her words stops the guesser, not her.
  if (!context.throttle.Allows(client, words, Now())) return outcome({{"error", "too_many"}});
  auto not_found = [&] {
    context.throttle.RecordFailure(client, words, Now());
    return outcome({{"error", "not_found"}});
  };
  if (!canonical) return not_found();
  nlohmann::json followup = {{"code", *canonical}};
  if (action == "delete") {
    if (form.Get("confirm").value_or("") != "yes") {
      // A second step, which works without JavaScript: nothing is deleted yet.
      if (!context.referrals.Find(code)) return not_found();
      followup["confirm_delete"] = true;
      return outcome(followup);
    }
    // Her deletion frees her slot too (its booking would name a request that no longer says anything).
    if (context.appointments.cancel_appointment) {
      const auto found = context.referrals.Find(code);
      if (found && context.appointments.cancel_appointment(found->id)) {
        const auto organization = context.directory.Get(found->organization_id);
        context.stats.Increment(stats::StatEvent::kAppointmentCancelled,
                                organization ? organization->territory_slug : "", "", Now());
      }
    }
    if (!context.referrals.Delete(code, Now())) return not_found();
    return outcome({{"deleted", true}});
  }
  if (action == "cancel_appointment") {
    // Hers: the slot opens again for someone else; her request stays.
    const auto found = context.referrals.Find(code);
    if (!found || found->status == ReferralStatus::kWithdrawn) return not_found();
    const auto cancelled = context.appointments.cancel_appointment
                               ? context.appointments.cancel_appointment(found->id)
                               : core::Result<core::Ok>(core::Error{core::ErrorCode::kNotFound, "", ""});
    if (cancelled) {
      const auto organization = context.directory.Get(found->organization_id);
      context.stats.Increment(stats::StatEvent::kAppointmentCancelled, organization ? organization->territory_slug : "",
                              "", Now());
      followup["notice"] = "Votre rendez-vous est annulé. Le professionnel le voit ; votre demande reste envoyée.";
    } else {
      followup["notice"] = "Vous n’avez pas de rendez-vous à annuler.";
    }
    return outcome(followup);
  }
  if (action == "reply") {
    const std::string text = TrimText(form.Get("message").value_or(""));
    const auto replied = context.referrals.Reply(code, text, Now());
    if (replied) {
      followup["notice"] = "Votre message a été envoyé. Seul le professionnel peut le lire.";
    } else if (replied.error().code == core::ErrorCode::kInvalidInput ||
               replied.error().code == core::ErrorCode::kConflict) {
      followup["reply_error"] = replied.error().public_message;
      followup["reply_text"] = text;  // given back, sealed in her draft
    } else {
      return not_found();
    }
  } else {
    const auto found = context.referrals.Find(code);
    if (!found || found->status == ReferralStatus::kWithdrawn) return not_found();
  }
  return outcome(followup);
}

http::Response ShowFollowUp(Context& context, http::Request& request) {
  DraftSession session = LoadDraft(context, request);
  if (!session.content.contains("followup") || !TakeFresh(context, session, Path(request, "/suivi"))) {
    return FollowUpForm(context, request, 200, "");
  }
  nlohmann::json followup = session.content["followup"];
  const std::string error = followup.value("error", "");
  if (error == "too_many") {
    http::Response response = FollowUpForm(context, request, 429, kTooMany);
    response.SetHeader("Retry-After", "900");
    return response;
  }
  if (error == "not_found") return FollowUpForm(context, request, 404, kNotFound);
  if (followup.value("deleted", false)) {
    return context.renderer.Page(request, 200, "referral/deleted", kFollowUpTitle, {{"start", Path(request, "/aide")}});
  }
  const std::string code = followup.value("code", "");
  std::optional<FollowUp> follow_up;
  try {
    follow_up = context.referrals.Find(code);
  } catch (const core::BusyError&) {
    // The derivations' pool is full (ADR 0016): she gets "busy, retry", and her retry shows
    // this page again instead of the empty code form.
    session.content["fresh"] = Path(request, "/suivi");
    context.drafts.Save(session.id, session.content, Now());
    throw;
  }
  if (!follow_up || follow_up->status == ReferralStatus::kWithdrawn)
    return FollowUpForm(context, request, 404, kNotFound);
  const std::string nonce = session.content.value("nonce", "");
  if (followup.value("confirm_delete", false)) {
    return context.renderer.Page(request, 200, "referral/delete_confirm", kFollowUpTitle,
                                 {{"action", Path(request, "/suivi")},
                                  {"nonce", nonce},
                                  {"organization", OrganizationName(context, follow_up->organization_id)}});
  }
  return StatusPage(context, request, nonce, *follow_up, followup.value("notice", ""),
                    followup.value("reply_error", ""), followup.value("reply_text", ""));
}

}  // namespace passerelle::referral::pages
