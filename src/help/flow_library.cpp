#include "help/flow_file.h"

#include <yaml-cpp/yaml.h>

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

std::string WordingOverride(const Flow& base, const std::vector<NodeWording>& wording) {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "overrides" << YAML::Value << base.id << YAML::Key << "locale" << YAML::Value
      << base.locale << YAML::Key << "nodes" << YAML::Value << YAML::BeginSeq;
  for (const NodeWording& w : wording) {
    const Node* node = base.Find(w.node);
    if (node == nullptr) continue;
    out << YAML::BeginMap << YAML::Key << "id" << YAML::Value << w.node;
    if (w.text) out << YAML::Key << "text" << YAML::Value << YAML::DoubleQuoted << *w.text;
    if (w.hint) out << YAML::Key << "hint" << YAML::Value << YAML::DoubleQuoted << *w.hint;
    bool any_label = false;
    for (const auto& [code, label] : w.labels) {
      if (node->FindChoice(code) == nullptr) continue;
      if (!any_label) out << YAML::Key << "choices" << YAML::Value << YAML::BeginSeq;
      any_label = true;
      out << YAML::BeginMap << YAML::Key << "code" << YAML::Value << code << YAML::Key << "label" << YAML::Value
          << YAML::DoubleQuoted << label << YAML::EndMap;
    }
    if (any_label) out << YAML::EndSeq;
    out << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  return out.c_str();
}

std::optional<Flow> LoadTerritoryFlow(const fs::path& content_dir, const std::string& territory,
                                      const std::string& locale, const std::vector<NodeWording>& web,
                                      const std::string& web_file, std::vector<Problem>& problems) {
  const fs::path path = content_dir / "flows" / (locale + ".yaml");
  if (!fs::exists(path)) {
    problems.push_back(Problem{path.string(), 0, "no flow file for locale \"" + locale + "\""});
    return std::nullopt;
  }
  auto flow = LoadFlowFile(path, problems);
  if (!flow) return std::nullopt;
  if (flow->locale != locale) problems.push_back(Problem{path.string(), 0, "locale must be \"" + locale + "\""});
  if (!territory.empty()) {
    const fs::path override_path = content_dir / "territories" / territory / "flows" / (locale + ".yaml");
    if (fs::exists(override_path)) {
      const auto text = ReadTextFile(override_path);
      if (!text) {
        problems.push_back(Problem{override_path.string(), 0, "cannot read the file"});
      } else if (auto merged = ApplyOverride(*flow, *text, override_path.string(), problems)) {
        flow = std::move(merged);
      }
    }
  }
  if (!web.empty()) {
    if (auto merged = ApplyOverride(*flow, WordingOverride(*flow, web), web_file, problems)) flow = std::move(merged);
  }
  CheckFlow(*flow, problems);
  return flow;
}

FlowLibrary FlowLibrary::Load(const fs::path& content_dir, const std::string& territory, std::vector<Problem>& problems,
                              const WebWording& web) {
  Flows flows;
  std::optional<Flow> reference;
  for (const char* locale : {"fr", "en", "ar"}) {
    const fs::path path = content_dir / "flows" / (std::string(locale) + ".yaml");
    if (!fs::exists(path)) {
      if (std::string_view(locale) == "fr")
        problems.push_back(Problem{path.string(), 0, "the French flow is required"});
      continue;
    }
    const auto worded = web.find(std::string_view(locale));
    auto flow = LoadTerritoryFlow(content_dir, territory, locale,
                                  worded == web.end() ? std::vector<NodeWording>{} : worded->second,
                                  "console wording (" + std::string(locale) + ")", problems);
    if (!flow) continue;
    if (reference) {
      CheckTranslation(*flow, *reference, problems);
    } else {
      reference = *flow;
    }
    flows.emplace(locale, std::move(*flow));
  }
  FlowLibrary library;
  library.by_locale_ = std::make_shared<const Flows>(std::move(flows));
  return library;
}

FlowLibrary FlowLibrary::FromFlows(std::vector<Flow> flows) {
  Flows by_locale;
  for (Flow& flow : flows) {
    const std::string locale = flow.locale;
    by_locale.emplace(locale, std::move(flow));
  }
  FlowLibrary library;
  library.by_locale_ = std::make_shared<const Flows>(std::move(by_locale));
  return library;
}

std::shared_ptr<const FlowLibrary::Flows> FlowLibrary::Current() const {
  const std::lock_guard lock(*mutex_);
  return by_locale_;
}

void FlowLibrary::Replace(const FlowLibrary& other) {
  auto flows = other.Current();
  const std::lock_guard lock(*mutex_);
  by_locale_ = std::move(flows);
}

std::shared_ptr<const Flow> FlowLibrary::For(std::string_view locale) const {
  const auto flows = Current();
  auto it = flows->find(locale);
  if (it == flows->end()) it = flows->find(std::string_view("fr"));
  assert(it != flows->end() && "FlowLibrary without a French flow");
  return std::shared_ptr<const Flow>(flows, &it->second);  // shares the ownership of the whole set
}

}  // namespace passerelle::help
