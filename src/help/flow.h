#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace passerelle::help {

// What a node asks or shows. Stable codes in the YAML files: see docs/help-flow.md.
enum class NodeType {
  kChoice,       // "choice": one answer among `choices`
  kMultiChoice,  // "multi_choice": one or more answers among `choices`
  kText,         // "text": short free text, length-limited
  kLocation,     // "location": postal code, commune, or coordinates rounded to ~1 km
  kContact,      // "contact": safe ways to be contacted (channel, times, voicemail, ...)
  kInfo,         // "info": information, then continue
  kEmergency,    // "emergency": 17 / SMS 114 first, then an option to continue
  kYouth,        // "youth": youth services of the territory, 119, Fil Santé Jeunes; ends the flow
  kEnd,          // "end": summary and contacts; matching plugs in here
};

std::optional<NodeType> ParseNodeType(std::string_view code);
std::string_view CodeOf(NodeType type);
// Types that take an answer from the person (the others only need "Continuer").
bool TakesAnswer(NodeType type);
// Types that end the flow: they have no transition.
bool IsTerminal(NodeType type);

struct Choice {
  std::string code;        // stable English ASCII, e.g. "protection_order"
  std::string label;       // in the flow's language
  bool has_label = false;  // the YAML gave `label` (an override may then replace it, even by "")
  std::string hint;
  std::string next;        // node id; empty: the node's transitions decide
  bool exclusive = false;  // multi_choice: cannot be combined with another answer
  // Wording when she asks for someone else (answer `relative` to `who`): third person, neutral.
  std::string relative_label;
  std::string relative_hint;
  std::string file;  // where it was defined when not in the node's file (override)
  int line = 0;
};

// The answer given to `node` is `code` (choice) or includes it (multi_choice).
struct Condition {
  std::string node;
  std::string code;
};

// Transitions are tried in order; one without condition always applies.
struct Transition {
  std::optional<Condition> when;
  std::string to;
  std::string file;  // as Choice::file
  int line = 0;
};

struct Link {
  std::string href;  // a path of this site ("/temoin"), tel: or sms:
  std::string label;
};

struct Node {
  std::string id;
  NodeType type = NodeType::kInfo;
  std::string text;  // the question (legend and h1) or the page heading
  std::string hint;
  std::string error;              // shown when nothing valid was given; a default is used when empty
  std::vector<std::string> body;  // paragraphs (info, emergency, youth, end)
  // Wording when she asks for someone else (answer `relative` to `who`); empty: the above.
  std::string relative_text;
  std::string relative_hint;
  std::vector<std::string> relative_body;
  std::vector<Link> links;
  std::string continue_label;  // info and emergency: the button that goes on
  std::vector<Choice> choices;
  std::vector<Transition> next;
  bool optional = false;       // may be left unanswered ("Je préfère ne pas répondre")
  std::size_t max_length = 0;  // text: at most this many characters
  std::string file;            // where it was defined (a territory override may add nodes)
  int line = 0;

  const Choice* FindChoice(std::string_view code) const;
};

struct Flow {
  std::string id;
  int version = 0;
  std::string locale;
  std::string start;
  std::vector<Node> nodes;
  std::string file;

  const Node* Find(std::string_view id) const;
};

// Reserved answer code of optional choice and multi_choice nodes: the person preferred not to
// answer. It is never stored as an answer.
inline constexpr std::string_view kSkipCode = "skip";
// Longest free text accepted anywhere, whatever the flow file says.
inline constexpr std::size_t kMaxTextLength = 500;

// Longest wording of a flow (characters), checked by CheckFlow for files and the console alike:
// a question or heading, its hint, an answer's label.
inline constexpr std::size_t kMaxNodeTextLength = 200;
inline constexpr std::size_t kMaxHintLength = 500;
inline constexpr std::size_t kMaxLabelLength = 150;

}  // namespace passerelle::help
