#include "referral/register.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <set>
#include <stdexcept>
#include <variant>

#include "core/paris_time.h"
#include "help/engine.h"
#include "http/cookie.h"
#include "http/pipeline.h"
#include "referral/followup_code.h"
#include "referral/report.h"
#include "referral/text.h"
#include "referral/throttle.h"
#include "referral/workflow.h"

namespace passerelle::referral {

namespace {

// Neutral titles: they show in the history and the tab list.
constexpr const char* kHelpTitle = "Aide";
constexpr const char* kFollowUpTitle = "Suivi";
constexpr std::size_t kMaxPseudonym = 60;
constexpr std::size_t kMaxContactDetail = 100;

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

  Context(const http::Renderer& r, stats::StatsRepository& s, const help::FlowLibrary& f, const help::FlowTokens& t,
          const directory::DirectoryService& d, ReferralService& referral_service, const ReferralSettings& settings)
      : renderer(r), stats(s), flows(f), tokens(t), directory(d), referrals(referral_service),
        throttle(*settings.throttle), matching(settings.matching),
        territory(settings.territory), drafts(*settings.drafts), secure_cookie(settings.secure_cookie) {}
};

std::chrono::system_clock::time_point Now() { return std::chrono::system_clock::now(); }

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
                           const std::string& resume_token = "") {
  return context.renderer.Page(request, status, "referral/problem", kHelpTitle,
                               ProblemData(request, message, resume_token));
}

// "2026-12-06" → "6 décembre 2026".
std::string FrenchDay(const std::string& day) { return FrenchLongDate(day); }

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
                                        const std::string& service_id) {
  Prepared draft;
  draft.token = token;
  draft.service_id = service_id;
  const auto opened = context.tokens.Open(draft.token, Now());
  if (!opened) return Refusal{400, opened.error().public_message};
  const help::Flow& flow = context.flows.For(request.locale);
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
  draft.state = opened.value();
  draft.organization_id = service->organization.id;
  draft.territory_slug = service->organization.territory_slug;
  draft.report = DraftReport(flow, opened.value());
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
    return {{"pseudonym", pseudonym}, {"contact_detail", contact_detail}, {"message", message},
            {"handover", handover},   {"consent", consent},               {"include", included}};
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
                          const Typed& typed, const std::vector<FieldError>& errors, const std::string& nonce) {
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
    items.push_back({{"id", item.id}, {"label", item.label}, {"value", item.value}, {"input_id", "include-" + item.id},
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
      if (c >= '0' && c <= '9') ++digits;
      else if (c != ' ' && c != '+' && c != '.' && c != '-' && c != '(' && c != ')') valid = false;
    }
    if (!valid || digits < 6 || digits > 15) {
      errors.push_back({"contact_detail", "Indiquez le numéro de téléphone où le professionnel peut vous joindre sans danger."});
    }
  } else if (channel == "email") {
    const auto at = detail.find('@');
    if (detail.empty() || at == std::string::npos || at == 0 || at + 1 == detail.size() ||
        detail.find_first_of(" <>\"") != std::string::npos || Characters(detail) > kMaxContactDetail ||
        HasControlCharacters(detail, Multiline::kNo)) {
      errors.push_back({"contact_detail", "Indiquez l’adresse e-mail où le professionnel peut vous écrire sans danger."});
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

// Each status in plain words for her (docs/referral.md, "What she sees").
const char* StatusText(ReferralStatus status) {
  switch (status) {
    case ReferralStatus::kNew: return "Envoyée : le professionnel ne l’a pas encore prise en charge.";
    case ReferralStatus::kAcknowledged: return "Prise en charge : le professionnel a lu votre demande et va s’en occuper.";
    case ReferralStatus::kContacted: return "En cours : le professionnel a pris contact avec vous, comme vous l’avez demandé.";
    case ReferralStatus::kClosed: return "Terminée : le professionnel a clos votre demande.";
    case ReferralStatus::kRefused: return "Le professionnel ne peut pas donner suite à votre demande.";
    case ReferralStatus::kWithdrawn: return "Supprimée.";
    case ReferralStatus::kHandedOver: return "Transmise à un autre professionnel.";
    case ReferralStatus::kExpired:
      return "Expirée : votre demande n’a pas eu de suite à temps. Vous pouvez faire une nouvelle demande, ou appeler "
             "l’un des numéros ci-dessous.";
  }
  return "";
}

// Why it was refused, said to her gently.
const char* RefusalText(RefusalReason reason) {
  switch (reason) {
    case RefusalReason::kOutOfArea: return "Votre demande concerne un lieu où ce professionnel n’intervient pas.";
    case RefusalReason::kNotOurField: return "Votre demande ne correspond pas à ce que fait ce professionnel.";
    case RefusalReason::kNoCapacity: return "Ce professionnel n’a pas de disponibilité en ce moment.";
    case RefusalReason::kOther: return "Ce professionnel ne peut pas s’en occuper.";
  }
  return "";
}

std::string OrganizationName(const Context& context, const std::string& organization_id) {
  const auto organization = context.directory.Get(organization_id);
  return organization ? organization->name : "un autre professionnel";
}

http::Response FollowUpForm(const Context& context, const http::Request& request, int status, const std::string& message) {
  nlohmann::json data = {{"action", Path(request, "/suivi")}};
  if (!message.empty()) data["error"] = message;
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
    const std::string author = from_professional && !m.organization_id.empty() && m.organization_id != follow_up.organization_id
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
  if (follow_up.handed_over_from_organization) {
    data["handed_over_from"] = OrganizationName(context, *follow_up.handed_over_from_organization);
  }
  if (!notice.empty()) data["notice"] = notice;
  if (!reply_error.empty()) data["reply_error"] = reply_error;
  return context.renderer.Page(request, reply_error.empty() ? 200 : 400, "referral/status", kFollowUpTitle, data);
}

constexpr const char* kNotFound =
    "Aucune demande ne correspond à ce code. Vérifiez-le : il est fait de trois mots et de quatre chiffres, "
    "par exemple « pomme lune velo 4821 ».";
constexpr const char* kTooMany = "Trop d’essais : pour protéger les demandes, réessayez dans un quart d’heure.";

// --- Her draft (ADR 0011): the one cookie of the public side, and single-use form nonces ---

constexpr const char* kDraftCookie = "passerelle_draft";

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

struct DraftSession {
  std::string id;  // as the browser sent it ("" when none)
  nlohmann::json content = nlohmann::json::object();
  bool found = false;
};

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

DraftSession LoadDraft(const Context& context, const http::Request& request) { return LoadDraft(context.drafts, request); }

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

// --- /aide/rapport, /aide/envoi ---

// POST /aide/rapport, from "Préparer ma demande" on the end page: checked, kept in her draft,
// then shown by GET /aide/rapport.
http::Response StartReport(Context& context, http::Request& request) {
  const http::FormData form = request.Form();
  auto prepared = Prepare(context, request, form.Get("token").value_or(""), form.Get("service_id").value_or(""));
  if (const auto* refusal = std::get_if<Refusal>(&prepared)) {
    return ProblemPage(context, request, refusal->status, refusal->message, refusal->resume_token);
  }
  const Prepared& p = std::get<Prepared>(prepared);
  DraftSession session = LoadDraft(context, request);
  Typed typed;
  typed.included = AllAnswers(p.report);
  session.content["report"] = {{"token", context.tokens.Seal(p.state, Now())},
                               {"service_id", p.service_id},
                               {"typed", typed.ToJson()},
                               {"errors", nlohmann::json::array()}};
  session.content.erase("sent");
  return SaveAndRedirect(context, request, session, Path(request, "/aide/rapport"));
}

http::Response ShowReport(Context& context, http::Request& request) {
  DraftSession session = LoadDraft(context, request);
  if (!session.found || !session.content.contains("report")) return ExpiredPage(context, request);
  const nlohmann::json& report = session.content["report"];
  const Typed typed = Typed::FromJson(report.value("typed", nlohmann::json::object()));
  auto prepared = Prepare(context, request, report.value("token", ""), report.value("service_id", ""));
  if (const auto* refusal = std::get_if<Refusal>(&prepared)) return RefusalWithHerText(context, request, *refusal, typed);
  std::vector<FieldError> errors;
  for (const auto& e : report.value("errors", nlohmann::json::array())) {
    errors.push_back({e.value("field_id", ""), e.value("message", "")});
  }
  return ReportPage(context, request, std::get<Prepared>(prepared), typed, errors, session.content.value("nonce", ""));
}

// POST /aide/envoi: "Mettre à jour l'aperçu" or "Envoyer ma demande", from the report page.
http::Response SendReport(Context& context, http::Request& request) {
  const http::FormData form = request.Form();
  DraftSession session = LoadDraft(context, request);
  if (!NonceMatches(session, form) || !session.content.contains("report")) return ExpiredPage(context, request);
  nlohmann::json& stored = session.content["report"];
  const Typed typed = Typed::FromForm(form);
  auto prepared = Prepare(context, request, stored.value("token", ""), stored.value("service_id", ""));
  if (const auto* refusal = std::get_if<Refusal>(&prepared)) return RefusalWithHerText(context, request, *refusal, typed);
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
  const auto sent = context.referrals.Send(
      SendRequest{draft.state.run_secret, draft.territory_slug, draft.organization_id, draft.service_id,
                  ToJson(report).dump(), report.handover_consent, SummaryJson(summary)},
      Now());
  if (!sent) return RefusalWithHerText(context, request, Refusal{503, sent.error().public_message}, typed);
  if (sent.value().created) {
    context.stats.Increment(stats::StatEvent::kReferralSent, draft.territory_slug, "", Now());
  }
  const auto service = context.directory.GetPublicService(sent.value().service_id);
  // Her words leave the draft (the report, and the last question page with her answers); the
  // confirmation stays until the quick exit or the expiry.
  session.content.erase("report");
  session.content.erase("questions");
  session.content["sent"] = {
      {"organization", service ? service->organization.name : draft.report.organization_name},
      {"code", sent.value().followup_code},
      {"will_contact", draft.report.contact_channel != "none"},
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
                                {"followup", Path(request, "/suivi")},
                                {"start", Path(request, "/aide")}});
}

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
    if (!context.referrals.Delete(code, Now())) return not_found();
    return outcome({{"deleted", true}});
  }
  if (action == "reply") {
    const std::string text = Trimmed(form.Get("message").value_or(""));
    const auto replied = context.referrals.Reply(code, text, Now());
    if (replied) {
      followup["notice"] = "Votre message a été envoyé. Seul le professionnel peut le lire.";
    } else if (replied.error().code == core::ErrorCode::kInvalidInput || replied.error().code == core::ErrorCode::kConflict) {
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
  const auto follow_up = context.referrals.Find(code);
  if (!follow_up || follow_up->status == ReferralStatus::kWithdrawn) return FollowUpForm(context, request, 404, kNotFound);
  const std::string nonce = session.content.value("nonce", "");
  if (followup.value("confirm_delete", false)) {
    return context.renderer.Page(request, 200, "referral/delete_confirm", kFollowUpTitle,
                                 {{"action", Path(request, "/suivi")},
                                  {"nonce", nonce},
                                  {"organization", OrganizationName(context, follow_up->organization_id)}});
  }
  return StatusPage(context, request, nonce, *follow_up, followup.value("notice", ""), followup.value("reply_error", ""),
                    followup.value("reply_text", ""));
}

}  // namespace

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
  router.Get("/aide/rapport", [context](http::Request& request) { return ShowReport(*context, request); });
  router.Post("/aide/envoi", [context](http::Request& request) { return SendReport(*context, request); });
  router.Get("/aide/envoi", [context](http::Request& request) { return ShowSent(*context, request); });
  router.Get("/suivi", [context](http::Request& request) { return ShowFollowUp(*context, request); });
  router.Post("/suivi", [context](http::Request& request) { return PostFollowUp(*context, request); });
}

}  // namespace passerelle::referral
