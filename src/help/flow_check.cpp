#include "help/flow_file.h"

#include <algorithm>
#include <map>
#include <set>

// The checks of a parsed flow (graph, texts, stable ids and codes) and of a translation.
namespace passerelle::help {

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
      {"needs",
       NodeType::kMultiChoice,
       {"listen", "legal", "lawyer", "complaint", "protection_order", "housing", "medical", "psychological", "children",
        "financial", "other"}},
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

std::size_t CodePoints(const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// A wording is plain text of one line: the pages escape it, so markup would show as such (and a
// pasted tag is rather a mistake or an attempt); control characters have no place in it.
void CheckWording(const std::string& text, std::size_t max_length, const std::string& file, int line,
                  const std::string& node, const std::string& field, std::vector<Problem>& problems) {
  const std::string what =
      "node " + node + ": " + (field.rfind("label:", 0) == 0 ? "answer " + field.substr(6) + " label" : field);
  if (CodePoints(text) > max_length) {
    problems.push_back(Problem{file, line, what + " longer than " + std::to_string(max_length) + " characters", node,
                               field, "too_long"});
  }
  const bool markup = text.find_first_of("<>") != std::string::npos;
  const bool control =
      std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
  if (markup || control) {
    problems.push_back(
        Problem{file, line, what + ": plain text only (no < or >, no control character)", node, field, "markup"});
  }
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
    if (node.text.empty()) {
      problems.push_back(
          Problem{node.file, node.line, what + ": missing text (missing translation)", node.id, "text", "missing"});
    }
    CheckWording(node.text, kMaxNodeTextLength, node.file, node.line, node.id, "text", problems);
    CheckWording(node.hint, kMaxHintLength, node.file, node.line, node.id, "hint", problems);
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
        problems.push_back(Problem{file, choice.line,
                                   what + ": answer " + choice.code + " has no label (missing translation)", node.id,
                                   "label:" + choice.code, "missing"});
      }
      CheckWording(choice.label, kMaxLabelLength, file, choice.line, node.id, "label:" + choice.code, problems);
      if (!choice.next.empty()) {
        if (node.type != NodeType::kChoice) {
          report(file, choice.line, what + ": only the choices of a choice node may have next");
        } else if (flow.Find(choice.next) == nullptr) {
          report(file, choice.line,
                 what + ": answer " + choice.code + " leads to unknown node \"" + choice.next + "\"");
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
      if (!node.next.empty())
        report(node.file, node.line,
               what + ": a " + std::string(CodeOf(node.type)) + " node ends the flow and has no next");
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
    if (!reached.count(node.id))
      report(node.file, node.line, "node " + node.id + ": unreachable from start node \"" + flow.start + "\"");
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
        report(FileOf(*node, choice.file), choice.line,
               "node " + node->id + ": unknown answer code \"" + choice.code + "\"");
      }
    }
    for (const std::string& code : contract.codes) {
      if (node->FindChoice(code) == nullptr)
        report(node->file, node->line, "node " + node->id + ": missing answer code \"" + code + "\"");
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
      problems.push_back(
          Problem{flow.file, 0, "node " + ref.id + " of " + reference.file + " is missing (missing translation)"});
      continue;
    }
    if (node->type != ref.type) {
      problems.push_back(Problem{node->file, node->line, "node " + ref.id + ": type differs from " + reference.file});
    }
    for (const Choice& choice : ref.choices) {
      if (node->FindChoice(choice.code) == nullptr) {
        problems.push_back(Problem{node->file, node->line,
                                   "node " + ref.id + ": answer " + choice.code + " of " + reference.file +
                                       " is missing (missing translation)"});
      }
    }
    for (const Choice& choice : node->choices) {
      if (ref.FindChoice(choice.code) == nullptr) {
        problems.push_back(Problem{
            FileOf(*node, choice.file), choice.line,
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
    problems.push_back(Problem{flow.file, 0,
                               "version " + std::to_string(flow.version) + " differs from " + reference.file + " (" +
                                   std::to_string(reference.version) + ")"});
  }
}

}  // namespace passerelle::help
