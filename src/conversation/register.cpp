#include "conversation/register.h"

#include "conversation/messages.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

#include "core/paris_time.h"
#include "help/engine.h"
#include "referral/report.h"
#include "referral/workflow.h"

namespace passerelle::conversation {

namespace {

// Neutral title: it shows in the history and the tab list.
constexpr const char* kTitle = "Aide";
constexpr int kRefreshSeconds = 5;

// The end-page token each conversation was opened from, for the forms of "the other ways"
// (the call-back and the slots of src/duty take that token, as on the result page). In this
// process's memory only, as the conversations (ADR 0014); dropped with the conversation: her
// quick exit, "Quelqu'un arrive", her consent or "Ne rien garder", a page that finds it gone, and
// at the latest when the token expires. Shared by every hub of the process so that the quick
// exit (InterruptFromExit) reaches it.
class OpeningTokens {
 public:
  struct Entry {
    std::string token;
    std::string service_id;
    bool by_phone = false;  // she chose the phone at the contact question: a call-back fits
    TimePoint kept_at;
  };

  void Keep(const std::string& id, Entry entry, Hub& hub) {
    const std::lock_guard lock(mutex_);
    for (auto it = entries_.begin(); it != entries_.end();) {
      // Expired, or its conversation is gone (WaitForChange with a past deadline only reads).
      const bool stale = entry.kept_at - it->second.kept_at >= help::FlowTokens::kLifetime ||
                         hub.WaitForChange(it->first, 0, TimePoint{}) == 0;
      it = stale ? entries_.erase(it) : std::next(it);
    }
    entries_[id] = std::move(entry);
  }
  std::optional<Entry> Get(const std::string& id) const {
    const std::lock_guard lock(mutex_);
    const auto it = entries_.find(id);
    if (it == entries_.end()) return std::nullopt;
    return it->second;
  }
  void Drop(const std::string& id) {
    const std::lock_guard lock(mutex_);
    entries_.erase(id);
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

OpeningTokens& KeptTokens() {
  static OpeningTokens tokens;
  return tokens;
}

struct Context {
  const http::Renderer& renderer;
  stats::StatsRepository& stats;
  const help::FlowLibrary& flows;
  const help::FlowTokens& tokens;
  const directory::DirectoryService& directory;
  referral::ReferralService& referrals;
  Hub& hub;
  ConversationSettings settings;
};

std::string Path(const http::Request& request, const std::string& path) {
  return http::Renderer::LocalizedPath(request.locale, path);
}

http::Response Problem(const Context& context, const http::Request& request, int status, const std::string& message) {
  return context.renderer.Page(
      request, status, "conversation/problem", kTitle,
      {{"message", context.renderer.Translate(request.locale, message)}, {"start", Path(request, "/aide")}});
}

// Her answers as the conversation needs them: the report (sent only with her consent), what the
// queue shows (needs, commune) and the code word to check.
Opening OpeningFrom(const help::Flow& flow, const help::FlowState& state, const directory::PublicServiceView& service,
                    const annuaire::TranslateFn& translate) {
  Opening opening;
  opening.territory_slug = service.organization.territory_slug;
  opening.organization_id = service.organization.id;
  opening.organization_name = service.organization.name;
  opening.service_id = service.service.id;
  opening.service_name = service.service.name;
  opening.report = referral::DraftReport(flow, state, translate);  // in her language, as her report page
  opening.report.organization_name = service.organization.name;
  opening.report.service_name = service.service.name;
  for (const referral::ReportItem& item : opening.report.answers) {
    if (item.id == "needs") opening.needs = item.value;
    if (item.id == "location") opening.commune = item.value;
  }
  for (const referral::ReportItem& item : opening.report.safe_contact) {
    if (item.id == "code_word") opening.code_word = item.value;
  }
  return opening;
}

http::Response Open(Context& context, http::Request& request) {
  const http::FormData form = request.Form();
  const std::string token = form.Get("token").value_or("");
  const std::string service_id = form.Get("service_id").value_or("");
  const TimePoint now = context.settings.clock();
  const auto opened = context.tokens.Open(token, now);
  if (!opened) return Problem(context, request, 400, opened.error().public_message);
  const auto held = context.flows.For(request.locale);  // the flows may be replaced meanwhile
  const help::Flow& flow = *held;
  const help::Engine engine(flow);
  if (!engine.Accepts(opened.value()) || engine.Current(opened.value()).type != help::NodeType::kEnd) {
    return Problem(context, request, 400, "Ce parcours n’est pas terminé : recommencez les questions.");
  }
  const auto& proposed = opened.value().proposed;
  if (service_id.empty() || std::find(proposed.begin(), proposed.end(), service_id) == proposed.end()) {
    return Problem(context, request, 400,
                   "Ce professionnel ne fait pas partie des propositions faites à partir de vos réponses.");
  }
  const auto service = context.directory.GetPublicService(service_id);
  if (!service || !context.settings.can_talk_now(service_id)) {
    return Problem(context, request, 409,
                   "Personne de ce service n’est disponible pour écrire en ce moment. Revenez à vos résultats pour "
                   "envoyer une demande ou appeler.");
  }
  Opening opening = OpeningFrom(flow, opened.value(), *service, [&](const std::string& text) {
    return context.renderer.Translate(request.locale, text);
  });
  const bool by_phone = opening.report.contact_channel == "phone";  // a call-back fits
  auto id = context.hub.Open(std::move(opening), now);
  if (!id) return Problem(context, request, 503, id.error().public_message);
  KeptTokens().Keep(id.value(), {token, service_id, by_phone, now}, context.hub);
  return http::Response::Redirect(303, Path(request, "/aide/conversation/" + id.value()));
}

// The words of the system lines, in French (translated by the catalogs).
std::string SystemText(const std::string& code, bool for_her) {
  if (code == "taken")
    return for_her ? "Une professionnelle ou un professionnel vous répond." : "Vous avez pris la conversation.";
  if (code == "handed_over") return "La conversation a été confiée à une ou un collègue.";
  if (code == "code_word_asked") {
    // Her status line already asks for it in full (and is read out): the history only records it.
    return for_her ? "Le mot convenu vous a été demandé." : "Vous avez demandé le mot convenu.";
  }
  if (code == "code_word_matched") return for_her ? "Merci." : "Mot convenu : correct.";
  if (code == "code_word_mismatch") return for_her ? "Merci." : "Mot convenu : ne correspond pas. Restez prudent·e.";
  if (code == "her_ended") return "Elle a terminé la conversation.";
  if (code == "pro_ended") return "La conversation est terminée.";
  return "";
}

// "The other ways" beyond the referral and the 3919 (issue 12 §2): the call-back while the
// service is on duty and she chose the phone, its open slots, and, with neither, its next
// on-duty time. The forms post her end-page token as the result page's buttons do.
void AddOtherWays(const Context& context, const http::Request& request, const std::string& id, nlohmann::json& data) {
  // Another instance's conversation (ADR 0014) has no token here: the referral and the 3919 only.
  const auto kept = KeptTokens().Get(id);
  if (!context.settings.other_ways || !kept) return;
  const OtherWays ways = context.settings.other_ways(kept->service_id);
  const bool call_back = ways.on_duty && kept->by_phone;
  const bool book = ways.bookable;
  if (call_back || book) {
    data["other_ways"] = {{"token", kept->token},   {"service_id", kept->service_id},
                          {"call_back", call_back}, {"call_back_action", Path(request, "/aide/rappel")},
                          {"book", book},           {"book_action", Path(request, "/aide/rendez-vous")}};
  }
  if (!ways.on_duty && !ways.bookable && ways.next_on_duty) {
    data["next_duty"] = core::ParisDateTime(*ways.next_on_duty);
  }
}

http::Response Show(Context& context, http::Request& request, bool writing, const std::string& error = "") {
  const std::string id = request.Param("id");
  const auto view = context.hub.ForHer(id, context.settings.clock());
  if (!view) {
    KeptTokens().Drop(id);
    return context.renderer.Page(request, 404, "conversation/gone", kTitle, {{"start", Path(request, "/")}});
  }
  const std::string base = Path(request, "/aide/conversation/" + id);
  nlohmann::json data = {
      {"action", base},
      {"write_href", base + "/ecrire"},
      {"read_href", base},
      {"events", base + "/flux"},
      {"organization", view->organization_name},
      // A service named like its organization (a day centre's one service) is not named twice.
      {"service",
       view->service_name == view->organization_name ? nlohmann::json() : nlohmann::json(view->service_name)},
      {"messages", MessagesJson(context.renderer, request.locale, view->messages, true)},
      {"has_messages", !view->messages.empty()},
      {"waiting", view->state == State::kWaiting},
      {"talking", view->state == State::kTalking},
      {"ended", view->state == State::kEnded},
      {"open", view->state != State::kEnded},
      {"writing", writing},
      {"position", view->position},
      {"first", view->position == 1},
      {"estimate", view->estimate_minutes ? nlohmann::json(*view->estimate_minutes) : nlohmann::json()},
      {"offer_others", view->offer_others},
      {"code_word_asked", view->code_word_asked},
      {"version", view->version},
      {"error", error.empty() ? nlohmann::json() : nlohmann::json(context.renderer.Translate(request.locale, error))},
      {"followup", Path(request, "/suivi")},
      // The quick exit also ends this conversation at once (InterruptFromExit).
      {"exit_url", "/sortie?conversation=" + id},
  };
  if (view->offer_others && view->state == State::kWaiting) AddOtherWays(context, request, id, data);
  // Without JavaScript the reading page refreshes itself; the writing page never does, so that
  // nothing she types is lost (docs/conversation.md).
  data["conversation_css"] = true;  // static/css/conversation.css
  if (!writing && view->state != State::kEnded) data["refresh_seconds"] = kRefreshSeconds;
  http::Response response = context.renderer.Page(request, error.empty() ? 200 : 400, "conversation/her", kTitle, data);
  return response;
}

// The transcript as it goes into the report: who spoke and what, without any time.
std::string TranscriptText(const Transcript& transcript) {
  std::string text;
  for (const Message& m : transcript.messages) {
    if (m.sender == Sender::kSystem) continue;
    if (!text.empty()) text += "\n\n";
    text += m.sender == Sender::kHer ? "Elle : " : "Professionnel·le : ";
    text += m.text;
  }
  return text;
}

http::Response Send(Context& context, http::Request& request, const std::string& id) {
  const TimePoint now = context.settings.clock();
  auto transcript = context.hub.TakeTranscript(id, now);
  if (!transcript) return Problem(context, request, 409, transcript.error().public_message);
  referral::Report report = transcript.value().opening.report;
  report.message = TranscriptText(transcript.value());
  report.consent_day = core::ParisDate(now);
  const Opening& o = transcript.value().opening;
  const auto sent = context.referrals.Send(
      referral::SendRequest{transcript.value().run_secret, o.territory_slug, o.organization_id, o.service_id,
                            referral::ToJson(report).dump(), false, referral::SummaryJson({o.needs, o.commune})},
      now);
  if (!sent) return Problem(context, request, 503, sent.error().public_message);
  context.stats.Increment(stats::StatEvent::kReferralSent, o.territory_slug, "", now);
  // Shown once, by this answer to her POST (no form body stays in the history: the next page
  // is the GET of the follow-up page, not this one).
  return context.renderer.Page(request, 200, "conversation/sent", kTitle,
                               {{"organization", o.organization_name},
                                {"code", sent.value().followup_code},
                                {"followup", Path(request, "/suivi")}});
}

http::Response Act(Context& context, http::Request& request) {
  const std::string id = request.Param("id");
  const http::FormData form = request.Form();
  const std::string action = form.Get("action").value_or("");
  const TimePoint now = context.settings.clock();
  const std::string base = Path(request, "/aide/conversation/" + id);
  if (action == "someone") {
    // "Quelqu'un arrive": ends her side at once and leaves through the quick exit.
    context.hub.Interrupt(id, Interruption::kSomeoneComing, now);
    KeptTokens().Drop(id);
    return http::Response::Redirect(303, "/sortie");
  }
  if (action == "say") {
    const auto said = context.hub.HerSays(id, form.Get("message").value_or(""), now);
    if (!said) {
      if (said.error().code == core::ErrorCode::kInvalidInput)
        return Show(context, request, true, said.error().public_message);
      return Problem(context, request, 409, said.error().public_message);
    }
    return http::Response::Redirect(303, base);
  }
  if (action == "end") {
    const auto ended = context.hub.HerEnds(id, now);
    if (!ended) return Problem(context, request, 404, ended.error().public_message);
    return http::Response::Redirect(303, base);
  }
  if (action == "send") {
    if (form.Get("consent").value_or("") != "yes") {
      return Show(context, request, false, "Cochez la case pour accepter l’envoi, ou choisissez « Ne rien garder ».");
    }
    KeptTokens().Drop(id);
    return Send(context, request, id);
  }
  if (action == "forget") {
    context.hub.Forget(id, now);
    KeptTokens().Drop(id);
    return context.renderer.Page(request, 200, "conversation/forgotten", kTitle, {{"start", Path(request, "/")}});
  }
  return Problem(context, request, 400, "Action inconnue.");
}

}  // namespace

nlohmann::json MessagesJson(const http::Renderer& renderer, const std::string& locale,
                            const std::vector<Message>& messages, bool for_her) {
  nlohmann::json out = nlohmann::json::array();
  for (const Message& m : messages) {
    if (m.sender == Sender::kSystem) {
      out.push_back({{"system", true}, {"text", renderer.Translate(locale, SystemText(m.text, for_her))}});
    } else {
      const bool mine = (m.sender == Sender::kHer) == for_her;
      out.push_back({{"mine", mine}, {"text", m.text}});
    }
  }
  return out;
}

http::Response EventStream(Hub& hub, const std::string& id) {
  http::Response response(200,
                          {{"Content-Type", "text/event-stream; charset=utf-8"},
                           {"Cache-Control", "no-store"},
                           {"X-Accel-Buffering", "no"}},  // a reverse proxy must not hold the events back
                          "");
  response.stream = [&hub, id](std::shared_ptr<http::EventSink> sink) {
    sink->Send("retry: 3000\n\n");
    const auto notify = [sink](std::uint64_t version) {
      if (version == 0) {
        sink->Send("event: gone\ndata: 0\n\n");
        sink->Close();
        return false;
      }
      return sink->Send("event: changed\ndata: " + std::to_string(version) + "\n\n");
    };
    if (!hub.Subscribe(id, notify)) notify(0);
  };
  return response;
}

void InterruptFromExit(Hub& hub, const http::Request& request, TimePoint now) {
  const http::FormData query = request.QueryParams();
  if (const auto id = query.Get("conversation"); id && !id->empty()) {
    // "Quelqu'un arrive" is a link through the quick exit too (her.mustache), with its reason.
    const bool someone = query.Get("raison").value_or("") == "arrive";
    hub.Interrupt(*id, someone ? Interruption::kSomeoneComing : Interruption::kQuickExit, now);
    KeptTokens().Drop(*id);
  }
}

Hub::Counter StatsCounter(stats::StatsRepository& stats, Clock clock) {
  return [&stats, clock](Event event, const std::string& territory, long long wait_seconds) {
    const TimePoint now = clock();
    switch (event) {
      case Event::kStarted:
        stats.Increment(stats::StatEvent::kConversationStarted, territory, "", now);
        return;
      case Event::kAbandoned:
        stats.Increment(stats::StatEvent::kConversationAbandoned, territory, "", now);
        return;
      case Event::kAnswered:
        stats.Increment(stats::StatEvent::kConversationAnswered, territory, "", now);
        stats.Increment(stats::WaitBucketOf(wait_seconds), territory, "", now);
        return;
    }
  };
}

void RegisterConversation(http::Router& router, const http::Renderer& renderer, stats::StatsRepository& stats,
                          const help::FlowLibrary& flows, const help::FlowTokens& tokens,
                          const directory::DirectoryService& directory, referral::ReferralService& referrals, Hub& hub,
                          ConversationSettings settings) {
  auto context = std::make_shared<Context>(
      Context{renderer, stats, flows, tokens, directory, referrals, hub, std::move(settings)});
  const http::Router::ClassScope help_class(router, http::Priority::kHelp);
  router.Post("/aide/conversation", [context](http::Request& request) { return Open(*context, request); });
  router.Get("/aide/conversation/{id}", [context](http::Request& request) { return Show(*context, request, false); });
  router.Get("/aide/conversation/{id}/ecrire",
             [context](http::Request& request) { return Show(*context, request, true); });
  router.Post("/aide/conversation/{id}", [context](http::Request& request) { return Act(*context, request); });
  router.Get("/aide/conversation/{id}/flux", [context](http::Request& request) {
    // Her ids only (a desk id is no capability of hers).
    const std::string id = request.Param("id");
    if (!context->hub.ForHer(id, context->settings.clock())) return http::Response::Error(404);
    return EventStream(context->hub, id);
  });
}

}  // namespace passerelle::conversation
