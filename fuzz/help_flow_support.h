#pragma once
// The French help flow of content/flows/fr.yaml, loaded once for the help targets.

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "fuzz_support.h"
#include "help/engine.h"
#include "help/flow_file.h"

namespace passerelle::fuzz {

inline const help::FlowLibrary& Flows() {
  static const help::FlowLibrary library = [] {
    std::vector<help::Problem> problems;
    auto loaded = help::FlowLibrary::Load(AssetsDir() / "content", "", problems);
    if (!problems.empty()) {
      for (const auto& p : problems) std::fprintf(stderr, "%s\n", p.ToString().c_str());
      std::abort();
    }
    return loaded;
  }();
  return library;
}

// What the help pages do with a state that opened: check it, show its node, go back, answer.
inline void Exercise(const help::Flow& flow, const help::FlowState& state, const help::Submission& submission) {
  const help::Engine engine(flow);
  if (!engine.Accepts(state)) return;
  (void)engine.Current(state);
  const help::FlowState back = engine.Back(state);
  FUZZ_CHECK(engine.Accepts(back));
  const help::StepOutcome outcome = engine.Answer(state, submission);
  FUZZ_CHECK(engine.Accepts(outcome.state));
  (void)engine.Current(outcome.state);
  if (outcome.error) FUZZ_CHECK(outcome.state == state);
}

}  // namespace passerelle::fuzz
