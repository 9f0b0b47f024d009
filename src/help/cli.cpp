#include "help/cli.h"

#include <iostream>

#include "help/flow_file.h"

namespace passerelle::help {

int RunFlowCheck(const std::string& file, const std::string& assets_dir) {
  const auto problems = help::CheckFlowFile(file, assets_dir);
  for (const auto& p : problems) std::cerr << p.ToString() << "\n";
  if (!problems.empty()) {
    std::cerr << problems.size() << " problem(s)\n";
    return 1;
  }
  std::cout << file << ": no problem\n";
  return 0;
}

}  // namespace passerelle::help
