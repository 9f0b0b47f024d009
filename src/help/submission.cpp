#include "help/submission.h"

namespace passerelle::help {

std::optional<Submission> SubmissionFromJson(const nlohmann::json& answer) {
  Submission submission;
  auto scalar = [](const nlohmann::json& v) -> std::optional<std::string> {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
    if (v.is_number()) return v.dump();
    return std::nullopt;
  };
  if (answer.is_null()) return submission;
  if (answer.is_string()) {
    submission["answer"] = {answer.get<std::string>()};
    return submission;
  }
  if (answer.is_array()) {
    for (const auto& item : answer) {
      if (!item.is_string()) return std::nullopt;
      submission["answer"].push_back(item.get<std::string>());
    }
    return submission;
  }
  if (!answer.is_object()) return std::nullopt;
  for (const auto& [key, value] : answer.items()) {
    if (value.is_array()) {
      for (const auto& item : value) {
        if (const auto s = scalar(item))
          submission[key].push_back(*s);
        else
          return std::nullopt;
      }
    } else if (const auto s = scalar(value)) {
      submission[key] = {*s};
    } else if (!value.is_null()) {
      return std::nullopt;
    }
  }
  return submission;
}

}  // namespace passerelle::help
