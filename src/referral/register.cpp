#include "referral/register.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <set>
#include <stdexcept>
#include <variant>

#include "core/crypto.h"
#include "core/paris_time.h"
#include "help/engine.h"
#include "http/pipeline.h"
#include "referral/followup_code.h"
#include "referral/public_pages.h"
#include "referral/report.h"
#include "referral/text.h"
#include "referral/throttle.h"
#include "referral/workflow.h"

// The report pages: /aide/rapport and /aide/envoi; /suivi is followup_pages.cpp's.
namespace passerelle::referral {

using namespace pages;

namespace {

constexpr std::size_t kMaxPseudonym = 60;
constexpr std::size_t kMaxContactDetail = 100;

std::size_t Characters(const std::string& text) { return CharacterCount(text); }
std::string Trimmed(const std::string& text) { return TrimText(text); }

// The end page seals the services it proposed into its token (help::FlowState::proposed): she
// may choose only one of them, whatever the rotation among equivalent places.
bool WasProposed(const help::FlowState& state, const std::string& service_id) {
  return std::find(state.proposed.begin(), state.proposed.end(), service_id) != state.proposed.end();
}

// Everything /aide/rapport and /aide/envoi need: a flow finished at its end node, and a public
// service of an organization that accepts referrals and has a key.
struct Prepared {
  std::string token;
  help::FlowState state;  // the opened token: her run, answers and proposals
  std::string service_id;
  std::string organization_id;
  std::string territory_slug;
  Report report;
};

struct Refusal {
  int status;
  std::string message;
  // Her end-page token when her results can be shown again ("Revenir à mes résultats"): a
  // refusal then leads back to her proposals, never only to a restart.
  std::string resume_token = {};
};

std::variant<Prepared, Refusal> Prepare(const Context& context, const http::Request& request, const std::string& token,
                                        const std::string& service_id, bool call_back = false) {
  Prepared draft;
  draft.token = token;
  draft.service_id = service_id;
  const auto opened = context.tokens.Open(draft.token, Now());
  if (!opened) return Refusal{400, opened.error().public_message};
  const auto held = context.flows.For(request.locale);  // the flows may be replaced meanwhile
  const help::Flow& flow = *held;
  const help::Engine engine(flow);
  if (!engine.Accepts(opened.value()) || engine.Current(opened.value()).type != help::NodeType::kEnd) {
    return Refusal{400, "Ce parcours n’est pas terminé : recommencez les questions."};
  }
  if (!help::AllowsReferral(opened.value())) {  // contact "none": she only wanted a name
    return Refusal{400, "Vous avez indiqué vouloir seulement un nom : aucune demande n’est envoyée pour ce parcours.",
                   draft.token};
  }
  const auto service = context.directory.GetPublicService(draft.service_id);
  if (!service || !service->organization.accepts_referrals ||
      !context.referrals.PublicKeyOf(service->organization.id)) {
    return Refusal{404,
                   "Ce professionnel ne peut pas recevoir de demande en ligne. Vous pouvez le contacter directement, "
                   "ou choisir un autre professionnel.",
                   draft.token};
  }
  if (!WasProposed(opened.value(), draft.service_id)) {
    return Refusal{400,
                   "Ce professionnel ne fait pas partie des propositions faites à partir de vos réponses. Revenez "
                   "aux propositions et choisissez-en une.",
                   draft.token};
  }
  if (call_back) {
    // "Être rappelée maintenant" (issue 12): only by phone, and only while the service is on duty.
    if (DraftReport(flow, opened.value()).contact_channel != "phone") {
      return Refusal{400,
                     "Pour être rappelée, il faut avoir choisi « Par téléphone » à la question sur le contact. Vous "
                     "pouvez préparer une demande à ce professionnel à la place.",
                     draft.token};
    }
    if (!context.on_duty || !context.on_duty(draft.service_id)) {
      return Refusal{409,
                     "Ce professionnel n’est plus de permanence en ce moment. Vous pouvez lui préparer une demande : "
                     "elle sera lue dès son retour.",
                     draft.token};
    }
  }
  draft.state = opened.value();
  draft.organization_id = service->organization.id;
  draft.territory_slug = service->organization.territory_slug;
  draft.report = DraftReport(flow, opened.value(),
                             [&](const std::string& text) { return context.renderer.Translate(request.locale, text); });
  draft.report.organization_name = service->organization.name;
  draft.report.service_name = service->service.name;
  return draft;
}

struct FieldError {
  std::string field_id;
  std::string message;
};

// What she typed on the report page, kept in her sealed draft between the POST and the GET.
struct Typed {
  std::string pseudonym;
  std::string contact_detail;
  std::string message;
  bool handover = false;
  bool consent = false;
  std::set<std::string> included;

  static Typed FromForm(const http::FormData& form) {
    Typed t;
    t.pseudonym = Trimmed(form.Get("pseudonym").value_or(""));
    t.contact_detail = Trimmed(form.Get("contact_detail").value_or(""));
    t.message = Trimmed(form.Get("message").value_or(""));
    t.handover = form.Get("handover").value_or("") == "yes";
    t.consent = form.Get("consent").value_or("") == "yes";
    for (const std::string& id : form.GetAll("include")) t.included.insert(id);
    return t;
  }
  static Typed FromJson(const nlohmann::json& j) {
    Typed t;
    t.pseudonym = j.value("pseudonym", "");
    t.contact_detail = j.value("contact_detail", "");
    t.message = j.value("message", "");
    t.handover = j.value("handover", false);
    t.consent = j.value("consent", false);
    for (const auto& id : j.value("include", nlohmann::json::array())) {
      if (id.is_string()) t.included.insert(id.get<std::string>());
    }
    return t;
  }
  nlohmann::json ToJson() const {
    return {{"pseudonym", pseudonym}, {"contact_detail", contact_detail},
            {"message", message},     {"handover", handover},
            {"consent", consent},     {"include", included}};
  }
};

std::set<std::string> AllAnswers(const Report& report) {
  std::set<std::string> ids;
  for (const ReportItem& item : report.answers) ids.insert(item.id);
  return ids;
}

// The report page (issue 10 §6, for a phone): what is sent (the preview, with a checkbox to
// remove each answer, her answers shown once), how she is contacted (the contact field first),
// her message, consent, one primary button; "Ne pas envoyer" away from it.
http::Response ReportPage(const Context& context, const http::Request& request, const Prepared& draft,
                          const Typed& typed, const std::vector<FieldError>& errors, const std::string& nonce,
                          bool call_back, const nlohmann::json& appointment = nullptr) {
  Report shown = draft.report;
  KeepAnswers(shown, typed.included);
  shown.pseudonym = typed.pseudonym;
  shown.contact_detail = typed.contact_detail;
  shown.message = typed.message;
  shown.handover_consent = typed.handover;
  // The consent line appears once she has ticked the box, as it will be sent.
  shown.consent_day = typed.consent ? core::ParisDate(Now()) : "";
  nlohmann::json items = nlohmann::json::array();
  for (const ReportItem& item : draft.report.answers) {
    items.push_back({{"id", item.id},
                     {"label", item.label},
                     {"value", item.value},
                     {"input_id", "include-" + item.id},
                     {"checked", typed.included.count(item.id) > 0}});
  }
  const std::string channel = draft.report.contact_channel;
  nlohmann::json error_list = nlohmann::json::array();
  for (const FieldError& e : errors) error_list.push_back({{"field_id", e.field_id}, {"message", e.message}});
  // The exact preview sits in a closed <details>: on the page her answers show once, as the
  // checkboxes that remove them.
  nlohmann::json report_json = ToJson(shown);
  if (!typed.consent) report_json["not_consented_yet"] = true;  // the preview has no consent line yet
  nlohmann::json data = {
      {"nonce", nonce},
      {"organization", draft.report.organization_name},
      {"report", report_json},
      {"items", items},
      {"has_items", !items.empty()},
      {"needs_detail", channel == "phone" || channel == "sms" || channel == "email"},
      {"detail_is_email", channel == "email"},
      {"pseudonym", shown.pseudonym},
      {"contact_detail", shown.contact_detail},
      {"message", shown.message},
      {"handover_checked", shown.handover_consent},
      {"consent_checked", typed.consent},
      {"max_message", ReferralService::kMaxMessageLength},
      {"action", Path(request, "/aide/envoi")},
      {"has_errors", !errors.empty()},
      {"errors", error_list},
      {"call_back", call_back},
      {"appointment", appointment},
      {"change_slot", Path(request, "/aide/rendez-vous")},
  };
  return context.renderer.Page(request, errors.empty() ? 200 : 400, "referral/report", kHelpTitle, data);
}

std::vector<FieldError> Validate(const Report& draft, const Typed& typed) {
  std::vector<FieldError> errors;
  const std::string channel = draft.contact_channel;
  const std::string& detail = typed.contact_detail;
  if (channel == "phone" || channel == "sms") {
    std::size_t digits = 0;
    bool valid = !detail.empty() && Characters(detail) <= kMaxContactDetail;
    for (char c : detail) {
      if (c >= '0' && c <= '9')
        ++digits;
      else if (c != ' ' && c != '+' && c != '.' && c != '-' && c != '(' && c != ')')
        valid = false;
    }
    if (!valid || digits < 6 || digits > 15) {
      errors.push_back(
          {"contact_detail", "Indiquez le numéro de téléphone où le professionnel peut vous joindre sans danger."});
    }
  } else if (channel == "email") {
    const auto at = detail.find('@');
    if (detail.empty() || at == std::string::npos || at == 0 || at + 1 == detail.size() ||
        detail.find_first_of(" <>\"") != std::string::npos || Characters(detail) > kMaxContactDetail ||
        HasControlCharacters(detail, Multiline::kNo)) {
      errors.push_back(
          {"contact_detail", "Indiquez l’adresse e-mail où le professionnel peut vous écrire sans danger."});
    }
  }
  if (Characters(typed.pseudonym) > kMaxPseudonym || HasControlCharacters(typed.pseudonym, Multiline::kNo)) {
    errors.push_back({"pseudonym", "Le prénom ou pseudonyme doit faire au plus 60 caractères."});
  }
  if (Characters(typed.message) > ReferralService::kMaxMessageLength ||
      HasControlCharacters(typed.message, Multiline::kYes)) {
    errors.push_back({"message", "Votre message doit faire au plus 2 000 caractères."});
  }
  if (!typed.consent) {
    errors.push_back({"consent", "Cochez la case pour accepter l’envoi de votre demande à " + draft.organization_name +
                                     ", ou ne l’envoyez pas."});
  }
  return errors;
}

// The report could not be reopened (her flow expired, or the professional can no longer
// receive): the refusal, with what she typed given back so that nothing is lost.
http::Response RefusalWithHerText(const Context& context, const http::Request& request, const Refusal& refusal,
                                  const Typed& typed) {
  nlohmann::json data = ProblemData(request, refusal.message, refusal.resume_token);
  data["typed_message"] = typed.message;
  data["typed_contact"] = typed.contact_detail;
  data["typed_pseudonym"] = typed.pseudonym;
  data["has_typed"] = !typed.message.empty() || !typed.contact_detail.empty() || !typed.pseudonym.empty();
  return context.renderer.Page(request, refusal.status, "referral/problem", kHelpTitle, data);
}

// Her report's draft as it starts: every answer kept, nothing typed yet.
nlohmann::json NewReportDraft(const Context& context, const Prepared& p, bool call_back) {
  Typed typed;
  typed.included = AllAnswers(p.report);
  return {{"token", context.tokens.Seal(p.state, Now())},
          {"service_id", p.service_id},
          {"typed", typed.ToJson()},
          {"call_back", call_back},
          {"errors", nlohmann::json::array()}};
}

// --- /aide/rendez-vous: her appointment (issue 12 §2, docs/immediate-connection.md) ---

constexpr const char* kSlotTaken = "Ce créneau vient d’être pris. Choisissez-en un autre ci-dessous.";

std::vector<AppointmentOffer> OpenSlots(const Context& context, const std::string& service_id) {
  return context.appointments.open_slots ? context.appointments.open_slots(service_id)
                                         : std::vector<AppointmentOffer>{};
}

std::optional<AppointmentOffer> OpenSlot(const Context& context, const std::string& service_id,
                                         const std::string& slot_id) {
  for (AppointmentOffer& offer : OpenSlots(context, service_id)) {
    if (offer.id == slot_id) return std::move(offer);
  }
  return std::nullopt;
}

// The open slots of the service, as radio buttons; `message` (a slot just taken, none chosen)
// in the error summary above them, and the way back to her results.
http::Response SlotsPage(const Context& context, const http::Request& request, const Prepared& draft,
                         const std::string& nonce, int status, const std::string& message) {
  nlohmann::json slots = nlohmann::json::array();
  for (const AppointmentOffer& offer : OpenSlots(context, draft.service_id)) {
    nlohmann::json view = AppointmentView(context, request, offer);
    view["input_id"] = "slot-" + offer.id;
    slots.push_back(std::move(view));
  }
  const std::string first = slots.empty() ? "slots" : slots.front()["input_id"].get<std::string>();
  nlohmann::json errors = nlohmann::json::array();
  if (!message.empty()) {
    errors.push_back({{"field_id", first}, {"message", context.renderer.Translate(request.locale, message)}});
  }
  nlohmann::json data = ProblemData(request, "", draft.token);
  data.update({{"nonce", nonce},
               {"organization", draft.report.organization_name},
               {"slots", slots},
               {"has_slots", !slots.empty()},
               {"action", Path(request, "/aide/rendez-vous/creneau")},
               {"has_errors", !errors.empty()},
               {"errors", errors}});
  return context.renderer.Page(request, status, "referral/slots", kHelpTitle, data);
}

// The slots page answered to a POST (a slot just taken, none chosen), with a fresh nonce kept in
// her draft so that the page's form works.
http::Response SlotsAgain(const Context& context, const http::Request& request, DraftSession& session,
                          const Prepared& draft, int status, const std::string& message) {
  session.content["nonce"] = core::RandomHex(16);
  context.drafts.Save(session.id, session.content, Now());
  return SlotsPage(context, request, draft, session.content["nonce"].get<std::string>(), status, message);
}

// POST /aide/rendez-vous, from "Prendre rendez-vous" on the end page: checked, kept in her draft,
// then GET /aide/rendez-vous shows the service's open slots.
http::Response StartAppointment(Context& context, http::Request& request) {
  const http::FormData form = request.Form();
  auto prepared = Prepare(context, request, form.Get("token").value_or(""), form.Get("service_id").value_or(""));
  if (const auto* refusal = std::get_if<Refusal>(&prepared)) {
    return ProblemPage(context, request, refusal->status, refusal->message, refusal->resume_token);
  }
  const Prepared& p = std::get<Prepared>(prepared);
  if (OpenSlots(context, p.service_id).empty()) {
    return ProblemPage(context, request, 409,
                       "Ce professionnel n’a plus de créneau de rendez-vous libre. Vous pouvez lui préparer une "
                       "demande à la place.",
                       p.token);
  }
  DraftSession session = LoadDraft(context, request);
  nlohmann::json report = NewReportDraft(context, p, false);
  report["appointment"] = true;
  report["slot"] = "";
  session.content["report"] = std::move(report);
  session.content.erase("sent");
  return SaveAndRedirect(context, request, session, Path(request, "/aide/rendez-vous"));
}

http::Response ShowSlots(Context& context, http::Request& request) {
  DraftSession session = LoadDraft(context, request);
  if (!session.found || !session.content.contains("report") || !session.content["report"].value("appointment", false)) {
    return ExpiredPage(context, request);
  }
  const nlohmann::json& report = session.content["report"];
  auto prepared = Prepare(context, request, report.value("token", ""), report.value("service_id", ""));
  if (const auto* refusal = std::get_if<Refusal>(&prepared)) {
    return RefusalWithHerText(context, request, *refusal, Typed::FromJson(report.value("typed", nlohmann::json())));
  }
  return SlotsPage(context, request, std::get<Prepared>(prepared), session.content.value("nonce", ""), 200, "");
}

// POST /aide/rendez-vous/creneau: the slot she picked, kept in her draft; then her report.
http::Response ChooseSlot(Context& context, http::Request& request) {
  const http::FormData form = request.Form();
  DraftSession session = LoadDraft(context, request);
  if (!NonceMatches(session, form) || !session.content.contains("report") ||
      !session.content["report"].value("appointment", false)) {
    return ExpiredPage(context, request);
  }
  nlohmann::json& stored = session.content["report"];
  auto prepared = Prepare(context, request, stored.value("token", ""), stored.value("service_id", ""));
  if (const auto* refusal = std::get_if<Refusal>(&prepared)) {
    return RefusalWithHerText(context, request, *refusal, Typed::FromJson(stored.value("typed", nlohmann::json())));
  }
  const Prepared& draft = std::get<Prepared>(prepared);
  stored["token"] = context.tokens.Seal(draft.state, Now());
  const std::string slot = form.Get("slot").value_or("");
  if (slot.empty()) return SlotsAgain(context, request, session, draft, 400, "Choisissez un créneau.");
  if (!OpenSlot(context, draft.service_id, slot)) return SlotsAgain(context, request, session, draft, 409, kSlotTaken);
  stored["slot"] = slot;
  return SaveAndRedirect(context, request, session, Path(request, "/aide/rapport"));
}

// --- /aide/rapport, /aide/envoi ---

// POST /aide/rapport, from "Préparer ma demande" on the end page: checked, kept in her draft,
// then shown by GET /aide/rapport.
// POST /aide/rappel, from "Être rappelée maintenant": the same report, sent as a call-back.
http::Response StartReport(Context& context, http::Request& request, bool call_back = false) {
  const http::FormData form = request.Form();
  auto prepared =
      Prepare(context, request, form.Get("token").value_or(""), form.Get("service_id").value_or(""), call_back);
  if (const auto* refusal = std::get_if<Refusal>(&prepared)) {
    return ProblemPage(context, request, refusal->status, refusal->message, refusal->resume_token);
  }
  const Prepared& p = std::get<Prepared>(prepared);
  DraftSession session = LoadDraft(context, request);
  session.content["report"] = NewReportDraft(context, p, call_back);
  session.content.erase("sent");
  return SaveAndRedirect(context, request, session, Path(request, "/aide/rapport"));
}

http::Response ShowReport(Context& context, http::Request& request) {
  DraftSession session = LoadDraft(context, request);
  if (!session.found || !session.content.contains("report")) return ExpiredPage(context, request);
  const nlohmann::json& report = session.content["report"];
  const Typed typed = Typed::FromJson(report.value("typed", nlohmann::json::object()));
  const bool call_back = report.value("call_back", false);
  auto prepared = Prepare(context, request, report.value("token", ""), report.value("service_id", ""), call_back);
  if (const auto* refusal = std::get_if<Refusal>(&prepared))
    return RefusalWithHerText(context, request, *refusal, typed);
  std::vector<FieldError> errors;
  for (const auto& e : report.value("errors", nlohmann::json::array())) {
    errors.push_back({e.value("field_id", ""), e.value("message", "")});
  }
  nlohmann::json appointment = nullptr;
  if (report.value("appointment", false)) {
    // Her slot, while it is still open; taken meanwhile, she picks another.
    const auto offer = OpenSlot(context, report.value("service_id", ""), report.value("slot", ""));
    if (!offer) {
      const bool chosen = !report.value("slot", "").empty();
      return SlotsAgain(context, request, session, std::get<Prepared>(prepared), chosen ? 409 : 200,
                        chosen ? kSlotTaken : "");
    }
    appointment = AppointmentView(context, request, *offer);
  }
  return ReportPage(context, request, std::get<Prepared>(prepared), typed, errors, session.content.value("nonce", ""),
                    call_back, appointment);
}

// POST /aide/envoi: "Mettre à jour l'aperçu" or "Envoyer ma demande", from the report page.
http::Response SendReport(Context& context, http::Request& request) {
  const http::FormData form = request.Form();
  DraftSession session = LoadDraft(context, request);
  if (!NonceMatches(session, form) || !session.content.contains("report")) return ExpiredPage(context, request);
  nlohmann::json& stored = session.content["report"];
  const Typed typed = Typed::FromForm(form);
  const bool call_back = stored.value("call_back", false);
  auto prepared = Prepare(context, request, stored.value("token", ""), stored.value("service_id", ""), call_back);
  if (const auto* refusal = std::get_if<Refusal>(&prepared))
    return RefusalWithHerText(context, request, *refusal, typed);
  Prepared& draft = std::get<Prepared>(prepared);
  // Every action of hers renews the two-hour deadline of her flow.
  stored["token"] = context.tokens.Seal(draft.state, Now());
  stored["typed"] = typed.ToJson();
  stored["errors"] = nlohmann::json::array();
  const std::string report_path = Path(request, "/aide/rapport");
  if (form.Get("action").value_or("send") != "send") return SaveAndRedirect(context, request, session, report_path);
  const auto errors = Validate(draft.report, typed);
  if (!errors.empty()) {
    for (const FieldError& e : errors) stored["errors"].push_back({{"field_id", e.field_id}, {"message", e.message}});
    return SaveAndRedirect(context, request, session, report_path);
  }

  // An appointment: her slot, still open (else the other slots, 409), held with the referral.
  const bool appointment = stored.value("appointment", false);
  const std::string slot = stored.value("slot", "");
  std::optional<AppointmentOffer> offer;
  std::optional<AppointmentHold> hold;
  if (appointment) {
    offer = OpenSlot(context, draft.service_id, slot);
    if (!offer || !context.appointments.hold_slot) {
      return SlotsAgain(context, request, session, draft, 409, kSlotTaken);
    }
    hold = AppointmentHold{[&context, slot](soci::session& sql, const std::string& referral_id) {
      return context.appointments.hold_slot(sql, slot, referral_id);
    }};
  }

  Report report = draft.report;
  KeepAnswers(report, typed.included);
  report.pseudonym = typed.pseudonym;
  if (report.contact_channel == "phone" || report.contact_channel == "sms" || report.contact_channel == "email") {
    report.contact_detail = typed.contact_detail;
  }
  report.message = typed.message;
  report.handover_consent = typed.handover;
  report.consent_day = core::ParisDate(Now());
  // The inbox list shows her needs and place, as she kept them in the report, sealed too.
  InboxSummary summary;
  for (const ReportItem& item : report.answers) {
    if (item.id == "needs") summary.needs = item.value;
    if (item.id == "location") summary.commune = item.value;
  }
  // Sealed inside Send before anything is written; committed before the page is rendered. One
  // referral per run of her flow and chosen service, whatever she resubmits.
  std::optional<CallBack> urgent;
  if (call_back)
    urgent =
        CallBack{context.on_duty_emails ? context.on_duty_emails(draft.organization_id) : std::vector<std::string>{}};
  const auto sent = context.referrals.Send(
      SendRequest{draft.state.run_secret, draft.territory_slug, draft.organization_id, draft.service_id,
                  ToJson(report).dump(), report.handover_consent, SummaryJson(summary)},
      Now(), urgent, hold);
  if (!sent && appointment && sent.error().code == core::ErrorCode::kConflict) {
    return SlotsAgain(context, request, session, draft, 409, kSlotTaken);  // nothing was written
  }
  if (!sent) return RefusalWithHerText(context, request, Refusal{503, sent.error().public_message}, typed);
  bool booked = appointment && sent.value().created;
  if (appointment && !sent.value().created && sent.value().status != ReferralStatus::kWithdrawn) {
    // An earlier request of this run to this service: it holds the slot, or books it now.
    std::optional<AppointmentOffer> held;
    if (context.appointments.appointment_of) held = context.appointments.appointment_of(sent.value().id);
    if (!held || held->cancelled_by_organization || held->id != slot) {
      const auto again = context.appointments.book_slot
                             ? context.appointments.book_slot(slot, sent.value().id)
                             : core::Result<core::Ok>(core::Error{core::ErrorCode::kConflict, kSlotTaken, ""});
      if (!again) return SlotsAgain(context, request, session, draft, 409, again.error().public_message);
      booked = true;
    }
  }
  if (sent.value().created) {
    context.stats.Increment(stats::StatEvent::kReferralSent, draft.territory_slug, "", Now());
    if (call_back) context.stats.Increment(stats::StatEvent::kCallBackRequested, draft.territory_slug, "", Now());
  }
  if (booked) context.stats.Increment(stats::StatEvent::kAppointmentBooked, draft.territory_slug, "", Now());
  const auto service = context.directory.GetPublicService(sent.value().service_id);
  // Her words leave the draft (the report, and the last question page with her answers); the
  // confirmation stays until the quick exit or the expiry.
  session.content.erase("report");
  session.content.erase("questions");
  session.content["sent"] = {{"organization", service ? service->organization.name : draft.report.organization_name},
                             {"code", sent.value().followup_code},
                             {"will_contact", draft.report.contact_channel != "none"},
                             {"call_back", call_back},
                             {"appointment", offer ? AppointmentView(context, request, *offer) : nlohmann::json()},
                             {"withdrawn", sent.value().status == ReferralStatus::kWithdrawn}};
  return SaveAndRedirect(context, request, session, Path(request, "/aide/envoi"));
}

http::Response ShowSent(Context& context, http::Request& request) {
  DraftSession session = LoadDraft(context, request);
  if (!session.content.contains("sent") || !TakeFresh(context, session, Path(request, "/aide/envoi"))) {
    return ExpiredPage(context, request);
  }
  const nlohmann::json& sent = session.content["sent"];
  if (sent.value("withdrawn", false)) {
    return context.renderer.Page(request, 200, "referral/deleted", kHelpTitle, {{"start", Path(request, "/aide")}});
  }
  return context.renderer.Page(request, 200, "referral/sent", kHelpTitle,
                               {{"organization", sent.value("organization", "")},
                                {"code", sent.value("code", "")},
                                {"will_contact", sent.value("will_contact", true)},
                                {"call_back", sent.value("call_back", false)},
                                {"appointment", sent.value("appointment", nlohmann::json())},
                                {"followup", Path(request, "/suivi")},
                                {"start", Path(request, "/aide")}});
}

}  // namespace

void RegisterReferral(http::Router& router, const http::Renderer& renderer, stats::StatsRepository& stats,
                      const help::FlowLibrary& flows, const help::FlowTokens& tokens,
                      const directory::DirectoryService& directory, ReferralService& referrals,
                      ReferralSettings settings) {
  if (settings.throttle == nullptr) throw std::invalid_argument("RegisterReferral needs the /suivi throttle");
  auto context = std::make_shared<Context>(renderer, stats, flows, tokens, directory, referrals, settings);
  // Sending her referral and her follow-up come first under load (DESIGN §9).
  const http::Router::ClassScope help_class(router, http::Priority::kHelp);

  // Post/Redirect/Get (ADR 0011): each POST keeps what she typed in her sealed draft and answers
  // 303; the GET shows it. Nothing of the report ever travels in a URL.
  router.Post("/aide/rapport", [context](http::Request& request) { return StartReport(*context, request); });
  router.Post("/aide/rappel", [context](http::Request& request) { return StartReport(*context, request, true); });
  router.Post("/aide/rendez-vous", [context](http::Request& request) { return StartAppointment(*context, request); });
  router.Get("/aide/rendez-vous", [context](http::Request& request) { return ShowSlots(*context, request); });
  router.Post("/aide/rendez-vous/creneau", [context](http::Request& request) { return ChooseSlot(*context, request); });
  router.Get("/aide/rapport", [context](http::Request& request) { return ShowReport(*context, request); });
  router.Post("/aide/envoi", [context](http::Request& request) { return SendReport(*context, request); });
  router.Get("/aide/envoi", [context](http::Request& request) { return ShowSent(*context, request); });
  router.Get("/suivi", [context](http::Request& request) { return ShowFollowUp(*context, request); });
  router.Post("/suivi", [context](http::Request& request) { return PostFollowUp(*context, request); });
}

}  // namespace passerelle::referral
