#include "referral/register.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <set>
#include <variant>

#include "core/paris_time.h"
#include "help/engine.h"
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
  AttemptThrottle by_client;
  AttemptThrottle by_code;
  help::MatchDirectory matching;
  const territory::Territory* territory;

  Context(const http::Renderer& r, stats::StatsRepository& s, const help::FlowLibrary& f, const help::FlowTokens& t,
          const directory::DirectoryService& d, ReferralService& referral_service, const ReferralSettings& settings)
      : renderer(r), stats(s), flows(f), tokens(t), directory(d), referrals(referral_service),
        by_client(settings.failures_per_client, settings.failure_window),
        by_code(settings.failures_per_code, settings.failure_window), matching(settings.matching),
        territory(settings.territory) {}
};

std::chrono::system_clock::time_point Now() { return std::chrono::system_clock::now(); }

std::string Path(const http::Request& request, const char* path) {
  return http::Renderer::LocalizedPath(request.locale, path);
}

http::Response ProblemPage(const Context& context, const http::Request& request, int status, const std::string& message) {
  return context.renderer.Page(request, status, "referral/problem", kHelpTitle,
                               {{"message", message}, {"start", Path(request, "/aide")}});
}

// "2026-11-23" → "23/11/2026".
std::string FrenchDay(const std::string& day) {
  if (day.size() != 10) return day;
  return day.substr(8, 2) + "/" + day.substr(5, 2) + "/" + day.substr(0, 4);
}

std::size_t Characters(const std::string& text) { return CharacterCount(text); }
std::string Trimmed(const std::string& text) { return TrimText(text); }

// The end page seals the services it proposed into its token (help::FlowState::proposed): she
// may choose only one of them, whatever the rotation among equivalent places.
bool WasProposed(const help::FlowState& state, const std::string& service_id) {
  return std::find(state.proposed.begin(), state.proposed.end(), service_id) != state.proposed.end();
}

// Everything /aide/rapport and /aide/envoi need: a flow finished at its end node, and a public
// service of an organization that accepts referrals and has a key.
struct Draft {
  std::string token;
  std::string service_id;
  std::string organization_id;
  std::string territory_slug;
  Report report;
};

struct Refusal {
  int status;
  std::string message;
};

std::variant<Draft, Refusal> OpenDraft(const Context& context, const http::Request& request, const http::FormData& form) {
  Draft draft;
  draft.token = form.Get("token").value_or("");
  draft.service_id = form.Get("service_id").value_or("");
  const auto opened = context.tokens.Open(draft.token, Now());
  if (!opened) return Refusal{400, opened.error().public_message};
  const help::Flow& flow = context.flows.For(request.locale);
  const help::Engine engine(flow);
  if (!engine.Accepts(opened.value()) || engine.Current(opened.value()).type != help::NodeType::kEnd) {
    return Refusal{400, "Ce parcours n’est pas terminé : recommencez les questions."};
  }
  if (!help::AllowsReferral(opened.value())) {  // contact "none": she only wanted a name
    return Refusal{400, "Vous avez indiqué vouloir seulement un nom : aucune demande n’est envoyée pour ce parcours."};
  }
  const auto service = context.directory.GetPublicService(draft.service_id);
  if (!service || !service->organization.accepts_referrals ||
      !context.referrals.PublicKeyOf(service->organization.id)) {
    return Refusal{404, "Ce professionnel ne peut pas recevoir de demande en ligne. Vous pouvez le contacter directement, "
                        "ou choisir un autre professionnel."};
  }
  if (!WasProposed(opened.value(), draft.service_id)) {
    return Refusal{400, "Ce professionnel ne fait pas partie des propositions faites à partir de vos réponses. Revenez "
                        "aux propositions et choisissez-en une."};
  }
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

// The report page: the report exactly as the professional will see it, then the form.
http::Response ReportPage(const Context& context, const http::Request& request, const Draft& draft,
                          const std::set<std::string>& included, const http::FormData* form,
                          const std::vector<FieldError>& errors) {
  Report shown = draft.report;
  KeepAnswers(shown, included);
  if (form != nullptr) {
    shown.pseudonym = Trimmed(form->Get("pseudonym").value_or(""));
    shown.contact_detail = Trimmed(form->Get("contact_detail").value_or(""));
    shown.message = Trimmed(form->Get("message").value_or(""));
    shown.handover_consent = form->Get("handover").value_or("") == "yes";
  }
  shown.consent_day = core::ParisDate(Now());
  nlohmann::json items = nlohmann::json::array();
  for (const ReportItem& item : draft.report.answers) {
    items.push_back({{"id", item.id}, {"label", item.label}, {"value", item.value}, {"input_id", "include-" + item.id},
                     {"checked", included.count(item.id) > 0}});
  }
  const std::string channel = draft.report.contact_channel;
  nlohmann::json error_list = nlohmann::json::array();
  for (const FieldError& e : errors) error_list.push_back({{"field_id", e.field_id}, {"message", e.message}});
  nlohmann::json data = {
      {"token", draft.token},
      {"service_id", draft.service_id},
      {"organization", draft.report.organization_name},
      {"report", ToJson(shown)},
      {"items", items},
      {"needs_detail", channel == "phone" || channel == "sms" || channel == "email"},
      {"detail_is_email", channel == "email"},
      {"pseudonym", shown.pseudonym},
      {"contact_detail", shown.contact_detail},
      {"message", shown.message},
      {"handover_checked", shown.handover_consent},
      {"consent_checked", form != nullptr && form->Get("consent").value_or("") == "yes"},
      {"max_message", ReferralService::kMaxMessageLength},
      {"action", Path(request, "/aide/envoi")},
      {"has_errors", !errors.empty()},
      {"errors", error_list},
  };
  return context.renderer.Page(request, errors.empty() ? 200 : 400, "referral/report", kHelpTitle, data);
}

std::set<std::string> AllAnswers(const Report& report) {
  std::set<std::string> ids;
  for (const ReportItem& item : report.answers) ids.insert(item.id);
  return ids;
}

std::vector<FieldError> Validate(const Report& draft, const http::FormData& form) {
  std::vector<FieldError> errors;
  const std::string channel = draft.contact_channel;
  const std::string detail = Trimmed(form.Get("contact_detail").value_or(""));
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
  const std::string pseudonym = Trimmed(form.Get("pseudonym").value_or(""));
  if (Characters(pseudonym) > kMaxPseudonym || HasControlCharacters(pseudonym, Multiline::kNo)) {
    errors.push_back({"pseudonym", "Le prénom ou pseudonyme doit faire au plus 60 caractères."});
  }
  const std::string message = Trimmed(form.Get("message").value_or(""));
  if (Characters(message) > ReferralService::kMaxMessageLength || HasControlCharacters(message, Multiline::kYes)) {
    errors.push_back({"message", "Votre message doit faire au plus 2 000 caractères."});
  }
  if (form.Get("consent").value_or("") != "yes") {
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

http::Response StatusPage(const Context& context, const http::Request& request, const std::string& code,
                          const FollowUp& follow_up, const std::string& notice, const std::string& reply_error) {
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
      {"code", code},
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

http::Response HandleFollowUp(Context& context, http::Request& request) {
  const http::FormData form = request.Form();
  const std::string code = form.Get("code").value_or("");
  const std::string action = form.Get("action").value_or("show");
  const auto canonical = NormalizeCode(code);
  const std::string client = "client:" + http::ClientAddress(request);
  const std::string words = canonical ? "words:" + WordsOf(*canonical) : "";
  const auto steady_now = std::chrono::steady_clock::now();
  // The same answer whether the code exists or not.
  if (!context.by_client.Allows(client, steady_now) || (!words.empty() && !context.by_code.Allows(words, steady_now))) {
    http::Response response = FollowUpForm(context, request, 429,
                                           "Trop d’essais : pour protéger les demandes, réessayez dans un quart d’heure.");
    response.SetHeader("Retry-After", "900");
    return response;
  }
  auto not_found = [&] {
    context.by_client.RecordFailure(client, steady_now);
    if (!words.empty()) context.by_code.RecordFailure(words, steady_now);
    return FollowUpForm(context, request, 404, kNotFound);
  };
  if (action == "delete") {
    if (!context.referrals.Delete(code, Now())) return not_found();
    return context.renderer.Page(request, 200, "referral/deleted", kFollowUpTitle, {{"start", Path(request, "/aide")}});
  }
  std::string notice;
  std::string reply_error;
  if (action == "reply") {
    const auto replied = context.referrals.Reply(code, Trimmed(form.Get("message").value_or("")), Now());
    if (replied) {
      notice = "Votre message a été envoyé. Seul le professionnel peut le lire.";
    } else if (replied.error().code == core::ErrorCode::kInvalidInput || replied.error().code == core::ErrorCode::kConflict) {
      reply_error = replied.error().public_message;
    } else {
      return not_found();
    }
  }
  const auto follow_up = context.referrals.Find(code);
  if (!follow_up || follow_up->status == ReferralStatus::kWithdrawn) return not_found();
  return StatusPage(context, request, *canonical, *follow_up, notice, reply_error);
}

}  // namespace

void RegisterReferral(http::Router& router, const http::Renderer& renderer, stats::StatsRepository& stats,
                      const help::FlowLibrary& flows, const help::FlowTokens& tokens,
                      const directory::DirectoryService& directory, ReferralService& referrals,
                      ReferralSettings settings) {
  auto context = std::make_shared<Context>(renderer, stats, flows, tokens, directory, referrals, settings);
  // Sending her referral and her follow-up come first under load (DESIGN §9).
  const http::Router::ClassScope help_class(router, http::Priority::kHelp);

  // Nothing of the report ever travels in a URL: a GET goes back to the start of the flow.
  for (const char* path : {"/aide/rapport", "/aide/envoi"}) {
    router.Get(path, [](http::Request& request) { return http::Response::Redirect(303, Path(request, "/aide")); });
  }

  router.Post("/aide/rapport", [context](http::Request& request) {
    const http::FormData form = request.Form();
    auto draft = OpenDraft(*context, request, form);
    if (const auto* refusal = std::get_if<Refusal>(&draft)) {
      return ProblemPage(*context, request, refusal->status, refusal->message);
    }
    const Draft& d = std::get<Draft>(draft);
    return ReportPage(*context, request, d, AllAnswers(d.report), nullptr, {});
  });

  router.Post("/aide/envoi", [context](http::Request& request) {
    const http::FormData form = request.Form();
    auto opened = OpenDraft(*context, request, form);
    if (const auto* refusal = std::get_if<Refusal>(&opened)) {
      return ProblemPage(*context, request, refusal->status, refusal->message);
    }
    Draft& draft = std::get<Draft>(opened);
    std::set<std::string> included;
    for (const std::string& id : form.GetAll("include")) included.insert(id);
    if (form.Get("action").value_or("send") != "send") {
      return ReportPage(*context, request, draft, included, &form, {});
    }
    const auto errors = Validate(draft.report, form);
    if (!errors.empty()) return ReportPage(*context, request, draft, included, &form, errors);

    Report report = draft.report;
    KeepAnswers(report, included);
    report.pseudonym = Trimmed(form.Get("pseudonym").value_or(""));
    if (report.contact_channel == "phone" || report.contact_channel == "sms" || report.contact_channel == "email") {
      report.contact_detail = Trimmed(form.Get("contact_detail").value_or(""));
    }
    report.message = Trimmed(form.Get("message").value_or(""));
    report.handover_consent = form.Get("handover").value_or("") == "yes";
    report.consent_day = core::ParisDate(Now());
    // The inbox list shows her needs and place, as she kept them in the report, sealed too.
    InboxSummary summary;
    for (const ReportItem& item : report.answers) {
      if (item.id == "needs") summary.needs = item.value;
      if (item.id == "location") summary.commune = item.value;
    }
    // Sealed inside Send before anything is written; committed before the page is rendered.
    const auto sent = context->referrals.Send(
        SendRequest{draft.token, draft.territory_slug, draft.organization_id, draft.service_id, ToJson(report).dump(),
                    report.handover_consent, SummaryJson(summary)},
        Now());
    if (!sent) return ProblemPage(*context, request, 503, sent.error().public_message);
    if (sent.value().created) {
      context->stats.Increment(stats::StatEvent::kReferralSent, draft.territory_slug, "", Now());
    }
    if (sent.value().status == ReferralStatus::kWithdrawn) {
      return context->renderer.Page(request, 200, "referral/deleted", kHelpTitle, {{"start", Path(request, "/aide")}});
    }
    const auto service = context->directory.GetPublicService(sent.value().service_id);
    const std::string channel = draft.report.contact_channel;
    return context->renderer.Page(
        request, 200, "referral/sent", kHelpTitle,
        {{"organization", service ? service->organization.name : draft.report.organization_name},
         {"code", sent.value().followup_code},
         {"will_contact", channel != "none"},
         {"followup", Path(request, "/suivi")},
         {"start", Path(request, "/aide")}});
  });

  router.Get("/suivi", [context](http::Request& request) { return FollowUpForm(*context, request, 200, ""); });
  router.Post("/suivi", [context](http::Request& request) { return HandleFollowUp(*context, request); });
}

}  // namespace passerelle::referral
