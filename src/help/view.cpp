#include "help/view.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "core/paris_time.h"
#include "help/code_labels.h"
#include "help/engine.h"
#include "territory/demo.h"

namespace passerelle::help {

namespace {

// Whether this organization can receive a referral now.
bool CanRefer(const HelpSettings& settings, const Proposal& p) {
  return p.accepts_referrals && (!settings.has_referral_key || settings.has_referral_key(p.organization_id));
}

std::string TelHref(const std::string& scheme, const std::string& number) {
  std::string digits;
  for (char c : number) {
    if ((c >= '0' && c <= '9') || c == '+') digits.push_back(c);
  }
  return scheme + ":" + digits;
}

template <std::size_t N>
nlohmann::json Options(const ContactCode (&codes)[N], const std::string& name,
                       const std::vector<std::string>& checked) {
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
      if (answer.contains("code_word"))
        text += " · " + tr("mot convenu :") + " " + answer["code_word"].get<std::string>();
      text += " · " + tr("si quelqu’un d’autre répond :") + " " +
              tr(LabelOf(kIfOtherAnswers, answer.value("if_other", "hang_up"), Reader::kHer));
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
    rows.push_back(
        {{"node", id},
         {"question", worded.text},
         {"answer", answer == state.answers.end() ? tr("Pas de réponse") : Describe(worded, answer->second, tr)}});
  }
  return rows;
}

// The territory's youth services, always with the two national lines.
nlohmann::json YouthServices(const territory::Territory* territory) {
  std::vector<territory::YouthService> services;
  if (territory != nullptr) services = territory->youth_services;
  const territory::YouthService national[] = {
      {"Allô enfance en danger", "119",
       "Gratuit, 24 h/24, pour les enfants et adolescents en danger ou qui s'inquiètent pour un enfant."},
      {"Fil Santé Jeunes", "0800 235 236",
       "Gratuit et anonyme, pour les 12-25 ans : écoute, santé, relations amoureuses."},
  };
  for (const territory::YouthService& n : national) {
    const bool present = std::any_of(services.begin(), services.end(), [&](const territory::YouthService& s) {
      return TelHref("tel", s.phone) == TelHref("tel", n.phone);
    });
    if (!present) services.push_back(n);
  }
  nlohmann::json out = nlohmann::json::array();
  for (const territory::YouthService& s : services) {
    out.push_back(
        {{"name", s.name}, {"phone", s.phone}, {"href", TelHref("tel", s.phone)}, {"description", s.description}});
  }
  return out;
}

// A proposal as pages and the API show it. `can_refer`: "Préparer ma demande" is offered;
// otherwise her way in is the service's own phone, e-mail and address.
// `can_talk`: "Écrire maintenant" is offered (src/conversation).
nlohmann::json ProposalView(const HelpSettings& settings, const Proposal& p, const TranslateFn& translate,
                            const std::string& locale, bool referral_allowed, bool can_talk = false) {
  const bool can_refer = referral_allowed && CanRefer(settings, p);
  return {{"organization_id", p.organization_id},
          {"can_talk", can_talk},
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
  if (answer.contains("postal_code") && answer["postal_code"].is_string())
    return answer["postal_code"].get<std::string>();
  if (answer.contains("commune") && answer["commune"].is_string()) return answer["commune"].get<std::string>();
  return "";
}

// On-duty time (issue 12): "Être rappelée maintenant" on the proposals that can receive a request
// (a call-back is a referral: sealed, with her follow-up code) and are on duty now, when she
// chose to be contacted by phone; when none is on duty,
// the next on-duty start of any of them. The referral stays offered either way.
void AddDuty(const HelpSettings& settings, const FlowState& state, nlohmann::json& proposals, nlohmann::json& view) {
  if (!settings.duty_now) return;
  // A call-back is a phone call: offered when she chose the phone at the contact question.
  const auto contact = state.answers.find("contact");
  const bool by_phone =
      contact != state.answers.end() && contact->second.is_object() && contact->second.value("channel", "") == "phone";
  std::vector<std::string> ids;
  for (const auto& p : proposals) {
    if (p["can_refer"].get<bool>()) ids.push_back(p["service_id"].get<std::string>());
  }
  if (ids.empty()) return;
  const DutyNow duty = settings.duty_now(ids);
  for (auto& p : proposals) {
    const auto it = duty.until.find(p["service_id"].get<std::string>());
    const bool on_duty = p["can_refer"].get<bool>() && it != duty.until.end();
    p["call_back"] = on_duty && by_phone;
    p["duty_until"] = on_duty ? nlohmann::json(core::ParisClock(it->second)) : nlohmann::json();
  }
  if (duty.until.empty() && duty.next_start) {
    view["next_duty"] = core::ParisDateTime(*duty.next_start);
  }
}

// "Prendre rendez-vous" (issue 12 §2): on the proposals that can receive a request and have open
// slots; an appointment is a referral too (sealed, with her follow-up code).
void AddAppointments(const HelpSettings& settings, nlohmann::json& proposals) {
  std::vector<std::string> ids;
  for (const auto& p : proposals) {
    if (p["can_refer"].get<bool>()) ids.push_back(p["service_id"].get<std::string>());
  }
  const std::set<std::string> bookable =
      settings.bookable && !ids.empty() ? settings.bookable(ids) : std::set<std::string>{};
  for (auto& p : proposals) {
    p["can_book"] = p["can_refer"].get<bool>() && bookable.count(p["service_id"].get<std::string>()) > 0;
  }
}

}  // namespace

nlohmann::json EmergencyContacts(const territory::Territory* own) {
  const auto contacts = own != nullptr ? own->emergency_contacts : territory::NationalEmergencyContacts();
  nlohmann::json out = nlohmann::json::array();
  for (const territory::EmergencyContact& c : contacts) {
    out.push_back({{"label", c.label},
                   {"number", c.number},
                   {"href", TelHref(c.kind == "sms" ? "sms" : "tel", c.number)},
                   {"sms", c.kind == "sms"}});
  }
  return out;
}

// Everything a front end needs to show a step's node: the page template and the JSON API share
// it. It only renders what HelpService::Show decided.
nlohmann::json NodeView(const Flow& flow, const ShownStep& shown, const HelpService& service,
                        const HelpSettings& settings, const TranslateFn& translate) {
  const FlowState& state = shown.state;
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
        {"times", Options(kContactTimes, "times",
                          answer.is_object() ? Strings(answer.value("times", nlohmann::json::array()))
                                             : std::vector<std::string>{})},
        {"voicemail", Options(kYesNo, "voicemail", {flag("voicemail")})},
        {"identify", Options(kYesNo, "identify", {flag("identify")})},
        {"code_word", OptionalText(answer.is_object() ? answer.value("code_word", "") : "")},
        {"code_word_max", Engine::kMaxCodeWordLength},
        {"if_other",
         Options(kIfOtherAnswers, "if_other", {answer.is_object() ? answer.value("if_other", "hang_up") : "hang_up"})},
    };
    // The fixed choices of the contact question are French in code, translated by the catalogs.
    for (auto& [group, options] : view["contact"].items()) {
      if (!options.is_array()) continue;
      for (auto& option : options) option["label"] = translate(option["label"].get<std::string>());
    }
  }
  if (node.type == NodeType::kEmergency || node.type == NodeType::kEnd || node.type == NodeType::kYouth) {
    view["emergency_contacts"] = EmergencyContacts(service.scope().Own());
  }
  if (node.type == NodeType::kEmergency || node.type == NodeType::kYouth) {
    // The optional place field (Engine::Locate): action "locate" with `place`.
    const nlohmann::json place = PlaceGiven(state, node.id);
    view["place"] = OptionalText(PlaceText(place));
    view["asks_place"] = settings.matching.gazetteer != nullptr && settings.matching.gazetteer->size() > 0;
    if (node.type == NodeType::kEmergency && !place.is_null()) {
      nlohmann::json police = nlohmann::json::array();
      for (const Proposal& p : shown.police) {
        police.push_back(ProposalView(settings, p, translate, flow.locale, false));
      }
      view["police"] = police;
      view["has_police"] = !police.empty();
      view["police_none"] = police.empty();
    }
  }
  if (node.type == NodeType::kYouth) {
    const territory::Territory* territory = service.TerritoryFor(state);
    view["youth_services"] = YouthServices(territory);
    view["youth_territory"] = territory == nullptr ? nlohmann::json() : nlohmann::json(territory->name);
  }
  if (node.type == NodeType::kEnd) {
    view["summary"] = Summary(flow, state, translate);
    // Matching (issue 3 §5, src/help/matching.h), done by HelpService::Show.
    const MatchResult& match = shown.results->match;
    const bool referral_allowed = shown.results->referral_allowed;
    view["referral_allowed"] = referral_allowed;
    std::set<std::string> live;
    if (settings.live_conversation && !match.proposals.empty()) {
      std::vector<std::string> ids;
      for (const Proposal& p : match.proposals) ids.push_back(p.service_id);
      live = settings.live_conversation(ids);
    }
    nlohmann::json proposals = nlohmann::json::array();
    for (const Proposal& p : match.proposals) {
      proposals.push_back(
          ProposalView(settings, p, translate, flow.locale, referral_allowed, live.count(p.service_id) > 0));
    }
    AddDuty(settings, state, proposals, view);
    AddAppointments(settings, proposals);
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
  }
  return view;
}

}  // namespace passerelle::help
