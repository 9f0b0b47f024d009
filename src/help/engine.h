#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
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
  // What this run has already counted for the statistics (HelpService): "flow_completed",
  // "minor_redirected", "emergency_exit" and "no_match:need:<needs>|<commune>", so that "Retour" then
  // "Continuer", or her results shown again, count nothing twice. Kept by every later token of
  // the run, like `run_secret`.
  std::vector<std::string> counted;

  bool operator==(const FlowState&) const = default;
};

// The fields sent for the current node, by name (form fields, or the JSON answer normalised):
//   choice, multi_choice, text: "answer";  location: "place", or "lat" and "lon";
//   contact: "channel", "times", "voicemail", "identify", "code_word", "if_other".
using Submission = std::map<std::string, std::vector<std::string>>;

// Why an answer was refused: the field to link the error summary to, and a message for the
// person (the node's `error` text when the flow gives one).
// A commune she may pick when the place she typed is ambiguous or misspelt.
struct PlaceOption {
  std::string insee_code;  // "62108"
  std::string label;       // "Berck (62600)"
};

struct AnswerError {
  std::string field;
  std::string message;
  std::vector<PlaceOption> places;  // location: the communes she may have meant
};

// Checks a location answer ({postal_code} | {commune} | {insee} | {lat, lon}) against the
// gazetteer: the answer to store (the commune resolved), or why it is refused. In-memory and
// deterministic, so the engine stays pure (help/place.h builds one).
using PlaceResolver = std::function<std::variant<nlohmann::json, AnswerError>(const nlohmann::json& given)>;

struct StepOutcome {
  FlowState state;  // the next state, or the unchanged state on error
  std::optional<AnswerError> error;
};

// The help flow as a pure state machine: no I/O, no clock, no HTTP. The same state and
// submission always give the same outcome, so replaying a step (browser resubmission, a second
// instance) is harmless.
class Engine {
 public:
  explicit Engine(const Flow& flow, PlaceResolver place_resolver = {})
      : flow_(flow), place_resolver_(std::move(place_resolver)) {}

  FlowState Start() const;
  // Whether `state` was made by this flow and version, and stands on one of its nodes.
  bool Accepts(const FlowState& state) const;
  // Requires Accepts(state).
  const Node& Current(const FlowState& state) const;
  StepOutcome Answer(const FlowState& state, const Submission& submission) const;
  // One question back ("Retour"); the answer given there is kept to pre-fill the page.
  FlowState Back(const FlowState& state) const;
  // The optional place field of the emergency and youth pages (nearest police station, the
  // territory's youth services): stays on the page, with the place stored under its node id.
  // An empty place removes it. Other nodes refuse it.
  StepOutcome Locate(const FlowState& state, const Submission& submission) const;

  // Codes of the contact node's fields (stable, in reports).
  static const std::vector<std::string>& ContactChannels();
  static const std::vector<std::string>& ContactTimes();
  static const std::vector<std::string>& IfOtherAnswers();
  static constexpr std::size_t kMaxCodeWordLength = 40;
  static constexpr std::size_t kMaxCommuneLength = 80;

 private:
  std::string NextOf(const Node& node, const Answers& answers) const;
  // The location fields of `submission` as an answer; nullopt and no error: nothing given.
  std::variant<std::optional<nlohmann::json>, AnswerError> ReadPlace(const Node& node,
                                                                     const Submission& submission) const;
  const Flow& flow_;
  PlaceResolver place_resolver_;
};

// `node` as worded for this run: when she asks for someone else (answer `relative` or
// `professional` to `who`), the node's relative_* wording replaces the first-person one where
// the flow gives it.
Node WordedFor(const Node& node, const Answers& answers);

// Whether this run may end in a referral: not when she said she only wants a name
// (contact "none"). The report pages (src/referral) refuse a referral otherwise.
bool AllowsReferral(const FlowState& state);

// Number of Unicode code points of UTF-8 text (what a person counts as characters).
std::size_t CountCharacters(std::string_view utf8);

}  // namespace passerelle::help
