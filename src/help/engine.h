#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "help/flow.h"

namespace passerelle::help {

// Answers by node id. Values: a code (choice), a list of codes (multi_choice), a text (text), an
// object (location: {postal_code} | {commune} | {lat, lon}; contact: see docs/help-flow.md).
using Answers = std::map<std::string, nlohmann::json>;

// Where a person is in a flow. It travels in the flow token, never stored on the server.
struct FlowState {
  std::string flow_id;
  int flow_version = 0;
  std::string current;               // node shown now
  std::vector<std::string> history;  // nodes passed before `current`, oldest first
  Answers answers;                   // only nodes of history (and `current` after a "Retour")
  // On the end node: the services proposed to her, so that the report page accepts only one of
  // them (set by the help pages when they render the end node; empty everywhere else).
  std::vector<std::string> proposed;
  // The run: 32 random bytes born when the flow starts (the first FlowTokens::Seal of a state
  // without one) and carried by every later token of that run, whatever Back, "Retour" or
  // resubmission. The referral derives from it the follow-up code (never stored) and the keyed
  // hash that recognises a resubmission (docs/referral.md). Empty only before the first seal.
  std::string run_secret;

  bool operator==(const FlowState&) const = default;
};

// The fields sent for the current node, by name (form fields, or the JSON answer normalised):
//   choice, multi_choice, text: "answer";  location: "place", or "lat" and "lon";
//   contact: "channel", "times", "voicemail", "identify", "code_word", "if_other".
using Submission = std::map<std::string, std::vector<std::string>>;

// Why an answer was refused: the field to link the error summary to, and a message for the
// person (the node's `error` text when the flow gives one).
struct AnswerError {
  std::string field;
  std::string message;
};

struct StepOutcome {
  FlowState state;                   // the next state, or the unchanged state on error
  std::optional<AnswerError> error;
};

// The help flow as a pure state machine: no I/O, no clock, no HTTP. The same state and
// submission always give the same outcome, so replaying a step (browser resubmission, a second
// instance) is harmless.
class Engine {
 public:
  explicit Engine(const Flow& flow) : flow_(flow) {}

  FlowState Start() const;
  // Whether `state` was made by this flow and version, and stands on one of its nodes.
  bool Accepts(const FlowState& state) const;
  // Requires Accepts(state).
  const Node& Current(const FlowState& state) const;
  StepOutcome Answer(const FlowState& state, const Submission& submission) const;
  // One question back ("Retour"); the answer given there is kept to pre-fill the page.
  FlowState Back(const FlowState& state) const;

  // Codes of the contact node's fields (stable, in reports).
  static const std::vector<std::string>& ContactChannels();
  static const std::vector<std::string>& ContactTimes();
  static const std::vector<std::string>& IfOtherAnswers();
  static constexpr std::size_t kMaxCodeWordLength = 40;
  static constexpr std::size_t kMaxCommuneLength = 80;

 private:
  std::string NextOf(const Node& node, const Answers& answers) const;
  const Flow& flow_;
};

// Number of Unicode code points of UTF-8 text (what a person counts as characters).
std::size_t CountCharacters(std::string_view utf8);

}  // namespace passerelle::help
