#include "help/register.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <memory>
#include <set>
#include <stdexcept>

#include "help/code_labels.h"
#include "help/engine.h"
#include "help/matching.h"
#include "help/place.h"
#include "help/submission.h"
#include "territory/demo.h"

namespace passerelle::help {

namespace {

// Neutral title on every help page: it shows in the history and the tab list.
constexpr const char* kTitle = "Aide";
constexpr const char* kQuestionsPath = "/aide/questions";

struct Context {
  const http::Renderer& renderer;
  stats::StatsRepository& stats;
  const FlowLibrary& flows;
  const FlowTokens& tokens;
  HelpSettings settings;
  std::set<std::string> local_communes;  // the instance's communes: first among homonyms
};

// The engine of `flow`, checking places against the gazetteer, in the flow's language.
Engine EngineFor(const Context& context, const Flow& flow) {
  if (context.settings.matching.gazetteer == nullptr) return Engine(flow);
  const Context* c = &context;
  const std::string locale = flow.locale;
  return Engine(flow, [c, locale](const nlohmann::json& given) {
    return CheckPlace(*c->settings.matching.gazetteer, c->local_communes, given,
                      [c, locale](const std::string& msgid) { return c->renderer.Translate(locale, msgid); });
  });
}

// The territory of her commune: the instance's own, or on a national instance the one whose
// communes include the place she gave (null when unknown).
const territory::Territory* TerritoryFor(const Context& context, const FlowState& state) {
  if (context.settings.territory) return &*context.settings.territory;
  for (const char* node : {"location", "youth", "emergency"}) {
    const auto it = state.answers.find(node);
    if (it == state.answers.end()) continue;
    if (const territory::Territory* t = TerritoryOf(context.settings.territories, InseeOf(it->second))) return t;
  }
  return nullptr;
}

std::string TerritorySlugFor(const Context& context, const FlowState& state) {
  if (!context.settings.territory_slug.empty()) return context.settings.territory_slug;
  const territory::Territory* t = TerritoryFor(context, state);
  return t == nullptr ? "" : t->slug;
}

// Whether this organization can receive a referral now.
bool CanRefer(const Context& context, const Proposal& p) {
  return p.accepts_referrals && (!context.settings.has_referral_key || context.settings.has_referral_key(p.organization_id));
}

std::chrono::system_clock::time_point Now() { return std::chrono::system_clock::now(); }

std::string TelHref(const std::string& scheme, const std::string& number) {
  std::string digits;
  for (char c : number) {
    if ((c >= '0' && c <= '9') || c == '+') digits.push_back(c);
  }
  return scheme + ":" + digits;
}

template <std::size_t N>
nlohmann::json Options(const ContactCode (&codes)[N], const std::string& name, const std::vector<std::string>& checked) {
  nlohmann::json out = nlohmann::json::array();
  for (const ContactCode& l : codes) {
    out.push_back({{"code", l.code},
                   {"label", l.for_her},
                   {"id", name + "-" + l.code},
                   {"checked", std::find(checked.begin(), checked.end(), l.code) != checked.end()}});
  }
  return out;
}

// kainjow's mustache treats "" as true in a section: an absent text is null (false) instead.
nlohmann::json OptionalText(const std::string& text) { return text.empty() ? nlohmann::json() : nlohmann::json(text); }

// The answer to `node` as the person would say it, in her language: choice labels come from
// her flow, the fixed wording from the catalogs through `tr`.
std::string Describe(const Node& node, const nlohmann::json& answer, const TranslateFn& tr) {
  switch (node.type) {
    case NodeType::kChoice:
    case NodeType::kMultiChoice: {
      std::string text;
      for (const std::string& code : Strings(answer)) {
        const Choice* choice = node.FindChoice(code);
        text += (text.empty() ? "" : ", ") + (choice ? choice->label : code);
      }
      return text;
    }
    case NodeType::kText:
      return answer.is_string() ? answer.get<std::string>() : "";
    case NodeType::kLocation:
      if (answer.contains("postal_code")) return tr("Code postal") + " " + answer["postal_code"].get<std::string>();
      if (answer.contains("commune")) return answer["commune"].get<std::string>();
      if (answer.contains("insee")) return answer["insee"].get<std::string>();
      if (answer.contains("lat")) return tr("Position approximative (à environ 1 km près)");
      return "";
    case NodeType::kContact: {
      const std::string channel = answer.value("channel", "");
      std::string text = tr(LabelOf(kContactChannels, channel, Reader::kHer));
      if (channel == "none") return text;
      std::string times;
      for (const std::string& t : Strings(answer.value("times", nlohmann::json::array()))) {
        times += (times.empty() ? "" : ", ") + tr(LabelOf(kContactTimes, t, Reader::kHer));
      }
      if (!times.empty()) text += " · " + times;
      text += " · " + tr(answer.value("voicemail", false) ? "message vocal possible" : "pas de message vocal");
      text += " · " + tr(answer.value("identify", false) ? "peut dire qui appelle" : "ne pas dire qui appelle");
      if (answer.contains("code_word")) text += " · " + tr("mot convenu :") + " " + answer["code_word"].get<std::string>();
      text += " · " + tr("si quelqu’un d’autre répond :") + " " + tr(LabelOf(kIfOtherAnswers, answer.value("if_other", "hang_up"), Reader::kHer));
      return text;
    }
    default:
      return "";
  }
}

nlohmann::json Summary(const Flow& flow, const FlowState& state, const TranslateFn& tr) {
  nlohmann::json rows = nlohmann::json::array();
  for (const std::string& id : state.history) {
    const Node* node = flow.Find(id);
    const auto answer = state.answers.find(id);
    if (node == nullptr || !TakesAnswer(node->type)) continue;
    const Node worded = WordedFor(*node, state.answers);
    rows.push_back({{"node", id},
                    {"question", worded.text},
                    {"answer", answer == state.answers.end() ? tr("Pas de réponse") : Describe(worded, answer->second, tr)}});
  }
  return rows;
}

nlohmann::json EmergencyContacts(const HelpSettings& settings) {
  const auto contacts = settings.territory ? settings.territory->emergency_contacts : territory::NationalEmergencyContacts();
  nlohmann::json out = nlohmann::json::array();
  for (const territory::EmergencyContact& c : contacts) {
    out.push_back({{"label", c.label}, {"number", c.number}, {"href", TelHref(c.kind == "sms" ? "sms" : "tel", c.number)},
                   {"sms", c.kind == "sms"}});
  }
  return out;
}

// The territory's youth services, always with the two national lines.
nlohmann::json YouthServices(const territory::Territory* territory) {
  std::vector<territory::YouthService> services;
  if (territory != nullptr) services = territory->youth_services;
  const territory::YouthService national[] = {
      {"Allô enfance en danger", "119", "Gratuit, 24 h/24, pour les enfants et adolescents en danger ou qui s'inquiètent pour un enfant."},
      {"Fil Santé Jeunes", "0800 235 236", "Gratuit et anonyme, pour les 12-25 ans : écoute, santé, relations amoureuses."},
  };
  for (const territory::YouthService& n : national) {
    const bool present = std::any_of(services.begin(), services.end(),
                                     [&](const territory::YouthService& s) { return TelHref("tel", s.phone) == TelHref("tel", n.phone); });
    if (!present) services.push_back(n);
  }
  nlohmann::json out = nlohmann::json::array();
  for (const territory::YouthService& s : services) {
    out.push_back({{"name", s.name}, {"phone", s.phone}, {"href", TelHref("tel", s.phone)}, {"description", s.description}});
  }
  return out;
}

// Counted under the instance's territory, or on a national instance under her commune's
// territory when she gave a place ("" otherwise).
void CountArrival(const Context& context, const Node& node, const FlowState& state) {
  std::optional<stats::StatEvent> event;
  if (node.type == NodeType::kYouth) event = stats::StatEvent::kMinorRedirected;
  if (node.type == NodeType::kEmergency) event = stats::StatEvent::kEmergencyExit;
  if (node.type == NodeType::kEnd) event = stats::StatEvent::kFlowCompleted;
  if (event) context.stats.Increment(*event, TerritorySlugFor(context, state), "", Now());
}

// A proposal as pages and the API show it. `can_refer`: "Préparer ma demande" is offered;
// otherwise her way in is the service's own phone, e-mail and address.
nlohmann::json ProposalView(const Context& context, const Proposal& p, const TranslateFn& translate,
                            const std::string& locale, bool referral_allowed) {
  const bool can_refer = referral_allowed && CanRefer(context, p);
  return {{"organization_id", p.organization_id},
          {"service_id", p.service_id},
          {"name", p.organization_name},
          {"explanation", RenderPhrases(p.explanation_parts, translate, locale)},
          {"phone", OptionalText(p.phone)},
          {"phone_href", p.phone.empty() ? nlohmann::json() : nlohmann::json(TelHref("tel", p.phone))},
          {"call_now", p.call_now},
          {"email", OptionalText(p.email)},
          {"email_href", p.email.empty() ? nlohmann::json() : nlohmann::json("mailto:" + p.email)},
          {"address", OptionalText(p.address)},
          {"can_refer", can_refer},
          {"href", "/annuaire/" + p.service_id}};
}

// The place given on the emergency or youth page, or else at the location question.
nlohmann::json PlaceGiven(const FlowState& state, const std::string& node_id) {
  for (const std::string& id : {node_id, std::string("location")}) {
    const auto it = state.answers.find(id);
    if (it != state.answers.end() && it->second.is_object()) return it->second;
  }
  return nullptr;
}

std::string PlaceText(const nlohmann::json& answer) {
  if (!answer.is_object()) return "";
  if (answer.contains("postal_code") && answer["postal_code"].is_string()) return answer["postal_code"].get<std::string>();
  if (answer.contains("commune") && answer["commune"].is_string()) return answer["commune"].get<std::string>();
  return "";
}

// Everything a front end needs to show `state`'s node: the page template and the JSON API
// share it.
// `rotation_seed` (RotationSeed of the token posted) spreads visitors over equivalent
// professionals on the end page.
nlohmann::json NodeView(const Context& context, const Flow& flow, const FlowState& state, std::uint64_t rotation_seed) {
  // Worded in the third person when she asks for someone else.
  const Node node = WordedFor(*flow.Find(state.current), state.answers);
  const auto given = state.answers.find(node.id);
  const nlohmann::json answer = given == state.answers.end() ? nlohmann::json() : given->second;
  const std::vector<std::string> chosen = Strings(answer);

  nlohmann::json links = nlohmann::json::array();
  for (const Link& link : node.links) links.push_back({{"href", link.href}, {"label", link.label}});
  nlohmann::json choices = nlohmann::json::array();
  for (const Choice& choice : node.choices) {
    choices.push_back({{"code", choice.code},
                       {"label", choice.label},
                       {"hint", OptionalText(choice.hint)},
                       {"exclusive", choice.exclusive},
                       {"id", "answer-" + choice.code},
                       {"checked", std::find(chosen.begin(), chosen.end(), choice.code) != chosen.end()}});
  }
  const std::string type(CodeOf(node.type));
  nlohmann::json view = {
      {"id", node.id},
      {"type", type},
      {"text", node.text},
      {"hint", OptionalText(node.hint)},
      {"body", node.body},
      {"links", links},
      {"continue", node.continue_label.empty() ? "Continuer" : node.continue_label},
      {"choices", choices},
      {"optional", node.optional},
      {"can_go_back", !state.history.empty()},
      {"step", state.history.size() + 1},
      {"is_" + type, true},
      {"is_question", TakesAnswer(node.type)},
  };
  view["skip_checked"] = node.optional && !state.history.empty() && given == state.answers.end() &&
                         std::find(state.history.begin(), state.history.end(), node.id) != state.history.end();
  if (node.type == NodeType::kText) {
    view["max_length"] = node.max_length;
    view["value"] = OptionalText(answer.is_string() ? answer.get<std::string>() : "");
  }
  if (node.type == NodeType::kLocation) {
    // Her answer, or the place she gave on the emergency page.
    view["value"] = OptionalText(PlaceText(given != state.answers.end() ? answer : PlaceGiven(state, "emergency")));
  }
  if (node.type == NodeType::kContact) {
    const std::string channel = answer.is_object() ? answer.value("channel", "") : "";
    const auto flag = [&answer](const char* field) {
      return answer.is_object() && answer.contains(field) ? (answer[field].get<bool>() ? "yes" : "no") : "";
    };
    view["contact"] = {
        {"channels", Options(kContactChannels, "channel", {channel})},
        {"times", Options(kContactTimes, "times", answer.is_object() ? Strings(answer.value("times", nlohmann::json::array()))
                                                               : std::vector<std::string>{})},
        {"voicemail", Options(kYesNo, "voicemail", {flag("voicemail")})},
        {"identify", Options(kYesNo, "identify", {flag("identify")})},
        {"code_word", OptionalText(answer.is_object() ? answer.value("code_word", "") : "")},
        {"code_word_max", Engine::kMaxCodeWordLength},
        {"if_other", Options(kIfOtherAnswers, "if_other", {answer.is_object() ? answer.value("if_other", "hang_up") : "hang_up"})},
    };
    // The fixed choices of the contact question are French in code, translated by the catalogs.
    for (auto& [group, options] : view["contact"].items()) {
      if (!options.is_array()) continue;
      for (auto& option : options) option["label"] = context.renderer.Translate(flow.locale, option["label"].get<std::string>());
    }
  }
  const TranslateFn translate = [&](const std::string& msgid) { return context.renderer.Translate(flow.locale, msgid); };
  if (node.type == NodeType::kEmergency || node.type == NodeType::kEnd || node.type == NodeType::kYouth) {
    view["emergency_contacts"] = EmergencyContacts(context.settings);
  }
  if (node.type == NodeType::kEmergency || node.type == NodeType::kYouth) {
    // The optional place field (Engine::Locate): action "locate" with `place`.
    const nlohmann::json place = PlaceGiven(state, node.id);
    view["place"] = OptionalText(PlaceText(place));
    view["asks_place"] = context.settings.matching.gazetteer != nullptr && context.settings.matching.gazetteer->size() > 0;
    if (node.type == NodeType::kEmergency && !place.is_null()) {
      nlohmann::json police = nlohmann::json::array();
      for (const Proposal& p : NearestPolice(context.settings.matching, place, 2, Now())) {
        police.push_back(ProposalView(context, p, translate, flow.locale, false));
      }
      view["police"] = police;
      view["has_police"] = !police.empty();
      view["police_none"] = police.empty();
    }
  }
  if (node.type == NodeType::kYouth) {
    const territory::Territory* territory = TerritoryFor(context, state);
    view["youth_services"] = YouthServices(territory);
    view["youth_territory"] = territory == nullptr ? nlohmann::json() : nlohmann::json(territory->name);
  }
  if (node.type == NodeType::kEnd) {
    view["summary"] = Summary(flow, state, translate);
    // Matching (issue 3 §5, src/help/matching.h).
    const MatchRequest match_request = MatchRequestFrom(state.answers);
    MatchResult match =
        ProposeProfessionals(match_request, context.settings.matching,
                             context.settings.territory ? &*context.settings.territory : nullptr, rotation_seed, Now());
    if (!state.proposed.empty()) {
      // Her results shown again (action "resume"): in the order she saw them first.
      const auto rank = [&state](const Proposal& p) {
        return std::find(state.proposed.begin(), state.proposed.end(), p.service_id) - state.proposed.begin();
      };
      std::stable_sort(match.proposals.begin(), match.proposals.end(),
                       [&rank](const Proposal& a, const Proposal& b) { return rank(a) < rank(b); });
    }
    const bool referral_allowed = AllowsReferral(state);
    view["referral_allowed"] = referral_allowed;
    nlohmann::json proposals = nlohmann::json::array();
    for (const Proposal& p : match.proposals) {
      proposals.push_back(ProposalView(context, p, translate, flow.locale, referral_allowed));
    }
    view["has_proposals"] = !proposals.empty();
    if (!proposals.empty()) {
      view["recommended"] = proposals.front();
      view["alternatives"] = nlohmann::json(proposals.begin() + 1, proposals.end());
      view["has_alternatives"] = proposals.size() > 1;
    }
    view["proposals"] = proposals;
    view["match_unavailable"] = match.outcome == MatchOutcome::kUnavailable;
    view["match_no_place"] = match.outcome == MatchOutcome::kNoPlace;
    view["match_none"] = match.outcome == MatchOutcome::kNoMatch;
    if (match.outcome == MatchOutcome::kNoMatch) {
      // For the coordinators' gap analysis: the needs and her commune, nothing else.
      std::string needs;
      for (const std::string& need : match_request.needs) needs += (needs.empty() ? "" : ",") + need;
      context.stats.Increment(stats::StatEvent::kNoMatch, TerritorySlugFor(context, state),
                              "need:" + needs + "|" + match.insee_code, Now());
    }
  }
  return view;
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

// The state to seal under a node's page: on the end node, with the services it proposes, in
// the order shown, which travel in the token to the report page (only one of them may be
// chosen, and only where a referral is possible: OpenDraft checks) and back to her results
// (action "resume" shows them in the same order).
FlowState WithProposals(FlowState state, const nlohmann::json& node_view) {
  state.proposed.clear();
  if (node_view.contains("proposals")) {
    for (const auto& p : node_view["proposals"]) state.proposed.push_back(p["service_id"].get<std::string>());
  }
  return state;
}

// The communes close to what she typed, as radios (pages) and `node.place_options` (API).
nlohmann::json PlaceOptions(const AnswerError& error) {
  nlohmann::json out = nlohmann::json::array();
  for (const PlaceOption& o : error.places) {
    out.push_back({{"insee", o.insee_code}, {"label", o.label}, {"id", "insee-" + o.insee_code}});
  }
  return out;
}

// A page of the questions without JavaScript, as kept between her POST and the GET that follows
// (Post/Redirect/Get, ADR 0011): the template, its data and the status, in her language.
struct KeptPage {
  std::string template_name;
  nlohmann::json data;
  int status = 200;
};

// The templates a kept page may name (what the GET renders comes from the server's own draft,
// but a draft is data: the list keeps it to the two question templates).
bool IsQuestionTemplate(const std::string& name) { return name == "help/question" || name == "help/expired"; }

http::Response Keep(const Context& context, const http::Request& request, const KeptPage& page) {
  return context.settings.save_page(
      request,
      {{"template", page.template_name}, {"data", page.data}, {"status", page.status}, {"locale", request.locale}},
      http::Renderer::LocalizedPath(request.locale, kQuestionsPath));
}

KeptPage QuestionPage(const Context& context, const http::Request& request, const Flow& flow,
                      const FlowState& state, const std::optional<AnswerError>& error, std::uint64_t rotation_seed = 0) {
  const nlohmann::json node_view = NodeView(context, flow, state, rotation_seed);
  nlohmann::json view = node_view;
  if (error && !error->places.empty()) {
    view["place_options"] = PlaceOptions(*error);
    view["has_place_options"] = true;
  }
  nlohmann::json data = {{"node", view},
                         {"token", context.tokens.Seal(WithProposals(state, node_view), Now())},
                         {"action", http::Renderer::LocalizedPath(request.locale, kQuestionsPath)},
                         {"start", http::Renderer::LocalizedPath(request.locale, "/aide")}};
  if (error) {
    const Node& node = *flow.Find(state.current);
    const bool locate_form = node.type == NodeType::kEmergency || node.type == NodeType::kYouth;
    data["error"] = {{"field_id", !error->places.empty() ? "insee-" + error->places.front().insee_code
                                  : locate_form      ? std::string("locate-place")
                                                     : FieldId(node, error->field)},
                     {"message", error->message}};
  }
  // An answer refused is the person's mistake, not the server's: the page comes back with the
  // error summary and a 400 status.
  return KeptPage{"help/question", std::move(data), error ? 400 : 200};
}

KeptPage ExpiredPage(const Context& context, const http::Request& request, const std::string& message) {
  return KeptPage{"help/expired",
                  {{"message", message},
                   {"action", http::Renderer::LocalizedPath(request.locale, kQuestionsPath)},
                   {"emergency_contacts", EmergencyContacts(context.settings)}},
                  400};
}

Submission FormSubmission(const http::FormData& form) {
  Submission submission;
  for (const char* field :
       {"answer", "place", "insee", "lat", "lon", "channel", "times", "voicemail", "identify", "code_word", "if_other"}) {
    if (auto values = form.GetAll(field); !values.empty()) submission[field] = std::move(values);
  }
  return submission;
}

http::Response JsonError(int status, const std::string& code, const std::string& message) {
  return http::Response::Json(status, nlohmann::json{{"error", {{"status", status}, {"code", code}, {"message", message}}}}.dump());
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
  }
  return context.renderer.Fragment(request, "help/question", data);
}

}  // namespace

void RegisterHelp(http::Router& router, const http::Renderer& renderer, stats::StatsRepository& stats,
                  const FlowLibrary& flows, const FlowTokens& tokens, HelpSettings settings) {
  if (!settings.save_page || !settings.load_page) {
    throw std::invalid_argument("RegisterHelp: save_page and load_page are required (Post/Redirect/Get of the questions)");
  }
  std::set<std::string> local = settings.territory ? LocalCommunes({*settings.territory}) : LocalCommunes(settings.territories);
  auto context = std::make_shared<const Context>(Context{renderer, stats, flows, tokens, std::move(settings), std::move(local)});
  // Under load the help flow comes first (DESIGN §9, docs/load-shedding.md).
  const http::Router::ClassScope help_class(router, http::Priority::kHelp);

  auto start_page = [context](const http::Request& request) {
    return context->renderer.Page(request, 200, "help/start", kTitle,
                                  {{"action", http::Renderer::LocalizedPath(request.locale, kQuestionsPath)},
                                   {"api", http::Renderer::LocalizedPath(request.locale, "/api/v1/help")}});
  };
  router.Get("/aide", [start_page](http::Request& request) { return start_page(request); });
  router.Post("/aide", [context, start_page](http::Request& request) {
    context->stats.Increment(stats::StatEvent::kHelpButtonClick, context->settings.territory_slug, "", Now());
    return start_page(request);
  });

  // The page kept by her last POST (ADR 0011); answers never travel in a URL, so without one (a
  // bookmark, the history after the quick exit or the expiry) it goes back to the start page.
  router.Get(kQuestionsPath, [context](http::Request& request) {
    const auto kept = context->settings.load_page(request);
    if (kept && kept->is_object() && kept->value("locale", "") == request.locale &&
        IsQuestionTemplate(kept->value("template", "")) && kept->contains("data")) {
      const int status = kept->value("status", 200) == 400 ? 400 : 200;
      return context->renderer.Page(request, status, kept->value("template", ""), kTitle, kept->at("data"));
    }
    return http::Response::Redirect(303, http::Renderer::LocalizedPath(request.locale, "/aide"));
  });

  // Every answer is Post/Redirect/Get: the browser's history holds the address only, never her
  // answers (the session files of Chromium keep the bodies of form posts: issue 10 §1).
  router.Post(kQuestionsPath, [context](http::Request& request) {
    const http::FormData form = request.Form();
    const Flow& flow = context->flows.For(request.locale);
    const Engine engine = EngineFor(*context, flow);
    const std::string token = form.Get("token").value_or("");
    const std::string action = form.Get("action").value_or("continue");
    const auto keep = [&](const KeptPage& page) { return Keep(*context, request, page); };
    if (action == "start" || token.empty()) {
      if (action != "start") {
        return keep(ExpiredPage(*context, request, "Ce parcours n’a pas pu être lu : recommencez depuis le début."));
      }
      context->stats.Increment(stats::StatEvent::kFlowStarted, context->settings.territory_slug, "", Now());
      return keep(QuestionPage(*context, request, flow, engine.Start(), std::nullopt));
    }
    const auto opened = context->tokens.Open(token, Now());
    if (!opened) return keep(ExpiredPage(*context, request, opened.error().public_message));
    if (!engine.Accepts(opened.value())) {
      return keep(ExpiredPage(*context, request,
                              "Les questions ont changé depuis le début de votre parcours : recommencez depuis le début."));
    }
    if (action == "back") return keep(QuestionPage(*context, request, flow, engine.Back(opened.value()), std::nullopt));
    // Her results again (the report page's way back): the same page, the same proposals.
    if (action == "resume") {
      return keep(QuestionPage(*context, request, flow, opened.value(), std::nullopt, RotationSeed(token)));
    }
    if (action == "locate") {
      const StepOutcome located = engine.Locate(opened.value(), FormSubmission(form));
      return keep(QuestionPage(*context, request, flow, located.state, located.error));
    }
    const StepOutcome outcome = engine.Answer(opened.value(), FormSubmission(form));
    if (!outcome.error) CountArrival(*context, engine.Current(outcome.state), outcome.state);
    return keep(QuestionPage(*context, request, flow, outcome.state, outcome.error, RotationSeed(token)));
  });

  router.Post("/api/v1/help", [context](http::Request& request) {
    nlohmann::json body;
    try {
      body = nlohmann::json::parse(request.body);
    } catch (const nlohmann::json::exception&) {
      return JsonError(400, "bad_request", "Le corps de la requête doit être un objet JSON.");
    }
    if (!body.is_object() || !body.contains("token") || !(body["token"].is_null() || body["token"].is_string())) {
      return JsonError(400, "bad_request", "Attendu : {\"token\": null} pour commencer, ou {\"token\": \"…\", \"answer\": …}.");
    }
    // "back" is true or false; anything else ("yes", 1, null) is the client's mistake (issue 15, F5).
    if (body.contains("back") && !body["back"].is_boolean()) {
      return JsonError(400, "bad_request", "« back » doit valoir true ou false.");
    }
    const Flow& flow = context->flows.For(request.locale);
    const Engine engine = EngineFor(*context, flow);
    auto reply = [&](const FlowState& state, int status, const nlohmann::json& error, const AnswerError* refused = nullptr) {
      nlohmann::json node_view =
          NodeView(*context, flow, state, RotationSeed(body["token"].is_string() ? body["token"].get<std::string>() : ""));
      nlohmann::json out = {{"token", context->tokens.Seal(WithProposals(state, node_view), Now())}};
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
      return JsonError(400, "invalid_token", "Les questions ont changé depuis le début de votre parcours : recommencez depuis le début.");
    }
    if (body.value("back", false)) return reply(engine.Back(opened.value()), 200, nullptr);
    const auto submission = SubmissionFromJson(body.value("answer", nlohmann::json()));
    if (!submission) return JsonError(400, "bad_request", "La réponse doit être un texte, une liste de textes ou un objet.");
    // {"token", "locate": true, "answer": {"place": …}}: the place field of the emergency and
    // youth pages; the node stays the same.
    const bool locate = body.contains("locate") && body["locate"].is_boolean() && body["locate"].get<bool>();
    const StepOutcome outcome = locate ? engine.Locate(opened.value(), *submission) : engine.Answer(opened.value(), *submission);
    if (outcome.error) {
      const Node& node = engine.Current(outcome.state);
      return reply(outcome.state, 400,
                   {{"status", 400}, {"code", "invalid_answer"}, {"field", FieldId(node, outcome.error->field)},
                    {"message", outcome.error->message}},
                   &*outcome.error);
    }
    if (!locate) CountArrival(*context, engine.Current(outcome.state), outcome.state);
    return reply(outcome.state, 200, nullptr);
  });
}

}  // namespace passerelle::help
