#include "directory/demo.h"

#include <algorithm>

namespace passerelle::directory {

namespace {

constexpr std::string_view kHsdsSuffix = ".hsds.json";
constexpr std::string_view kCsvSuffix = ".csv";

}  // namespace

core::Result<std::vector<DemoFileReport>> LoadDemoDirectory(storage::Database& db, const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  if (ec) {
    return core::Error{core::ErrorCode::kNotFound, "dossier de démonstration illisible : " + dir.string(),
                       "directory demo: cannot list " + dir.string()};
  }
  std::sort(files.begin(), files.end());
  std::vector<DemoFileReport> out;
  for (const std::filesystem::path& file : files) {
    const std::string name = file.filename().string();
    Format format;
    std::string slug;
    if (name.ends_with(kHsdsSuffix)) {
      format = Format::kHsds;
      slug = name.substr(0, name.size() - kHsdsSuffix.size());
    } else if (name.ends_with(kCsvSuffix)) {
      format = Format::kCsv;
      slug = name.substr(0, name.size() - kCsvSuffix.size());
    } else {
      continue;  // README and the like
    }
    auto report = ImportDirectory(db, format, slug, file, ImportMode::kAllOrNothing, DryRun::kNo);
    if (!report) {
      core::Error error = report.error();
      error.public_message = name + " : " + error.public_message;
      return error;
    }
    if (!report.value().rejected.empty()) {
      std::string reasons;
      // For the command line (`passerelle demo`): English, like the import's (docs/data-formats.md).
      for (const Rejection& r : report.value().rejected) reasons += "\n  " + r.Where() + ": " + r.reason;
      const std::size_t count = report.value().rejected.size();
      return core::Error{
          core::ErrorCode::kInvalidInput,
          name + ": " + std::to_string(count) + (count == 1 ? " rejected entry" : " rejected entries") + reasons,
          "directory demo: rejected entries in " + name};
    }
    out.push_back(DemoFileReport{file, slug, std::move(report).value()});
  }
  return out;
}

}  // namespace passerelle::directory
