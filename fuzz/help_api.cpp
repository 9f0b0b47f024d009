// The JSON body of POST /api/v1/help. The handler (src/help/register.cpp) is a lambda that needs
// the whole server context, so this target fuzzes the nearest pure functions in the handler's
// order: nlohmann::json::parse of the body, the handler's shape checks, the conversion of
// "answer" to a Submission (help::SubmissionFromJson, the handler's own), then
// help::Engine::Answer / Back on the French flow. The flow token cannot be forged, so instead of opening "token" the
// target walks the flow: the input is a JSON array of bodies sent one after the other from the start node ({"answer":
// …} or {"back": true}); a single object is one body.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "help/submission.h"
#include "help_flow_support.h"

using namespace passerelle;
using nlohmann::json;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)fuzz::Flows();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  json input;
  try {
    input = json::parse(fuzz::Text(data, size));
  } catch (const json::exception&) {
    return 0;  // the handler answers 400 bad_request
  }
  const help::Flow& flow = *fuzz::Flows().For("fr");  // held by the library, never replaced here
  const help::Engine engine(flow);
  help::FlowState state = engine.Start();
  const json bodies = input.is_array() ? input : json::array({input});
  int steps = 0;
  for (const json& body : bodies) {
    if (++steps > 64) break;
    if (!body.is_object()) continue;  // 400 bad_request
    // The handler's `body.value("back", false)` throws on a non-boolean "back" (finding F5, fixed
    // by the hardening branch); the target follows the fixed behaviour: only `true` goes back.
    if (const auto back = body.find("back"); back != body.end() && back->is_boolean() && back->get<bool>()) {
      state = engine.Back(state);
      FUZZ_CHECK(engine.Accepts(state));
      continue;
    }
    const auto answer = body.find("answer");
    const auto submission = help::SubmissionFromJson(answer == body.end() ? json() : *answer);
    if (!submission) continue;  // 400 bad_request
    fuzz::Exercise(flow, state, *submission);
    const help::StepOutcome outcome = engine.Answer(state, *submission);
    state = outcome.state;
  }
  return 0;
}
