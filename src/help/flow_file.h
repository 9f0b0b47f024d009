#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "help/flow.h"

namespace passerelle::help {

// A problem found in a flow file: where, and why.
struct Problem {
  std::string file;
  int line = 0;  // 1-based; 0 when it concerns the whole file
  std::string message;
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

// The flows served: content/flows/<locale>.yaml for each locale present (French is required),
// each with the override content/territories/<territory>/flows/<locale>.yaml when it exists.
class FlowLibrary {
 public:
  static FlowLibrary Load(const std::filesystem::path& content_dir, const std::string& territory,
                          std::vector<Problem>& problems);
  static FlowLibrary FromFlows(std::vector<Flow> flows);

  // The flow in `locale`, or the French one.
  const Flow& For(std::string_view locale) const;

 private:
  std::map<std::string, Flow, std::less<>> by_locale_;
};

}  // namespace passerelle::help
