#pragma once
// Wording of the fixed answer codes of the contact question, shared by the question pages
// (src/help, worded for her) and the report (src/referral, worded for the professional).

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace passerelle::help {

struct CodeLabel {
  const char* code;
  const char* label;
};

// The label of `code` in `labels`, or the code itself when unknown.
template <std::size_t N>
std::string LabelOf(const CodeLabel (&labels)[N], const std::string& code) {
  for (const CodeLabel& l : labels) {
    if (code == l.code) return l.label;
  }
  return code;
}

// A JSON answer holding one string or a list of strings, as strings (anything else is skipped).
inline std::vector<std::string> Strings(const nlohmann::json& value) {
  std::vector<std::string> out;
  if (value.is_string()) out.push_back(value.get<std::string>());
  if (value.is_array()) {
    for (const auto& item : value) {
      if (item.is_string()) out.push_back(item.get<std::string>());
    }
  }
  return out;
}

}  // namespace passerelle::help
