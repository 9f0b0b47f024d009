// The directory HSDS JSON format (docs/data-formats.md): the whole HSDS importer, dry runs in
// both modes on a real SQLite database.
#include "import_support.h"

using namespace passerelle;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)fuzz::ImportDatabase();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::DryRunImport(directory::Format::kHsds, fuzz::Text(data, size));
  return 0;
}
