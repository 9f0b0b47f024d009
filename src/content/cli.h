#pragma once

#include <string>

namespace passerelle::content {

// `passerelle content check`: every sheet under `assets_dir`/content/ checked without serving;
// the problems on stderr and 1, or 0 with the number of sheets.
int RunContentCheck(const std::string& assets_dir);

}  // namespace passerelle::content
