#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "help/flow.h"

namespace passerelle::help {

// A problem found in a flow file: where, and why.
struct Problem {
  Problem() = default;
  Problem(std::string file_, int line_, std::string message_, std::string node_ = {}, std::string field_ = {},
          std::string code_ = {})
      : file(std::move(file_)),
        line(line_),
        message(std::move(message_)),
        node(std::move(node_)),
        field(std::move(field_)),
        code(std::move(code_)) {}

  std::string file;
  int line = 0;  // 1-based; 0 when it concerns the whole file
  std::string message;
  // Which wording it concerns, when it is one (the console names the field): the node, the field
  // ("text", "hint", "label:<code>") and what is wrong ("missing", "too_long", "markup").
  std::string node;
  std::string field;
  std::string code;
  std::string ToString() const { return file + (line > 0 ? ":" + std::to_string(line) : "") + ": " + message; }
};

// Parses a flow file (YAML, docs/help-flow.md). Problems of form (syntax, missing or unknown
// keys, unknown node type, duplicate ids or codes) are appended; nullopt when the file cannot be
// used at all. Graph checks are CheckFlow's.
std::optional<Flow> ParseFlow(std::string_view text, const std::string& file, std::vector<Problem>& problems);

// True when the YAML text is a territory override (top-level key `overrides`).
bool IsOverride(std::string_view text);

// Applies a territory override (wording, extra choices, extra nodes) to a copy of `base`.
std::optional<Flow> ApplyOverride(const Flow& base, std::string_view text, const std::string& file,
                                  std::vector<Problem>& problems);

// Checks a parsed flow: every node reachable from `start`, no dead end (every non-final node
// leads on, and a final node can be reached from every node), transitions and conditions naming
// existing nodes and answer codes, every text present, and the stable node ids and answer codes
// of section 2 of the help-flow issue.
void CheckFlow(const Flow& flow, std::vector<Problem>& problems);

// Checks a translation against the French flow: same nodes and answer codes.
void CheckTranslation(const Flow& flow, const Flow& reference, std::vector<Problem>& problems);

// `passerelle flow check FILE`: parses FILE; an override is applied to
// <assets_dir>/content/flows/<locale>.yaml; a non-French flow is compared with the French one of
// <assets_dir>/content/flows/fr.yaml.
std::vector<Problem> CheckFlowFile(const std::filesystem::path& file, const std::filesystem::path& assets_dir);

// A territory's wording of one node given from the territory console (docs/territory-console.md
// "Local wording"), kept in the database: what is set replaces the wording of the files (the
// national flow, then the territory's override file); what is absent keeps it.
struct NodeWording {
  std::string node;
  std::optional<std::string> text;
  std::optional<std::string> hint;
  std::map<std::string, std::string> labels;  // answer code -> label
};
// The console's wording of a territory, by locale.
using WebWording = std::map<std::string, std::vector<NodeWording>, std::less<>>;

// `wording` as a territory override document (the format of the override files), for
// ApplyOverride: the console's wording goes through the very parser and checks of the files.
// Wording of a node or an answer code that `base` no longer has is left out (the national flow
// may drop one after it was worded), so that an old row never stops the server from starting.
std::string WordingOverride(const Flow& base, const std::vector<NodeWording>& wording);

// The flow served in `locale` to `territory` (may be ""): content/flows/<locale>.yaml, then
// content/territories/<territory>/flows/<locale>.yaml when it exists, then `web` (named `web_file`
// in problems), then CheckFlow. nullopt (and problems) when the file is missing or unusable.
std::optional<Flow> LoadTerritoryFlow(const std::filesystem::path& content_dir, const std::string& territory,
                                      const std::string& locale, const std::vector<NodeWording>& web,
                                      const std::string& web_file, std::vector<Problem>& problems);

// The flows served: content/flows/<locale>.yaml for each locale present (French is required),
// each with the override content/territories/<territory>/flows/<locale>.yaml when it exists and
// the console's wording `web` (LoadTerritoryFlow). A running server replaces its flows (Replace)
// when a coordinator saves wording: a request keeps the flow it started with (For holds it).
class FlowLibrary {
 public:
  static FlowLibrary Load(const std::filesystem::path& content_dir, const std::string& territory,
                          std::vector<Problem>& problems, const WebWording& web = {});
  static FlowLibrary FromFlows(std::vector<Flow> flows);

  // The flow in `locale`, or the French one; valid as long as the pointer is held.
  std::shared_ptr<const Flow> For(std::string_view locale) const;
  // Serves the flows of `other` from now on.
  void Replace(const FlowLibrary& other);

 private:
  using Flows = std::map<std::string, Flow, std::less<>>;
  std::shared_ptr<const Flows> Current() const;

  std::unique_ptr<std::mutex> mutex_ = std::make_unique<std::mutex>();
  std::shared_ptr<const Flows> by_locale_ = std::make_shared<const Flows>();
};

}  // namespace passerelle::help
