#include "directory/cli.h"

#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "core/crypto.h"
#include "directory/export.h"
#include "directory/import.h"
#include "directory/repository.h"

namespace passerelle::directory {

namespace {

namespace fs = std::filesystem;

directory::Format DirectoryFormat(const std::string& name) {
  return name == "csv" ? directory::Format::kCsv : directory::Format::kHsds;
}

// A bar on standard error, only when it is a terminal (never in logs or pipes).
directory::ProgressCallback TerminalProgress() {
  if (isatty(STDERR_FILENO) == 0) return {};
  return [](std::size_t done, std::size_t total) {
    constexpr std::size_t kWidth = 30;
    const std::size_t filled = total == 0 ? kWidth : done * kWidth / total;
    std::cerr << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, ' ') << "] " << done << "/" << total
              << (done == total ? "\n" : "") << std::flush;
  };
}

}  // namespace

int RunImport(const ImportOptions& options, const std::function<std::unique_ptr<storage::Database>()>& open_database) {
  core::InitCrypto();
  auto db = open_database();
  const directory::ImportMode mode =
      options.skip_invalid ? directory::ImportMode::kSkipInvalid : directory::ImportMode::kAllOrNothing;
  const directory::DryRun dry_run = options.dry_run ? directory::DryRun::kYes : directory::DryRun::kNo;
  const directory::Format format = DirectoryFormat(options.format);
  auto report = options.file == "-" ? directory::ImportDirectory(*db, format, options.territory, std::cin, mode,
                                                                 dry_run, TerminalProgress())
                                    : directory::ImportDirectory(*db, format, options.territory, fs::path(options.file),
                                                                 mode, dry_run, TerminalProgress());
  if (!report) {
    std::cerr << "passerelle import: nothing written: " << report.error().public_message << "\n";
    return 1;
  }
  // English like every other command (docs/data-formats.md); the reasons quoted after "line N:"
  // are the directory's own validation messages, in French as in the coordinators' forms.
  const directory::ImportReport& r = report.value();
  for (const directory::Rejection& rejection : r.rejected) {
    std::cerr << options.file << ": " << rejection.Where() << ": " << rejection.reason << "\n";
  }
  const auto count = [](std::size_t n, const std::string& noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
  };
  const std::string entry = format == directory::Format::kCsv ? "row" : "organization";
  const std::string rejected = count(r.rejected.size(), "rejection");
  if (r.written) {
    std::cout << count(r.entries, entry) << " read: " << count(r.created, "organization") << " created, " << r.updated
              << " updated, " << r.unchanged << " unchanged; " << rejected << "\n";
    return 0;
  }
  std::cout << "nothing written" << (options.dry_run ? " (--dry-run)" : "") << "; " << count(r.entries, entry)
            << " read: " << count(r.created, "organization") << " would have been created, " << r.updated
            << " updated, " << r.unchanged << " unchanged; " << rejected << "\n";
  if (!r.rejected.empty() && mode == directory::ImportMode::kAllOrNothing) {
    std::cerr << "passerelle import: " << rejected
              << ": nothing written (fix them, or use --skip-invalid to write the valid organizations)\n";
    return 1;
  }
  return 0;
}

int RunExport(const ExportOptions& options, const std::function<std::unique_ptr<storage::Database>()>& open_database) {
  core::InitCrypto();
  auto db = open_database();
  if (!options.territory.empty()) {
    soci::session sql(db->pool());
    if (!directory::DirectoryRepository(sql).TerritoryExists(options.territory)) {
      std::cerr << "passerelle export: unknown territory \"" << options.territory << "\"\n";
      return 1;
    }
  }
  std::cout << directory::ExportDirectory(
      *db, DirectoryFormat(options.format), options.territory,
      options.include_confidential ? directory::Confidential::kInclude : directory::Confidential::kRedact);
  return 0;
}

}  // namespace passerelle::directory
