#include "help/flow_file.h"

#include <cassert>

#include "help/flow_yaml.h"

// `passerelle flow check FILE` and the flows served (FlowLibrary): files read, overrides
// applied, everything checked.
namespace passerelle::help {

namespace fs = std::filesystem;

namespace {

std::optional<Flow> LoadFlowFile(const fs::path& path, std::vector<Problem>& problems) {
  const auto text = ReadTextFile(path);
  if (!text) {
    problems.push_back(Problem{path.string(), 0, "cannot read the file"});
    return std::nullopt;
  }
  return ParseFlow(*text, path.string(), problems);
}

}  // namespace

std::vector<Problem> CheckFlowFile(const fs::path& file, const fs::path& assets_dir) {
  std::vector<Problem> problems;
  const auto text = ReadTextFile(file);
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
      if (std::string_view(locale) == "fr")
        problems.push_back(Problem{path.string(), 0, "the French flow is required"});
      continue;
    }
    auto flow = LoadFlowFile(path, problems);
    if (!flow) continue;
    if (flow->locale != locale)
      problems.push_back(Problem{path.string(), 0, "locale must be \"" + std::string(locale) + "\""});
    if (!territory.empty()) {
      const fs::path override_path =
          content_dir / "territories" / territory / "flows" / (std::string(locale) + ".yaml");
      if (fs::exists(override_path)) {
        const auto text = ReadTextFile(override_path);
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
