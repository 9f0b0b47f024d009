#pragma once

#include <string>

namespace passerelle::help {

// `passerelle flow check FILE`: problems with file and line on stderr; 1 on any problem. The
// French reference flows are read under `assets_dir`/content/flows/.
int RunFlowCheck(const std::string& file, const std::string& assets_dir);

}  // namespace passerelle::help
