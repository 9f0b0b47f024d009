#include "help/register.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <set>
#include <stdexcept>

#include "help/engine.h"
#include "help/kept_step.h"
#include "help/matching.h"
#include "help/place.h"
#include "help/service.h"
#include "help/submission.h"
#include "help/view.h"

namespace passerelle::help {

namespace {

// Neutral title on every help page: it shows in the history and the tab list.
constexpr const char* kTitle = "Aide";
constexpr const char* kQuestionsPath = "/aide/questions";
constexpr const char* kUnreadMessage = "Ce parcours n’a pas pu être lu : recommencez depuis le début.";
constexpr const char* kChangedMessage =
    "Les questions ont changé depuis le début de votre parcours : recommencez depuis le début.";

struct Context {
  const http::Renderer& renderer;
  stats::StatsRepository& stats;
  const FlowLibrary& flows;
  const FlowTokens& tokens;
  HelpSettings settings;
};

// What a step decides (src/help/service.h), on the territories as they are now: taken once per
// request, so that a territory saved meanwhile (docs/territory-console.md "Live territories")
// changes the next request, never half of one.
HelpService ServiceNow(const Context& context) {
  return HelpService(
      HelpScope{context.settings.territory_slug,
                context.settings.territories ? context.settings.territories() : nullptr, context.settings.matching},
      context.stats);
}

// The engine of `flow`, checking places against the gazetteer, in the flow's language; the
// communes of `service`'s territories come first among homonyms. `service` must outlive it.
Engine EngineFor(const Context& context, const HelpService& service, const Flow& flow) {
  if (context.settings.matching.gazetteer == nullptr) return Engine(flow);
  const Context* c = &context;
  const HelpService* s = &service;
  const std::string locale = flow.locale;
  return Engine(flow, [c, s, locale](const nlohmann::json& given) {
    return CheckPlace(*c->settings.matching.gazetteer, s->scope().LocalCommunes(), given,
                      [c, locale](const std::string& msgid) { return c->renderer.Translate(locale, msgid); });
  });
}

std::chrono::system_clock::time_point Now() { return std::chrono::system_clock::now(); }

// The page data of `shown` in the flow's language (view.h).
nlohmann::json ViewOf(const Context& context, const HelpService& service, const Flow& flow, const ShownStep& shown) {
  const TranslateFn translate = [&](const std::string& msgid) {
    return context.renderer.Translate(flow.locale, msgid);
  };
  return NodeView(flow, shown, service, context.settings, translate);
}

// The field of a node an error summary links to.
std::string FieldId(const Node& node, const std::string& field) {
  if ((node.type == NodeType::kChoice || node.type == NodeType::kMultiChoice) && !node.choices.empty()) {
    return "answer-" + node.choices.front().code;
  }
  if (node.type == NodeType::kContact) {
    if (field == "channel") return "channel-phone";
    if (field == "times") return "times-morning";
    if (field == "voicemail" || field == "identify") return field + "-yes";
    if (field == "if_other") return "if_other-hang_up";
  }
  return field.empty() ? "answer" : field;
}

// The communes close to what she typed, as radios (pages) and `node.place_options` (API).
nlohmann::json PlaceOptions(const AnswerError& error) {
  nlohmann::json out = nlohmann::json::array();
  for (const PlaceOption& o : error.places) {
    out.push_back({{"insee", o.insee_code}, {"label", o.label}, {"id", "insee-" + o.insee_code}});
  }
  return out;
}

// A page of the questions without JavaScript, as rendered by the GET that follows her POST
// (Post/Redirect/Get, ADR 0011): the template, its data and the status, in her language.
struct KeptPage {
  std::string template_name;
  nlohmann::json data;
  int status = 200;
};

// What her POST keeps in her draft for that GET (help/kept_step.h): the step, not its page.
nlohmann::json KeptExpired(const http::Request& request, const std::string& message) {
  return KeptStepJson(KeptStep{request.locale, "", std::nullopt, message});
}

// The step `state` as the page will show it: shown (her results matched and a search that found
// nobody counted, once per run, here rather than at each GET) and sealed.
nlohmann::json KeptStepOf(const Context& context, const HelpService& service, const http::Request& request,
                          const Flow& flow, const FlowState& state, const std::optional<AnswerError>& error,
                          std::uint64_t rotation_seed = 0) {
  const ShownStep shown = service.Show(*flow.Find(state.current), state, rotation_seed, Now());
  return KeptStepJson(KeptStep{request.locale, context.tokens.Seal(shown.state, Now()), error, std::nullopt});
}

http::Response Keep(const Context& context, const http::Request& request, const nlohmann::json& kept) {
  return context.settings.save_page(request, kept, http::Renderer::LocalizedPath(request.locale, kQuestionsPath));
}

// `kept_token`: the token sealed by her POST for `state`; the page carries it as it is when the
// step shows the same state again (always, unless her results changed meanwhile), instead of a
// new seal.
KeptPage QuestionPage(const Context& context, const HelpService& service, const http::Request& request,
                      const Flow& flow, const FlowState& state, const std::optional<AnswerError>& error,
                      std::uint64_t rotation_seed = 0, const std::string& kept_token = "") {
  const ShownStep shown = service.Show(*flow.Find(state.current), state, rotation_seed, Now());
  nlohmann::json view = ViewOf(context, service, flow, shown);
  if (error && !error->places.empty()) {
    view["place_options"] = PlaceOptions(*error);
    view["has_place_options"] = true;
  }
  nlohmann::json data = {
      {"node", view},
      {"token", !kept_token.empty() && shown.state == state ? kept_token : context.tokens.Seal(shown.state, Now())},
      {"action", http::Renderer::LocalizedPath(request.locale, kQuestionsPath)},
      {"start", http::Renderer::LocalizedPath(request.locale, "/aide")}};
  if (error) {
    const Node& node = *flow.Find(state.current);
    const bool locate_form = node.type == NodeType::kEmergency || node.type == NodeType::kYouth;
    data["error"] = {{"field_id", !error->places.empty() ? "insee-" + error->places.front().insee_code
                                  : locate_form          ? std::string("locate-place")
                                                         : FieldId(node, error->field)},
                     {"message", error->message}};
    data["has_errors"] = true;  // the error summary partial (templates/_error_summary.mustache)
    data["errors"] = nlohmann::json::array({data["error"]});
  }
  // An answer refused is the person's mistake, not the server's: the page comes back with the
  // error summary and a 400 status.
  return KeptPage{"help/question", std::move(data), error ? 400 : 200};
}

KeptPage ExpiredPage(const HelpService& service, const http::Request& request, const std::string& message) {
  return KeptPage{"help/expired",
                  {{"message", message},
                   {"action", http::Renderer::LocalizedPath(request.locale, kQuestionsPath)},
                   {"emergency_contacts", EmergencyContacts(service.scope().Own())}},
                  400};
}

Submission FormSubmission(const http::FormData& form) {
  Submission submission;
  for (const char* field : {"answer", "place", "insee", "lat", "lon", "channel", "times", "voicemail", "identify",
                            "code_word", "if_other"}) {
    if (auto values = form.GetAll(field); !values.empty()) submission[field] = std::move(values);
  }
  return submission;
}

http::Response JsonError(int status, const std::string& code, const std::string& message) {
  return http::Response::Json(
      status, nlohmann::json{{"error", {{"status", status}, {"code", code}, {"message", message}}}}.dump());
}

// The question page's own markup for an API answer (templates/help/question.mustache, with the
// data of QuestionPage): the chat shows it, so that the chat and the pages say the same thing
// in every language (docs/help-flow.md, "The chat").
std::string QuestionHtml(const Context& context, const http::Request& request, const nlohmann::json& reply) {
  nlohmann::json node = reply["node"];
  // Close matches of a place she mistyped: the same radios as the page (QuestionPage).
  const bool has_place_options = node.contains("place_options") && !node["place_options"].empty();
  if (has_place_options) node["has_place_options"] = true;
  nlohmann::json data = {{"node", node},
                         {"token", reply["token"]},
                         {"action", http::Renderer::LocalizedPath(request.locale, kQuestionsPath)},
                         {"start", http::Renderer::LocalizedPath(request.locale, "/aide")}};
  if (reply.contains("error")) {
    const std::string field_id =
        has_place_options ? node["place_options"][0].value("id", "") : reply["error"].value("field", "");
    data["error"] = {{"field_id", field_id}, {"message", reply["error"].value("message", "")}};
    data["has_errors"] = true;
    data["errors"] = nlohmann::json::array({data["error"]});
  }
  return context.renderer.Fragment(request, "help/question", data);
}

}  // namespace

void RegisterHelp(http::Router& router, const http::Renderer& renderer, stats::StatsRepository& stats,
                  const FlowLibrary& flows, const FlowTokens& tokens, HelpSettings settings) {
  if (!settings.save_page || !settings.load_page) {
    throw std::invalid_argument(
        "RegisterHelp: save_page and load_page are required (Post/Redirect/Get of the questions)");
  }
  auto context = std::make_shared<const Context>(Context{renderer, stats, flows, tokens, std::move(settings)});
  // Under load the help flow comes first (DESIGN §9, docs/load-shedding.md).
  const http::Router::ClassScope help_class(router, http::Priority::kHelp);

  auto start_page = [context](const http::Request& request) {
    // No answer of hers on this page: the cache of public pages may keep it (ADR 0015).
    return context->renderer.PublicPage(request, 200, "help/start", kTitle,
                                        {{"action", http::Renderer::LocalizedPath(request.locale, kQuestionsPath)},
                                         {"api", http::Renderer::LocalizedPath(request.locale, "/api/v1/help")}});
  };
  router.Get("/aide", [start_page](http::Request& request) { return start_page(request); });
  router.Post("/aide", [context, start_page](http::Request& request) {
    context->stats.Increment(stats::StatEvent::kHelpButtonClick, context->settings.territory_slug, "", Now());
    return start_page(request);
  });

  // The step kept by her last POST (ADR 0011), shown again from the flow; answers never travel
  // in a URL, so without one (a bookmark, the history after the quick exit or the expiry) it goes
  // back to the start page.
  router.Get(kQuestionsPath, [context](http::Request& request) {
    const auto kept = context->settings.load_page(request);
    if (!kept) return http::Response::Redirect(303, http::Renderer::LocalizedPath(request.locale, "/aide"));
    const HelpService service = ServiceNow(*context);
    const auto show = [&](const KeptPage& page) {
      return context->renderer.Page(request, page.status, page.template_name, kTitle, page.data);
    };
    const std::optional<KeptStep> step = ReadKeptStep(*kept);
    // A whole page kept before the server's upgrade (format 1), or a damaged one: not shown; she
    // starts over (such drafts are gone within three hours of the upgrade).
    if (!step) return show(ExpiredPage(service, request, kUnreadMessage));
    if (step->locale != request.locale) {
      return http::Response::Redirect(303, http::Renderer::LocalizedPath(request.locale, "/aide"));
    }
    if (step->expired) return show(ExpiredPage(service, request, *step->expired));
    const auto held = context->flows.For(request.locale);  // the flows may be replaced meanwhile
    const Flow& flow = *held;
    const Engine engine = EngineFor(*context, service, flow);
    const auto opened = context->tokens.Open(step->token, Now());
    if (!opened) return show(ExpiredPage(service, request, opened.error().public_message));
    if (!engine.Accepts(opened.value())) return show(ExpiredPage(service, request, kChangedMessage));
    return show(QuestionPage(*context, service, request, flow, opened.value(), step->error, 0, step->token));
  });

  // Every answer is Post/Redirect/Get: the browser's history holds the address only, never her
  // answers (the session files of Chromium keep the bodies of form posts: issue 10 §1).
  router.Post(kQuestionsPath, [context](http::Request& request) {
    const http::FormData form = request.Form();
    const auto held = context->flows.For(request.locale);  // the flows may be replaced meanwhile
    const Flow& flow = *held;
    const HelpService service = ServiceNow(*context);
    const Engine engine = EngineFor(*context, service, flow);
    const std::string token = form.Get("token").value_or("");
    const std::string action = form.Get("action").value_or("continue");
    const auto keep = [&](const nlohmann::json& kept) { return Keep(*context, request, kept); };
    const auto step = [&](const FlowState& state, const std::optional<AnswerError>& error, std::uint64_t seed = 0) {
      return keep(KeptStepOf(*context, service, request, flow, state, error, seed));
    };
    if (action == "start" || token.empty()) {
      if (action != "start") return keep(KeptExpired(request, kUnreadMessage));
      context->stats.Increment(stats::StatEvent::kFlowStarted, context->settings.territory_slug, "", Now());
      return step(engine.Start(), std::nullopt);
    }
    const auto opened = context->tokens.Open(token, Now());
    if (!opened) return keep(KeptExpired(request, opened.error().public_message));
    if (!engine.Accepts(opened.value())) return keep(KeptExpired(request, kChangedMessage));
    if (action == "back") return step(engine.Back(opened.value()), std::nullopt);
    // Her results again (the report page's way back): the same page, the same proposals.
    if (action == "resume") return step(opened.value(), std::nullopt, RotationSeed(token));
    if (action == "locate") {
      const StepOutcome located = engine.Locate(opened.value(), FormSubmission(form));
      return step(located.state, located.error);
    }
    StepOutcome outcome = engine.Answer(opened.value(), FormSubmission(form));
    if (!outcome.error) service.CountArrival(engine.Current(outcome.state), outcome.state, Now());
    return step(outcome.state, outcome.error, RotationSeed(token));
  });

  router.Post("/api/v1/help", [context](http::Request& request) {
    nlohmann::json body;
    try {
      body = nlohmann::json::parse(request.body);
    } catch (const nlohmann::json::exception&) {
      return JsonError(400, "bad_request", "Le corps de la requête doit être un objet JSON.");
    }
    if (!body.is_object() || !body.contains("token") || !(body["token"].is_null() || body["token"].is_string())) {
      return JsonError(400, "bad_request",
                       "Attendu : {\"token\": null} pour commencer, ou {\"token\": \"…\", \"answer\": …}.");
    }
    // "back" is true or false; anything else ("yes", 1, null) is the client's mistake (issue 15, F5).
    if (body.contains("back") && !body["back"].is_boolean()) {
      return JsonError(400, "bad_request", "« back » doit valoir true ou false.");
    }
    const auto held = context->flows.For(request.locale);  // the flows may be replaced meanwhile
    const Flow& flow = *held;
    const HelpService service = ServiceNow(*context);
    const Engine engine = EngineFor(*context, service, flow);
    auto reply = [&](const FlowState& state, int status, const nlohmann::json& error,
                     const AnswerError* refused = nullptr) {
      const ShownStep shown =
          service.Show(engine.Current(state), state,
                       RotationSeed(body["token"].is_string() ? body["token"].get<std::string>() : ""), Now());
      nlohmann::json node_view = ViewOf(*context, service, flow, shown);
      nlohmann::json out = {{"token", context->tokens.Seal(shown.state, Now())}};
      if (refused != nullptr && !refused->places.empty()) node_view["place_options"] = PlaceOptions(*refused);
      out["node"] = node_view;
      if (!error.is_null()) out["error"] = error;
      out["html"] = QuestionHtml(*context, request, out);
      return http::Response::Json(status, out.dump());
    };
    if (body["token"].is_null()) {
      context->stats.Increment(stats::StatEvent::kFlowStarted, context->settings.territory_slug, "", Now());
      return reply(engine.Start(), 200, nullptr);
    }
    const auto opened = context->tokens.Open(body["token"].get<std::string>(), Now());
    if (!opened) return JsonError(400, "invalid_token", opened.error().public_message);
    if (!engine.Accepts(opened.value())) {
      return JsonError(400, "invalid_token", kChangedMessage);
    }
    if (body.value("back", false)) return reply(engine.Back(opened.value()), 200, nullptr);
    const auto submission = SubmissionFromJson(body.value("answer", nlohmann::json()));
    if (!submission)
      return JsonError(400, "bad_request", "La réponse doit être un texte, une liste de textes ou un objet.");
    // {"token", "locate": true, "answer": {"place": …}}: the place field of the emergency and
    // youth pages; the node stays the same.
    const bool locate = body.contains("locate") && body["locate"].is_boolean() && body["locate"].get<bool>();
    StepOutcome outcome =
        locate ? engine.Locate(opened.value(), *submission) : engine.Answer(opened.value(), *submission);
    if (outcome.error) {
      const Node& node = engine.Current(outcome.state);
      return reply(outcome.state, 400,
                   {{"status", 400},
                    {"code", "invalid_answer"},
                    {"field", FieldId(node, outcome.error->field)},
                    {"message", outcome.error->message}},
                   &*outcome.error);
    }
    if (!locate) service.CountArrival(engine.Current(outcome.state), outcome.state, Now());
    return reply(outcome.state, 200, nullptr);
  });
}

}  // namespace passerelle::help
