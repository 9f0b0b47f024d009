#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "help/flow_file.h"

namespace passerelle::help::testing {

inline std::filesystem::path AssetsDir() {
  const char* assets = std::getenv("PASSERELLE_ASSETS_DIR");
  return assets != nullptr ? std::filesystem::path(assets) : std::filesystem::path(".");
}

inline std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The default French flow of content/flows/fr.yaml, parsed and checked.
inline Flow DefaultFrenchFlow() {
  std::vector<Problem> problems;
  const auto path = AssetsDir() / "content" / "flows" / "fr.yaml";
  auto flow = ParseFlow(ReadText(path), path.string(), problems);
  if (flow) CheckFlow(*flow, problems);
  std::string all;
  for (const Problem& p : problems) all += p.ToString() + "\n";
  EXPECT_TRUE(problems.empty()) << all;
  return flow.value_or(Flow{});
}

}  // namespace passerelle::help::testing
