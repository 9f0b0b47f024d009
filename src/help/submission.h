#pragma once

#include <nlohmann/json.hpp>

#include <optional>

#include "help/engine.h"

namespace passerelle::help {

// The "answer" of a POST /api/v1/help body as the form-like fields the engine takes: "code" or
// ["a", "b"] → answer; {"place": …, "times": [...]} → one field per key (booleans as "yes"/"no",
// numbers as written). Nothing when its shape is not one of these (the API answers 400).
std::optional<Submission> SubmissionFromJson(const nlohmann::json& answer);

}  // namespace passerelle::help
