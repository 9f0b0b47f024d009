#include "help/flow_file.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "help/flow_yaml.h"

// Flow files read: the parser of a flow and of a territory override (docs/help-flow.md).
namespace passerelle::help {

namespace {

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
    choice.has_label = item["label"].IsDefined();
    choice.hint = String(item, "hint", what, false);
    choice.next = String(item, "next", what, false);
    choice.exclusive = Bool(item, "exclusive", what);
    choice.relative_label = String(item, "relative_label", what, false);
    choice.relative_hint = String(item, "relative_hint", what, false);
    if (!choice.code.empty() && !IsCode(choice.code)) {
      Report(item, std::string(what) + ": answer code \"" + choice.code +
                       "\" must be lower-case ASCII letters, digits and _");
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
    CheckKeys(item,
              {"id", "type", "text", "hint", "error", "body", "links", "continue", "choices", "next", "optional",
               "max_length", "relative_text", "relative_hint", "relative_body"},
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
        if (used != length.size() || value < 1 || value > static_cast<long>(kMaxTextLength))
          throw std::out_of_range("");
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
      reader.Report(node->line,
                    "duplicate node id \"" + node->id + "\" (first defined line " + std::to_string(it->second) + ")");
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
  if (!of.empty() && of != base.id)
    reader.Report((*root)["overrides"], "the override names flow \"" + of + "\", not \"" + base.id + "\"");
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
      if (choice.has_label) existing->label = choice.label;
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

std::optional<std::string> ReadTextFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace passerelle::help
