// The directory CSV format (docs/data-formats.md): directory::ParseCsv (RFC 4180 reader) and the
// whole CSV importer, dry runs in both modes on a real SQLite database. Property of the reader:
// a file of records formatted by FormatCsvRecord reads back to the same fields.
#include "import_support.h"

#include "directory/csv.h"

using namespace passerelle;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)fuzz::ImportDatabase();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::Text(data, size);
  if (const auto records = directory::ParseCsv(text); records.ok()) {
    std::string again;
    std::vector<std::vector<std::string>> fields;
    for (const auto& record : records.value()) {
      // Blank lines are skipped: a record of one empty field does not survive a round trip.
      if (record.fields.size() == 1 && record.fields.front().empty()) continue;
      again += directory::FormatCsvRecord(record.fields);
      fields.push_back(record.fields);
    }
    // A byte order mark is skipped at the start of a file only.
    if (again.rfind("\xEF\xBB\xBF", 0) == 0) again.insert(0, "\xEF\xBB\xBF");
    const auto reread = directory::ParseCsv(again);
    FUZZ_CHECK(reread.ok() && reread.value().size() == fields.size());
    for (std::size_t i = 0; i < fields.size(); ++i) FUZZ_CHECK(reread.value()[i].fields == fields[i]);
  }
  fuzz::DryRunImport(directory::Format::kCsv, text);
  return 0;
}
