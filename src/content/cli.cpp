#include "content/cli.h"

#include <filesystem>
#include <iostream>
#include <vector>

#include "content/library.h"

namespace passerelle::content {

int RunContentCheck(const std::string& assets_dir) {
  std::vector<content::Problem> problems;
  const content::SheetLibrary library =
      content::SheetLibrary::Load(std::filesystem::path(assets_dir) / "content", problems);
  for (const auto& p : problems) std::cerr << p.ToString() << "\n";
  if (!problems.empty()) {
    std::cerr << problems.size() << " problem(s)\n";
    return 1;
  }
  std::cout << library.size() << " sheets checked, no problem\n";
  return 0;
}

}  // namespace passerelle::content
