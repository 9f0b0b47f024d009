// Flow files (content/flows/<locale>.yaml and territory overrides, docs/help-flow.md), read at
// start-up and by `passerelle flow check`: help::ParseFlow, CheckFlow, CheckTranslation, and
// IsOverride / ApplyOverride over the French flow. A flow that passes every check is walked by
// the engine from its start (first choice each time) to make sure the checks' promises hold:
// no dead end, every node reachable.
#include "help_flow_support.h"

using namespace passerelle;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)fuzz::Flows();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::Text(data, size);
  const help::Flow& french = *fuzz::Flows().For("fr");  // held by the library, never replaced here
  std::vector<help::Problem> problems;
  std::optional<help::Flow> flow;
  if (help::IsOverride(text)) {
    flow = help::ApplyOverride(french, text, "fuzz.yaml", problems);
  } else {
    flow = help::ParseFlow(text, "fuzz.yaml", problems);
  }
  for (const auto& p : problems) (void)p.ToString();
  if (!flow) return 0;
  problems.clear();
  help::CheckFlow(*flow, problems);
  help::CheckTranslation(*flow, french, problems);
  if (!problems.empty()) return 0;
  // A flow without problems: the engine never meets an unknown node on the way.
  const help::Engine engine(*flow);
  help::FlowState state = engine.Start();
  for (int step = 0; step < 64; ++step) {
    FUZZ_CHECK(engine.Accepts(state));
    const help::Node& node = engine.Current(state);
    help::Submission submission;
    if (!node.choices.empty()) submission["answer"] = {node.choices.front().code};
    const help::StepOutcome outcome = engine.Answer(state, submission);
    if (outcome.error || outcome.state.current == state.current) break;
    state = outcome.state;
  }
  return 0;
}
