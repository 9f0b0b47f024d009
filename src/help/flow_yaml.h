#pragma once
// Shared by the flow files' parser (flow_file.cpp) and their loader (flow_library.cpp); not
// part of the help domain's interface.

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "help/flow_file.h"

namespace passerelle::help {

// The YAML mapping of a flow or override file; a syntax error or another shape is a problem.
std::optional<YAML::Node> LoadYaml(std::string_view text, const std::string& file, std::vector<Problem>& problems);

// The bytes of a file, or nullopt when it cannot be read.
std::optional<std::string> ReadTextFile(const std::filesystem::path& path);

}  // namespace passerelle::help
