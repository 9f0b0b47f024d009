#include "conversation/desk.h"

#include <memory>

#include "conversation/messages.h"
#include "http/pipeline.h"

namespace passerelle::conversation {

namespace {

using accounts::Principal;
using nlohmann::json;

constexpr int kDeskRefreshSeconds = 10;
constexpr int kConversationRefreshSeconds = 5;

// Quick replies: the first words of most conversations, and the safety reminders.
constexpr const char* kQuickReplies[] = {
    "Bonjour, je suis là pour vous lire. Écrivez à votre rythme.",
    "Êtes-vous en sécurité pour écrire en ce moment ?",
    "Si vous êtes en danger immédiat, appelez le 17 ou envoyez un SMS au 114.",
    "Si quelqu’un arrive, appuyez sur « Quelqu’un arrive » : la conversation se fermera aussitôt.",
    "Je peux aussi vous rappeler : à quel moment est-ce possible sans risque pour vous ?",
    "Merci de votre confiance. Vous pouvez revenir quand vous voulez.",
};

struct Desk {
  const http::Renderer& renderer;
  Hub& hub;
  Clock clock;
};

json Page(const http::Request& request, const Principal& principal, json data) {
  data["pro_csrf"] = accounts::FormToken(request, principal);
  data["signed_in"] = true;
  data["conversation_css"] = true;  // static/css/conversation.css
  data["pro_nav"] = accounts::NavLinks(principal);
  return data;
}

std::string PathOf(const std::string& desk_id) { return "/pro/conversations/" + desk_id; }

std::string WaitedText(long long seconds) {
  if (seconds < 60) return "moins d’une minute";
  const long long minutes = seconds / 60;
  return std::to_string(minutes) + (minutes == 1 ? " minute" : " minutes");
}

const char* InterruptionText(Interruption why) {
  switch (why) {
    case Interruption::kQuickExit:
      return "Conversation interrompue : elle a quitté le site avec « Cacher le site ». Ne lui répondez pas et "
             "n’essayez pas de la recontacter : quelqu’un est peut-être près d’elle.";
    case Interruption::kSomeoneComing:
      return "Conversation interrompue : elle a signalé que quelqu’un arrive. Ne lui répondez pas et n’essayez pas "
             "de la recontacter : elle reviendra si elle le peut.";
    case Interruption::kGone:
      return "Conversation interrompue : sa page est fermée depuis un moment. Ne cherchez pas à la recontacter.";
  }
  return "";
}

json ConversationJson(const Desk& desk, const http::Request& request, const DeskView& view) {
  return {{"href", PathOf(view.desk_id)},
          {"needs", view.needs},
          {"commune", view.commune},
          {"service", view.service_name},
          {"waiting", view.state == State::kWaiting},
          {"talking", view.state == State::kTalking},
          {"ended", view.state == State::kEnded},
          {"interrupted", view.state == State::kInterrupted},
          {"interruption", view.state == State::kInterrupted ? InterruptionText(view.interruption) : ""},
          {"messages", MessagesJson(desk.renderer, request.locale, view.messages, false)},
          {"has_messages", !view.messages.empty()},
          {"version", view.version}};
}

http::Response Home(const Desk& desk, http::Request& request, const Principal& principal) {
  const TimePoint now = desk.clock();
  desk.hub.SeenAtDesk(principal.account_id, principal.email, principal.organization_ids, now);
  // WCAG 2.2.1: the refresh can be turned off ("?auto=non"); each load still marks her present.
  const bool automatic = request.QueryParams().Get("auto").value_or("") != "non";
  json queue = json::array();
  for (const QueueItem& item : desk.hub.Queue(principal.organization_ids, now)) {
    queue.push_back({{"take", PathOf(item.desk_id) + "/prendre"},
                     {"needs", item.needs},
                     {"commune", item.commune},
                     {"service", item.service_name},
                     {"organization", item.organization_name},
                     {"waited", WaitedText(item.waited_seconds)}});
  }
  json mine = json::array();
  for (const DeskView& view : desk.hub.Mine(principal.account_id, now)) {
    mine.push_back(ConversationJson(desk, request, view));
  }
  return desk.renderer.Page(request, 200, "conversation/desk", "Permanence : conversations",
                            Page(request, principal,
                                 {{"queue", queue},
                                  {"has_queue", !queue.empty()},
                                  {"mine", mine},
                                  {"has_mine", !mine.empty()},
                                  {"several_organizations", principal.organization_ids.size() > 1},
                                  {"automatic", automatic},
                                  {"refresh_seconds", automatic ? json(kDeskRefreshSeconds) : json()}}));
}

http::Response One(const Desk& desk, http::Request& request, const Principal& principal, bool writing,
                   const std::string& error = "") {
  const TimePoint now = desk.clock();
  desk.hub.SeenAtDesk(principal.account_id, principal.email, principal.organization_ids, now);
  const auto view = desk.hub.ForDesk(request.Param("conversation"), now);
  if (!view) return http::Response::Error(404, "Cette conversation est terminée.");
  json data = ConversationJson(desk, request, *view);
  const bool mine = view->professional_account_id == principal.account_id;
  data["mine"] = mine;
  data["can_write"] = mine && view->state == State::kTalking;
  data["writing"] = writing;
  data["write_href"] = PathOf(view->desk_id) + "/ecrire";
  data["has_code_word"] = view->has_code_word;
  data["code_word_asked"] = view->code_word_asked;
  data["error"] = error.empty() ? json() : json(error);
  json quick = json::array();
  for (const char* reply : kQuickReplies) quick.push_back(reply);
  data["quick_replies"] = quick;
  json colleagues = json::array();
  for (const auto& [account, label] : desk.hub.PresentColleagues(view->organization_id, principal.account_id, now)) {
    colleagues.push_back({{"id", account}, {"label", label}});
  }
  data["colleagues"] = colleagues;
  data["has_colleagues"] = !colleagues.empty();
  // Nothing more comes to an ended or interrupted conversation: no refresh (WCAG 2.2.1).
  if (!writing && (view->state == State::kWaiting || view->state == State::kTalking)) {
    data["refresh_seconds"] = kConversationRefreshSeconds;
  }
  return desk.renderer.Page(request, error.empty() ? 200 : 400, "conversation/desk_one", "Permanence : conversation",
                            Page(request, principal, data));
}

// A POST of the desk: the use case, then back to the conversation (or the desk).
http::Response Act(const Desk& desk, http::Request& request, const Principal& principal, const std::string& action) {
  const TimePoint now = desk.clock();
  const std::string id = request.Param("conversation");
  const http::FormData form = request.Form();
  core::Result<core::Ok> done = core::Ok{};
  std::string next = PathOf(id);
  if (action == "prendre") {
    done = desk.hub.Take(id, principal.account_id, now);
  } else if (action == "messages") {
    std::string text = form.Get("message").value_or("");
    if (const auto quick = form.Get("quick"); quick && !quick->empty()) text = *quick;
    done = desk.hub.ProSays(id, principal.account_id, text, now);
    if (!done && done.error().code == core::ErrorCode::kInvalidInput) {
      return One(desk, request, principal, true, done.error().public_message);
    }
  } else if (action == "mot-convenu") {
    done = desk.hub.AskCodeWord(id, principal.account_id, now);
  } else if (action == "confier") {
    done = desk.hub.HandOver(id, principal.account_id, form.Get("colleague").value_or(""), now);
    next = "/pro/conversations";
    if (!done && done.error().code == core::ErrorCode::kInvalidInput) {
      return One(desk, request, principal, false, done.error().public_message);
    }
  } else if (action == "terminer") {
    done = desk.hub.ProEnds(id, principal.account_id, now);
  } else if (action == "fermer") {
    desk.hub.Dismiss(id, principal.account_id, now);
    next = "/pro/conversations";
  }
  if (!done) return http::ErrorFor(done.error());
  return http::Response::Redirect(303, next);
}

}  // namespace

void RegisterConversationDesk(accounts::ProRoutes& routes, const http::Renderer& renderer, Hub& hub, Clock clock) {
  routes.AddResolver(kConversationObject, [&hub](const std::string& id) -> std::optional<accounts::ObjectOwner> {
    const auto owner = hub.OwnerOf(id);
    if (!owner) return std::nullopt;
    return accounts::ObjectOwner{{owner->first}, {owner->second}};
  });
  auto desk = std::make_shared<Desk>(Desk{renderer, hub, std::move(clock)});
  const auto members = accounts::Access::Roles({accounts::Role::kMember});
  const auto member_of_owner =
      accounts::Access::Roles({accounts::Role::kMember}, {{"conversation", std::string(kConversationObject)}});
  routes.Get("/pro/conversations", members,
             [desk](http::Request& request, const Principal& principal) { return Home(*desk, request, principal); });
  routes.Get(
      "/pro/conversations/{conversation}", member_of_owner,
      [desk](http::Request& request, const Principal& principal) { return One(*desk, request, principal, false); });
  routes.Get(
      "/pro/conversations/{conversation}/ecrire", member_of_owner,
      [desk](http::Request& request, const Principal& principal) { return One(*desk, request, principal, true); });
  routes.Get("/pro/conversations/{conversation}/flux", member_of_owner,
             [desk](http::Request& request, const Principal&) {
               return EventStream(desk->hub, request.Param("conversation"));
             });
  for (const char* action : {"prendre", "messages", "mot-convenu", "confier", "terminer", "fermer"}) {
    routes.Post("/pro/conversations/{conversation}/" + std::string(action), member_of_owner,
                [desk, action = std::string(action)](http::Request& request, const Principal& principal) {
                  return Act(*desk, request, principal, action);
                });
  }
}

}  // namespace passerelle::conversation
