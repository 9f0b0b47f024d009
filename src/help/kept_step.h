#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "help/engine.h"

namespace passerelle::help {

// What her POST /aide/questions keeps in her draft for the GET that follows (Post/Redirect/Get,
// ADR 0011 and its addendum of session 13): the step, not its page. The GET builds the page
// again from the flow. A few hundred bytes, sealed in her draft with the rest of it.
struct KeptStep {
  std::string locale;
  std::string token;                   // the flow token of the step shown (its run, counted events)
  std::optional<AnswerError> error;    // her answer refused: the page comes back with it (400)
  std::optional<std::string> expired;  // or the message of the expired page (no token then)
};

// Format 2 (format 1, before session 13, kept the whole page: template, data, status, locale).
inline constexpr int kKeptStepFormat = 2;

nlohmann::json KeptStepJson(const KeptStep& step);
// The step kept, or nothing: not an object of format 2 (an older format, or damaged), no locale,
// neither a token nor an expired page's message.
std::optional<KeptStep> ReadKeptStep(const nlohmann::json& kept);

}  // namespace passerelle::help
