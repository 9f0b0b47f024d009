#include "help/engine.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/error.h"
#include "help/code_labels.h"

namespace passerelle::help {

namespace {

std::string Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

// The single value of `field`, trimmed ("" when absent or empty).
std::string One(const Submission& submission, const std::string& field) {
  const auto it = submission.find(field);
  if (it == submission.end() || it->second.empty()) return {};
  return Trim(it->second.front());
}

std::vector<std::string> All(const Submission& submission, const std::string& field) {
  std::vector<std::string> values;
  if (const auto it = submission.find(field); it != submission.end()) {
    for (const std::string& v : it->second) {
      if (std::string t = Trim(v); !t.empty()) values.push_back(std::move(t));
    }
  }
  return values;
}

bool Contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// Control characters are dropped, except line breaks in free text.
bool HasControl(std::string_view text, bool allow_newlines) {
  return std::any_of(text.begin(), text.end(), [allow_newlines](char c) {
    const auto u = static_cast<unsigned char>(c);
    if (allow_newlines && (c == '\n' || c == '\r' || c == '\t')) return false;
    return u < 0x20 || u == 0x7f;
  });
}

bool IsValidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    if (c < 0x80)
      extra = 0;
    else if ((c >> 5) == 0x6)
      extra = 1;
    else if ((c >> 4) == 0xe)
      extra = 2;
    else if ((c >> 3) == 0x1e)
      extra = 3;
    else
      return false;
    if (extra > 0 && i + extra >= text.size()) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return false;
    }
    i += extra + 1;
  }
  return true;
}

std::optional<double> ParseCoordinate(const std::string& text, double limit) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  try {
    std::size_t used = 0;
    const double value = std::stod(text, &used);
    if (used != text.size() || !std::isfinite(value) || std::abs(value) > limit) return std::nullopt;
    return value;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// Two decimals: about 1.1 km in latitude, less in longitude. The browser rounds first; the
// server rounds again so that a precise position is never kept even from another client.
double RoundToKilometre(double degrees) { return std::round(degrees * 100.0) / 100.0; }

std::string DefaultError(const Node& node) {
  switch (node.type) {
    case NodeType::kChoice:
      return "Choisissez une réponse.";
    case NodeType::kMultiChoice:
      return "Choisissez au moins une réponse.";
    case NodeType::kText:
      return "Écrivez votre réponse.";
    case NodeType::kLocation:
      return "Indiquez un code postal ou le nom d’une commune.";
    case NodeType::kContact:
      return "Choisissez comment vous souhaitez être contactée.";
    default:
      return "Réponse impossible.";
  }
}

}  // namespace

std::size_t CountCharacters(std::string_view utf8) {
  return static_cast<std::size_t>(
      std::count_if(utf8.begin(), utf8.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }));
}

const std::vector<std::string>& Engine::ContactChannels() {
  static const std::vector<std::string> codes = CodesOf(kContactChannels);
  return codes;
}
const std::vector<std::string>& Engine::ContactTimes() {
  static const std::vector<std::string> codes = CodesOf(kContactTimes);
  return codes;
}
const std::vector<std::string>& Engine::IfOtherAnswers() {
  static const std::vector<std::string> codes = CodesOf(kIfOtherAnswers);
  return codes;
}

FlowState Engine::Start() const {
  FlowState state;
  state.flow_id = flow_.id;
  state.flow_version = flow_.version;
  state.current = flow_.start;
  return state;
}

bool Engine::Accepts(const FlowState& state) const {
  if (state.flow_id != flow_.id || state.flow_version != flow_.version) return false;
  if (flow_.Find(state.current) == nullptr) return false;
  return std::all_of(state.history.begin(), state.history.end(),
                     [this](const std::string& id) { return flow_.Find(id) != nullptr; });
}

const Node& Engine::Current(const FlowState& state) const {
  const Node* node = flow_.Find(state.current);
  if (node == nullptr) throw core::InfrastructureError("flow state on unknown node (call Accepts first)");
  return *node;
}

std::string Engine::NextOf(const Node& node, const Answers& answers) const {
  if (node.type == NodeType::kChoice) {
    if (const auto it = answers.find(node.id); it != answers.end() && it->second.is_string()) {
      if (const Choice* choice = node.FindChoice(it->second.get<std::string>()); choice && !choice->next.empty()) {
        return choice->next;
      }
    }
  }
  for (const Transition& t : node.next) {
    if (!t.when) return t.to;
    const auto it = answers.find(t.when->node);
    if (it == answers.end()) continue;
    const nlohmann::json& given = it->second;
    if (given.is_string() && given.get<std::string>() == t.when->code) return t.to;
    if (given.is_array() && std::find(given.begin(), given.end(), t.when->code) != given.end()) return t.to;
  }
  // CheckFlow refuses such flows before they are served.
  throw core::InfrastructureError("flow " + flow_.id + ": node " + node.id + " has no applicable transition");
}

StepOutcome Engine::Answer(const FlowState& state, const Submission& submission) const {
  const Node& node = Current(state);
  auto refuse = [&](std::string field, std::string message = {}) {
    return StepOutcome{state, AnswerError{std::move(field),
                                          message.empty() ? (node.error.empty() ? DefaultError(node) : node.error)
                                                          : std::move(message),
                                          {}}};
  };
  if (IsTerminal(node.type)) return refuse("", "Ce parcours est terminé : recommencez depuis le début.");

  std::optional<nlohmann::json> answer;  // nullopt: nothing stored (skipped, or nothing to answer)
  switch (node.type) {
    case NodeType::kChoice: {
      const std::vector<std::string> values = All(submission, "answer");
      if (values.size() != 1) return refuse("answer");
      if (node.optional && values.front() == kSkipCode) break;
      if (node.FindChoice(values.front()) == nullptr) return refuse("answer");
      answer = values.front();
      break;
    }
    case NodeType::kMultiChoice: {
      std::vector<std::string> values = All(submission, "answer");
      if (values.empty()) return refuse("answer");
      if (node.optional && values.size() == 1 && values.front() == kSkipCode) break;
      std::set<std::string> unique;
      for (const std::string& value : values) {
        const Choice* choice = node.FindChoice(value);
        if (choice == nullptr || !unique.insert(value).second) return refuse("answer");
        if (choice->exclusive && values.size() > 1) {
          return refuse("answer", "« " + choice->label + " » ne peut pas être choisi avec une autre réponse.");
        }
      }
      // Stored in the flow's order, so that the same choices always give the same state.
      nlohmann::json codes = nlohmann::json::array();
      for (const Choice& choice : node.choices) {
        if (unique.count(choice.code)) codes.push_back(choice.code);
      }
      answer = codes;
      break;
    }
    case NodeType::kText: {
      const std::string text = One(submission, "answer");
      if (!IsValidUtf8(text) || HasControl(text, true))
        return refuse("answer", "Ce texte contient des caractères non acceptés.");
      if (CountCharacters(text) > node.max_length) {
        return refuse("answer", "Votre réponse doit faire au plus " + std::to_string(node.max_length) + " caractères.");
      }
      if (text.empty()) {
        if (!node.optional) return refuse("answer");
        break;
      }
      answer = text;
      break;
    }
    case NodeType::kLocation: {
      auto place = ReadPlace(node, submission);
      if (auto* error = std::get_if<AnswerError>(&place)) return StepOutcome{state, std::move(*error)};
      answer = std::get<std::optional<nlohmann::json>>(place);
      if (!answer && !node.optional) return refuse("place");
      break;
    }
    case NodeType::kContact: {
      const std::string channel = One(submission, "channel");
      if (!Contains(ContactChannels(), channel)) return refuse("channel");
      nlohmann::json contact = {{"channel", channel}};
      if (channel != "none") {
        nlohmann::json times = nlohmann::json::array();
        const std::vector<std::string> given = All(submission, "times");
        for (const std::string& time : given) {
          if (!Contains(ContactTimes(), time)) return refuse("times", "Choisissez des moments dans la liste.");
        }
        for (const std::string& time : ContactTimes()) {
          if (Contains(given, time)) times.push_back(time);
        }
        contact["times"] = times;
        // Unanswered yes/no questions take the safest answer.
        for (const char* field : {"voicemail", "identify"}) {
          const std::string value = One(submission, field);
          if (!value.empty() && value != "yes" && value != "no") return refuse(field, "Répondez par oui ou par non.");
          contact[field] = value == "yes";
        }
        const std::string code_word = One(submission, "code_word");
        if (!IsValidUtf8(code_word) || HasControl(code_word, false) ||
            CountCharacters(code_word) > kMaxCodeWordLength) {
          return refuse("code_word", "Le mot de passe convenu doit faire au plus " +
                                         std::to_string(kMaxCodeWordLength) + " caractères.");
        }
        if (!code_word.empty()) contact["code_word"] = code_word;
        const std::string if_other = One(submission, "if_other");
        if (!if_other.empty() && !Contains(IfOtherAnswers(), if_other)) return refuse("if_other");
        contact["if_other"] = if_other.empty() ? "hang_up" : if_other;
      }
      answer = contact;
      break;
    }
    case NodeType::kInfo:
    case NodeType::kEmergency:
    case NodeType::kYouth:
    case NodeType::kEnd:
      break;
  }

  FlowState next = state;
  if (answer) {
    next.answers[node.id] = *answer;
  } else if (node.type != NodeType::kEmergency) {
    // The place given on the emergency page (Locate) stays with her run: the location
    // question starts from it.
    next.answers.erase(node.id);
  }
  next.history.push_back(node.id);
  next.current = NextOf(node, next.answers);
  return StepOutcome{next, std::nullopt};
}

std::variant<std::optional<nlohmann::json>, AnswerError> Engine::ReadPlace(const Node&,
                                                                           const Submission& submission) const {
  auto refuse = [](std::string text) { return AnswerError{"place", std::move(text), {}}; };
  const std::string place = One(submission, "place");
  const std::string insee = One(submission, "insee");
  const std::string lat = One(submission, "lat");
  const std::string lon = One(submission, "lon");
  std::optional<nlohmann::json> answer;
  if (!insee.empty()) {
    // A commune picked among the close matches or homonyms offered.
    const bool code = insee.size() == 5 && std::all_of(insee.begin(), insee.end(), [](char c) {
                        return (c >= '0' && c <= '9') || c == 'A' || c == 'B';
                      });
    if (!code) return refuse("Choisissez une commune dans la liste, ou indiquez un code postal.");
    answer = nlohmann::json{{"insee", insee}};
  } else if (!place.empty()) {
    const bool digits = std::all_of(place.begin(), place.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits) {
      if (place.size() != 5) return refuse("Un code postal a 5 chiffres, par exemple 62170.");
      answer = nlohmann::json{{"postal_code", place}};
    } else {
      if (!IsValidUtf8(place) || HasControl(place, false) || CountCharacters(place) > kMaxCommuneLength ||
          place.find_first_of("<>\"{}[]|\\;") != std::string::npos) {
        return refuse("Indiquez un code postal à 5 chiffres ou le nom d’une commune.");
      }
      answer = nlohmann::json{{"commune", place}};
    }
  } else if (!lat.empty() || !lon.empty()) {
    const auto latitude = ParseCoordinate(lat, 90);
    const auto longitude = ParseCoordinate(lon, 180);
    if (!latitude || !longitude) return refuse("La position reçue n’est pas valide : indiquez plutôt un code postal.");
    answer = nlohmann::json{{"lat", RoundToKilometre(*latitude)}, {"lon", RoundToKilometre(*longitude)}};
  }
  if (answer && place_resolver_) {
    auto checked = place_resolver_(*answer);
    if (auto* error = std::get_if<AnswerError>(&checked)) {
      error->field = "place";
      return std::move(*error);
    }
    answer = std::get<nlohmann::json>(std::move(checked));
  }
  return answer;
}

StepOutcome Engine::Locate(const FlowState& state, const Submission& submission) const {
  const Node& node = Current(state);
  if (node.type != NodeType::kEmergency && node.type != NodeType::kYouth) {
    return StepOutcome{state, AnswerError{"", "Cette page ne demande pas de lieu.", {}}};
  }
  auto place = ReadPlace(node, submission);
  if (auto* error = std::get_if<AnswerError>(&place)) return StepOutcome{state, std::move(*error)};
  FlowState next = state;
  if (const auto& answer = std::get<std::optional<nlohmann::json>>(place)) {
    next.answers[node.id] = *answer;
  } else {
    next.answers.erase(node.id);
  }
  return StepOutcome{next, std::nullopt};
}

Node WordedFor(const Node& node, const Answers& answers) {
  const auto who = answers.find("who");
  // A professional answers for the person she accompanies: the same third-person wording.
  if (who == answers.end() || !who->second.is_string() ||
      (who->second.get<std::string>() != "relative" && who->second.get<std::string>() != "professional")) {
    return node;
  }
  Node worded = node;
  if (!node.relative_text.empty()) worded.text = node.relative_text;
  if (!node.relative_hint.empty()) worded.hint = node.relative_hint;
  if (!node.relative_body.empty()) worded.body = node.relative_body;
  for (Choice& choice : worded.choices) {
    if (!choice.relative_label.empty()) choice.label = choice.relative_label;
    if (!choice.relative_hint.empty()) choice.hint = choice.relative_hint;
  }
  return worded;
}

bool AllowsReferral(const FlowState& state) {
  const auto contact = state.answers.find("contact");
  if (contact == state.answers.end() || !contact->second.is_object()) return true;
  const auto channel = contact->second.find("channel");
  return channel == contact->second.end() || !channel->is_string() || channel->get<std::string>() != "none";
}

FlowState Engine::Back(const FlowState& state) const {
  if (state.history.empty()) return state;
  FlowState previous = state;
  previous.answers.erase(previous.current);
  previous.current = previous.history.back();
  previous.history.pop_back();
  return previous;
}

}  // namespace passerelle::help
