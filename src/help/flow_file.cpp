#include "help/flow_file.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cassert>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace passerelle::help {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kDefaultTextLength = 200;

int LineOf(const YAML::Node& node) { return node.Mark().line + 1; }  // null mark: -1 → 0

bool IsCode(std::string_view code) {
  if (code.empty() || code.size() > 40 || code.front() < 'a' || code.front() > 'z') return false;
  return std::all_of(code.begin(), code.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

// Reads YAML mappings and records problems with their line.
class Reader {
 public:
  Reader(std::string file, std::vector<Problem>& problems) : file_(std::move(file)), problems_(problems) {}

  void Report(int line, std::string message) { problems_.push_back(Problem{file_, line, std::move(message)}); }
  void Report(const YAML::Node& at, std::string message) { Report(LineOf(at), std::move(message)); }

  // Reports keys of `map` not in `allowed` (a typo would otherwise be silently ignored).
  void CheckKeys(const YAML::Node& map, std::initializer_list<std::string_view> allowed, std::string_view what) {
    for (const auto& entry : map) {
      const std::string key = entry.first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        Report(entry.first, "unknown key \"" + key + "\" in " + std::string(what));
      }
    }
  }

  // The scalar at `map[key]`, or "" when absent (reported when `required`).
  std::string String(const YAML::Node& map, const char* key, std::string_view what, bool required) {
    const YAML::Node value = map[key];
    if (!value.IsDefined() || value.IsNull()) {
      if (required) Report(map, std::string(what) + ": missing \"" + key + "\"");
      return {};
    }
    if (!value.IsScalar()) {
      Report(value, std::string(what) + ": \"" + key + "\" must be a single value");
      return {};
    }
    return value.Scalar();
  }

  bool Bool(const YAML::Node& map, const char* key, std::string_view what) {
    const std::string text = String(map, key, what, false);
    if (text.empty() || text == "false") return false;
    if (text == "true") return true;
    Report(map[key], std::string(what) + ": \"" + key + "\" must be true or false");
    return false;
  }

  std::vector<std::string> Strings(const YAML::Node& map, const char* key, std::string_view what) {
    std::vector<std::string> out;
    const YAML::Node value = map[key];
    if (!value.IsDefined() || value.IsNull()) return out;
    if (!value.IsSequence()) {
      Report(value, std::string(what) + ": \"" + key + "\" must be a list");
      return out;
    }
    for (const YAML::Node& item : value) {
      if (item.IsScalar()) {
        out.push_back(item.Scalar());
      } else {
        Report(item, std::string(what) + ": each item of \"" + key + "\" must be a text");
      }
    }
    return out;
  }

  std::vector<Transition> Transitions(const YAML::Node& value, std::string_view what) {
    std::vector<Transition> out;
    if (value.IsScalar()) {
      Transition t;
      t.to = value.Scalar();
      t.line = LineOf(value);
      out.push_back(t);
      return out;
    }
    if (!value.IsSequence()) {
      Report(value, std::string(what) + ": \"next\" must be a node id or a list of {when, to}");
      return out;
    }
    for (const YAML::Node& item : value) {
      if (!item.IsMap()) {
        Report(item, std::string(what) + ": each transition is {when: {node: code}, to: node}");
        continue;
      }
      CheckKeys(item, {"when", "to"}, what);
      Transition t;
      t.line = LineOf(item);
      t.to = String(item, "to", what, true);
      if (const YAML::Node when = item["when"]; when.IsDefined()) {
        if (!when.IsMap() || when.size() != 1 || !when.begin()->second.IsScalar()) {
          Report(when, std::string(what) + ": \"when\" must be {node: code}");
        } else {
          t.when = Condition{when.begin()->first.Scalar(), when.begin()->second.Scalar()};
        }
      }
      out.push_back(t);
    }
    return out;
  }

  std::optional<Choice> ParseChoice(const YAML::Node& item, std::string_view what) {
    if (!item.IsMap()) {
      Report(item, std::string(what) + ": each choice is {code, label}");
      return std::nullopt;
    }
    CheckKeys(item, {"code", "label", "hint", "next", "exclusive", "relative_label", "relative_hint"}, what);
    Choice choice;
    choice.line = LineOf(item);
    choice.file = file_;
    choice.code = String(item, "code", what, true);
    choice.label = String(item, "label", std::string(what) + ", choice " + choice.code, false);
    choice.hint = String(item, "hint", what, false);
    choice.next = String(item, "next", what, false);
    choice.exclusive = Bool(item, "exclusive", what);
    choice.relative_label = String(item, "relative_label", what, false);
    choice.relative_hint = String(item, "relative_hint", what, false);
    if (!choice.code.empty() && !IsCode(choice.code)) {
      Report(item, std::string(what) + ": answer code \"" + choice.code + "\" must be lower-case ASCII letters, digits and _");
    }
    if (choice.code == kSkipCode) {
      Report(item, std::string(what) + ": the answer code \"skip\" is reserved (use optional: true)");
    }
    return choice;
  }

  // A node, or the part of a node an override gives. `keys` receives the keys present.
  std::optional<Node> ParseNode(const YAML::Node& item, bool partial, std::set<std::string>& keys) {
    if (!item.IsMap()) {
      Report(item, "each node is a mapping with at least id, type and text");
      return std::nullopt;
    }
    Node node;
    node.file = file_;
    node.line = LineOf(item);
    node.id = String(item, "id", "node", true);
    if (node.id.empty()) return std::nullopt;
    const std::string what = "node " + node.id;
    if (!IsCode(node.id)) Report(item, what + ": id must be lower-case ASCII letters, digits and _");
    CheckKeys(item, {"id", "type", "text", "hint", "error", "body", "links", "continue", "choices", "next",
                     "optional", "max_length", "relative_text", "relative_hint", "relative_body"},
              what);
    for (const auto& entry : item) keys.insert(entry.first.Scalar());

    const std::string type = String(item, "type", what, !partial);
    if (!type.empty()) {
      if (const auto parsed = ParseNodeType(type)) {
        node.type = *parsed;
      } else {
        Report(item["type"], what + ": unknown node type \"" + type +
                                 "\" (choice, multi_choice, text, location, contact, info, emergency, youth, end)");
        return std::nullopt;
      }
    }
    node.text = String(item, "text", what, false);
    node.hint = String(item, "hint", what, false);
    node.error = String(item, "error", what, false);
    node.continue_label = String(item, "continue", what, false);
    node.body = Strings(item, "body", what);
    node.relative_text = String(item, "relative_text", what, false);
    node.relative_hint = String(item, "relative_hint", what, false);
    node.relative_body = Strings(item, "relative_body", what);
    node.optional = Bool(item, "optional", what);
    if (const YAML::Node links = item["links"]; links.IsDefined()) {
      if (!links.IsSequence()) {
        Report(links, what + ": \"links\" must be a list of {href, label}");
      } else {
        for (const YAML::Node& link : links) {
          if (!link.IsMap()) {
            Report(link, what + ": each link is {href, label}");
            continue;
          }
          CheckKeys(link, {"href", "label"}, what);
          Link parsed{String(link, "href", what, true), String(link, "label", what, true)};
          const std::string& href = parsed.href;
          const bool local = href.size() > 1 && href[0] == '/' && href[1] != '/';
          if (!href.empty() && !local && href.rfind("tel:", 0) != 0 && href.rfind("sms:", 0) != 0) {
            Report(link, what + ": a link must be a path of this site, tel: or sms:");
          }
          node.links.push_back(parsed);
        }
      }
    }
    node.max_length = kDefaultTextLength;
    if (const std::string length = String(item, "max_length", what, false); !length.empty()) {
      try {
        std::size_t used = 0;
        const long value = std::stol(length, &used);
        if (used != length.size() || value < 1 || value > static_cast<long>(kMaxTextLength)) throw std::out_of_range("");
        node.max_length = static_cast<std::size_t>(value);
      } catch (const std::exception&) {
        Report(item["max_length"], what + ": max_length must be a number from 1 to " + std::to_string(kMaxTextLength));
      }
    }
    if (const YAML::Node choices = item["choices"]; choices.IsDefined()) {
      if (!choices.IsSequence()) {
        Report(choices, what + ": \"choices\" must be a list");
      } else {
        std::set<std::string> seen;
        for (const YAML::Node& choice_node : choices) {
          auto choice = ParseChoice(choice_node, what);
          if (!choice) continue;
          if (!choice->code.empty() && !seen.insert(choice->code).second) {
            Report(choice_node, what + ": duplicate answer code \"" + choice->code + "\"");
            continue;
          }
          node.choices.push_back(*choice);
        }
      }
    }
    if (const YAML::Node next = item["next"]; next.IsDefined()) {
      node.next = Transitions(next, what);
      for (Transition& t : node.next) t.file = file_;
    }
    return node;
  }

 private:
  std::string file_;
  std::vector<Problem>& problems_;
};

std::optional<YAML::Node> LoadYaml(std::string_view text, const std::string& file, std::vector<Problem>& problems) {
  try {
    YAML::Node root = YAML::Load(std::string(text));
    if (!root.IsMap()) {
      problems.push_back(Problem{file, 0, "a flow file is a YAML mapping (flow, version, locale, start, nodes)"});
      return std::nullopt;
    }
    return root;
  } catch (const YAML::Exception& e) {
    problems.push_back(Problem{file, e.mark.line + 1, "YAML syntax: " + e.msg});
    return std::nullopt;
  }
}

std::optional<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::optional<Flow> ParseFlow(std::string_view text, const std::string& file, std::vector<Problem>& problems) {
  const auto root = LoadYaml(text, file, problems);
  if (!root) return std::nullopt;
  Reader reader(file, problems);
  reader.CheckKeys(*root, {"flow", "version", "locale", "start", "nodes"}, "the flow");
  Flow flow;
  flow.file = file;
  flow.id = reader.String(*root, "flow", "the flow", true);
  flow.locale = reader.String(*root, "locale", "the flow", true);
  flow.start = reader.String(*root, "start", "the flow", true);
  const std::string version = reader.String(*root, "version", "the flow", true);
  if (!version.empty()) {
    try {
      std::size_t used = 0;
      flow.version = std::stoi(version, &used);
      if (used != version.size() || flow.version < 1) throw std::out_of_range("");
    } catch (const std::exception&) {
      reader.Report((*root)["version"], "the flow: version must be a whole number from 1");
      flow.version = 0;
    }
  }
  const YAML::Node nodes = (*root)["nodes"];
  if (!nodes.IsDefined() || !nodes.IsSequence() || nodes.size() == 0) {
    reader.Report(nodes.IsDefined() ? LineOf(nodes) : 0, "the flow: \"nodes\" must be a non-empty list");
    return std::nullopt;
  }
  std::map<std::string, int> lines;
  for (const YAML::Node& item : nodes) {
    std::set<std::string> keys;
    auto node = reader.ParseNode(item, false, keys);
    if (!node) continue;
    if (const auto [it, inserted] = lines.emplace(node->id, node->line); !inserted) {
      reader.Report(node->line, "duplicate node id \"" + node->id + "\" (first defined line " + std::to_string(it->second) + ")");
      continue;
    }
    flow.nodes.push_back(std::move(*node));
  }
  return flow;
}

bool IsOverride(std::string_view text) {
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    return root.IsMap() && root["overrides"].IsDefined();
  } catch (const YAML::Exception&) {
    return false;
  }
}

std::optional<Flow> ApplyOverride(const Flow& base, std::string_view text, const std::string& file,
                                  std::vector<Problem>& problems) {
  const auto root = LoadYaml(text, file, problems);
  if (!root) return std::nullopt;
  Reader reader(file, problems);
  reader.CheckKeys(*root, {"overrides", "locale", "nodes"}, "the override");
  const std::string of = reader.String(*root, "overrides", "the override", true);
  if (!of.empty() && of != base.id) reader.Report((*root)["overrides"], "the override names flow \"" + of + "\", not \"" + base.id + "\"");
  const std::string locale = reader.String(*root, "locale", "the override", true);
  if (!locale.empty() && locale != base.locale) {
    reader.Report((*root)["locale"], "the override is in \"" + locale + "\" but the flow in \"" + base.locale + "\"");
  }
  Flow flow = base;
  const YAML::Node nodes = (*root)["nodes"];
  if (!nodes.IsDefined() || !nodes.IsSequence()) {
    reader.Report(LineOf(*root), "the override: \"nodes\" must be a list");
    return std::nullopt;
  }
  std::set<std::string> seen;
  for (const YAML::Node& item : nodes) {
    std::set<std::string> keys;
    auto given = reader.ParseNode(item, true, keys);
    if (!given) continue;
    if (!seen.insert(given->id).second) {
      reader.Report(given->line, "duplicate node id \"" + given->id + "\" in the override");
      continue;
    }
    Node* target = nullptr;
    for (Node& node : flow.nodes) {
      if (node.id == given->id) target = &node;
    }
    if (target == nullptr) {
      if (!keys.count("type")) {
        reader.Report(given->line, "node " + given->id + ": not in the flow, so it needs a type");
        continue;
      }
      flow.nodes.push_back(std::move(*given));
      continue;
    }
    if (keys.count("type") && given->type != target->type) {
      reader.Report(given->line, "node " + given->id + ": an override cannot change a node's type");
      continue;
    }
    if (keys.count("text")) target->text = given->text;
    if (keys.count("hint")) target->hint = given->hint;
    if (keys.count("error")) target->error = given->error;
    if (keys.count("body")) target->body = given->body;
    if (keys.count("relative_text")) target->relative_text = given->relative_text;
    if (keys.count("relative_hint")) target->relative_hint = given->relative_hint;
    if (keys.count("relative_body")) target->relative_body = given->relative_body;
    if (keys.count("links")) target->links = given->links;
    if (keys.count("continue")) target->continue_label = given->continue_label;
    if (keys.count("optional")) target->optional = given->optional;
    if (keys.count("max_length")) target->max_length = given->max_length;
    if (keys.count("next")) target->next = given->next;
    for (const Choice& choice : given->choices) {
      auto existing = std::find_if(target->choices.begin(), target->choices.end(),
                                   [&](const Choice& c) { return c.code == choice.code; });
      if (existing == target->choices.end()) {
        target->choices.push_back(choice);
        continue;
      }
      if (!choice.label.empty()) existing->label = choice.label;
      if (!choice.hint.empty()) existing->hint = choice.hint;
      if (!choice.relative_label.empty()) existing->relative_label = choice.relative_label;
      if (!choice.relative_hint.empty()) existing->relative_hint = choice.relative_hint;
      if (!choice.next.empty()) {
        existing->next = choice.next;
        existing->file = choice.file;
        existing->line = choice.line;
      }
    }
  }
  return flow;
}

namespace {

struct Contract {
  const char* id;
  NodeType type;
  std::vector<std::string> codes;  // exactly these, in any order (empty for non-choice nodes)
};

// Section 2 of the help-flow issue: other parts (matching, referral, statistics) rely on them.
const std::vector<Contract>& Contracts() {
  static const std::vector<Contract> contracts = {
      {"age", NodeType::kChoice, {"minor", "adult"}},
      {"danger_now", NodeType::kChoice, {"yes", "no", "unsure"}},
      {"who", NodeType::kChoice, {"self", "relative", "professional"}},
      {"needs", NodeType::kMultiChoice,
       {"listen", "legal", "lawyer", "complaint", "protection_order", "housing", "medical", "psychological",
        "children", "financial", "other"}},
      {"children", NodeType::kChoice, {"none", "yes_safe", "yes_at_risk"}},
      {"location", NodeType::kLocation, {}},
      {"language", NodeType::kChoice, {"fr", "en", "ar", "other"}},
      {"contact", NodeType::kContact, {}},
      {"youth", NodeType::kYouth, {}},
  };
  return contracts;
}

const std::string& FileOf(const Node& node, const std::string& item_file) {
  return item_file.empty() ? node.file : item_file;
}

}  // namespace

void CheckFlow(const Flow& flow, std::vector<Problem>& problems) {
  auto report = [&problems](const std::string& file, int line, std::string message) {
    problems.push_back(Problem{file, line, std::move(message)});
  };
  if (flow.Find(flow.start) == nullptr) {
    report(flow.file, 0, "start node \"" + flow.start + "\" does not exist");
  }

  std::map<std::string, std::vector<std::string>> edges;
  for (const Node& node : flow.nodes) {
    const std::string what = "node " + node.id;
    std::vector<std::string>& out = edges[node.id];
    if (node.text.empty()) report(node.file, node.line, what + ": missing text (missing translation)");
    const bool has_choices = node.type == NodeType::kChoice || node.type == NodeType::kMultiChoice;
    if (has_choices && node.choices.size() < 2) {
      report(node.file, node.line, what + ": a " + std::string(CodeOf(node.type)) + " node needs at least two choices");
    }
    if (!has_choices && !node.choices.empty()) {
      report(node.file, node.line, what + ": only choice and multi_choice nodes have choices");
    }
    for (const Choice& choice : node.choices) {
      const std::string& file = FileOf(node, choice.file);
      if (choice.label.empty()) {
        report(file, choice.line, what + ": answer " + choice.code + " has no label (missing translation)");
      }
      if (!choice.next.empty()) {
        if (node.type != NodeType::kChoice) {
          report(file, choice.line, what + ": only the choices of a choice node may have next");
        } else if (flow.Find(choice.next) == nullptr) {
          report(file, choice.line, what + ": answer " + choice.code + " leads to unknown node \"" + choice.next + "\"");
        } else {
          out.push_back(choice.next);
        }
      }
      if (choice.exclusive && node.type != NodeType::kMultiChoice) {
        report(file, choice.line, what + ": only multi_choice answers may be exclusive");
      }
    }
    bool has_default = false;
    for (const Transition& t : node.next) {
      const std::string& file = FileOf(node, t.file);
      if (flow.Find(t.to) == nullptr) {
        report(file, t.line, what + ": next leads to unknown node \"" + t.to + "\"");
      } else {
        out.push_back(t.to);
      }
      if (!t.when) {
        has_default = true;
        continue;
      }
      const Node* asked = flow.Find(t.when->node);
      if (asked == nullptr) {
        report(file, t.line, what + ": condition on unknown node \"" + t.when->node + "\"");
      } else if (asked->type != NodeType::kChoice && asked->type != NodeType::kMultiChoice) {
        report(file, t.line, what + ": condition on node " + asked->id + ", which has no answer codes");
      } else if (asked->FindChoice(t.when->code) == nullptr) {
        report(file, t.line, what + ": condition on unknown answer code \"" + t.when->code + "\" of node " + asked->id);
      }
    }
    if (IsTerminal(node.type)) {
      if (!node.next.empty()) report(node.file, node.line, what + ": a " + std::string(CodeOf(node.type)) + " node ends the flow and has no next");
      continue;
    }
    // Dead end: some answer leads nowhere.
    bool stuck = !has_default;
    if (node.type == NodeType::kChoice && !has_default) {
      stuck = node.optional ||
              std::any_of(node.choices.begin(), node.choices.end(), [](const Choice& c) { return c.next.empty(); });
    }
    if (stuck) {
      report(node.file, node.line,
             what + ": dead end: " +
                 (node.type == NodeType::kChoice ? "an answer has no next and the node has no default next"
                                                 : "no next without condition"));
    }
  }

  // Unreachable nodes.
  std::set<std::string> reached;
  std::vector<std::string> todo;
  if (flow.Find(flow.start) != nullptr) todo.push_back(flow.start);
  while (!todo.empty()) {
    const std::string id = todo.back();
    todo.pop_back();
    if (!reached.insert(id).second) continue;
    for (const std::string& to : edges[id]) todo.push_back(to);
  }
  for (const Node& node : flow.nodes) {
    if (!reached.count(node.id)) report(node.file, node.line, "node " + node.id + ": unreachable from start node \"" + flow.start + "\"");
  }
  // Nodes from which no end can be reached (loops).
  std::set<std::string> can_end;
  for (const Node& node : flow.nodes) {
    if (IsTerminal(node.type)) can_end.insert(node.id);
  }
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [id, targets] : edges) {
      if (can_end.count(id)) continue;
      if (std::any_of(targets.begin(), targets.end(), [&](const std::string& t) { return can_end.count(t) > 0; })) {
        can_end.insert(id);
        grew = true;
      }
    }
  }
  for (const Node& node : flow.nodes) {
    // A node without any way out was reported above already.
    if (reached.count(node.id) && !can_end.count(node.id) && !edges[node.id].empty()) {
      report(node.file, node.line, "node " + node.id + ": dead end: no youth or end node can be reached from it");
    }
  }

  // Stable ids and codes.
  for (const Contract& contract : Contracts()) {
    const Node* node = flow.Find(contract.id);
    if (node == nullptr) {
      report(flow.file, 0, std::string("missing node \"") + contract.id + "\" (a stable id other parts rely on)");
      continue;
    }
    if (node->type != contract.type) {
      report(node->file, node->line, "node " + node->id + ": must be of type " + std::string(CodeOf(contract.type)));
      continue;
    }
    for (const Choice& choice : node->choices) {
      if (std::find(contract.codes.begin(), contract.codes.end(), choice.code) == contract.codes.end()) {
        report(FileOf(*node, choice.file), choice.line, "node " + node->id + ": unknown answer code \"" + choice.code + "\"");
      }
    }
    for (const std::string& code : contract.codes) {
      if (node->FindChoice(code) == nullptr) report(node->file, node->line, "node " + node->id + ": missing answer code \"" + code + "\"");
    }
  }
  if (const Node* age = flow.Find("age")) {
    if (const Choice* minor = age->FindChoice("minor"); minor && minor->next != "youth") {
      report(FileOf(*age, minor->file), minor->line, "node age: answer minor must lead to youth");
    }
  }
}

void CheckTranslation(const Flow& flow, const Flow& reference, std::vector<Problem>& problems) {
  for (const Node& ref : reference.nodes) {
    const Node* node = flow.Find(ref.id);
    if (node == nullptr) {
      problems.push_back(Problem{flow.file, 0, "node " + ref.id + " of " + reference.file + " is missing (missing translation)"});
      continue;
    }
    if (node->type != ref.type) {
      problems.push_back(Problem{node->file, node->line, "node " + ref.id + ": type differs from " + reference.file});
    }
    for (const Choice& choice : ref.choices) {
      if (node->FindChoice(choice.code) == nullptr) {
        problems.push_back(Problem{node->file, node->line,
                                   "node " + ref.id + ": answer " + choice.code + " of " + reference.file + " is missing (missing translation)"});
      }
    }
    for (const Choice& choice : node->choices) {
      if (ref.FindChoice(choice.code) == nullptr) {
        problems.push_back(Problem{FileOf(*node, choice.file), choice.line,
                                   "node " + ref.id + ": unknown answer code \"" + choice.code + "\" (not in " + reference.file + ")"});
      }
    }
  }
  for (const Node& node : flow.nodes) {
    if (reference.Find(node.id) == nullptr) {
      problems.push_back(Problem{node.file, node.line, "node " + node.id + " is not in " + reference.file});
    }
  }
  if (flow.version != reference.version) {
    problems.push_back(Problem{flow.file, 0, "version " + std::to_string(flow.version) + " differs from " + reference.file +
                                                 " (" + std::to_string(reference.version) + ")"});
  }
}

namespace {

std::optional<Flow> LoadFlowFile(const fs::path& path, std::vector<Problem>& problems) {
  const auto text = ReadFile(path);
  if (!text) {
    problems.push_back(Problem{path.string(), 0, "cannot read the file"});
    return std::nullopt;
  }
  return ParseFlow(*text, path.string(), problems);
}

}  // namespace

std::vector<Problem> CheckFlowFile(const fs::path& file, const fs::path& assets_dir) {
  std::vector<Problem> problems;
  const auto text = ReadFile(file);
  if (!text) return {Problem{file.string(), 0, "cannot read the file"}};
  std::optional<Flow> flow;
  if (IsOverride(*text)) {
    // The override's locale names its base flow.
    std::vector<Problem> ignored;
    const auto root = LoadYaml(*text, file.string(), ignored);
    const std::string locale = root && (*root)["locale"].IsScalar() ? (*root)["locale"].Scalar() : "fr";
    const auto base = LoadFlowFile(assets_dir / "content" / "flows" / (locale + ".yaml"), problems);
    if (!base) return problems;
    flow = ApplyOverride(*base, *text, file.string(), problems);
  } else {
    flow = ParseFlow(*text, file.string(), problems);
  }
  if (!flow) return problems;
  CheckFlow(*flow, problems);
  if (flow->locale != "fr") {
    std::vector<Problem> reference_problems;
    if (const auto reference = LoadFlowFile(assets_dir / "content" / "flows" / "fr.yaml", reference_problems)) {
      CheckTranslation(*flow, *reference, problems);
    } else {
      problems.push_back(Problem{file.string(), 0, "no readable French flow to compare the translation with"});
    }
  }
  return problems;
}

FlowLibrary FlowLibrary::Load(const fs::path& content_dir, const std::string& territory,
                              std::vector<Problem>& problems) {
  FlowLibrary library;
  std::optional<Flow> reference;
  for (const char* locale : {"fr", "en", "ar"}) {
    const fs::path path = content_dir / "flows" / (std::string(locale) + ".yaml");
    if (!fs::exists(path)) {
      if (std::string_view(locale) == "fr") problems.push_back(Problem{path.string(), 0, "the French flow is required"});
      continue;
    }
    auto flow = LoadFlowFile(path, problems);
    if (!flow) continue;
    if (flow->locale != locale) problems.push_back(Problem{path.string(), 0, "locale must be \"" + std::string(locale) + "\""});
    if (!territory.empty()) {
      const fs::path override_path = content_dir / "territories" / territory / "flows" / (std::string(locale) + ".yaml");
      if (fs::exists(override_path)) {
        const auto text = ReadFile(override_path);
        if (!text) {
          problems.push_back(Problem{override_path.string(), 0, "cannot read the file"});
        } else if (auto merged = ApplyOverride(*flow, *text, override_path.string(), problems)) {
          flow = std::move(merged);
        }
      }
    }
    CheckFlow(*flow, problems);
    if (reference) {
      CheckTranslation(*flow, *reference, problems);
    } else {
      reference = *flow;
    }
    library.by_locale_.emplace(locale, std::move(*flow));
  }
  return library;
}

FlowLibrary FlowLibrary::FromFlows(std::vector<Flow> flows) {
  FlowLibrary library;
  for (Flow& flow : flows) {
    const std::string locale = flow.locale;
    library.by_locale_.emplace(locale, std::move(flow));
  }
  return library;
}

const Flow& FlowLibrary::For(std::string_view locale) const {
  if (const auto it = by_locale_.find(locale); it != by_locale_.end()) return it->second;
  const auto french = by_locale_.find(std::string_view("fr"));
  assert(french != by_locale_.end() && "FlowLibrary without a French flow");
  return french->second;
}

}  // namespace passerelle::help
