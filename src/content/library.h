#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "content/search.h"
#include "content/sheet.h"

namespace passerelle::content {

// Topic codes of sheets and their French labels, in display order.
const std::vector<std::pair<std::string, std::string>>& Topics();

// `text` with each group of numbers separated by spaces ("116 006", "0800 235 236") isolated
// left-to-right (U+2066 … U+2069), so that right-to-left text keeps the digits' order. Applied to
// the title, summary and body of the Arabic sheets at load.
std::string IsolateNumberGroups(const std::string& text);

// Domains a sheet may cite as a source (and their subdomains).
bool IsOfficialSourceUrl(const std::string& url);

// A territory's sheet given from the territory console (table territory_sheet, migration 0021,
// docs/territory-console.md "Local sheets"): its whole text, front matter then Markdown, exactly
// as a file under content/territories/<territory>/sheets/<locale>/<slug>.md would hold it.
struct LocalSheet {
  std::string territory;
  std::string locale;
  std::string slug;
  std::string text;
};

// The name a local sheet's problems and its Sheet::file carry: "console:<territory>/<locale>/<slug>".
std::string LocalSheetName(const std::string& territory, const std::string& locale, const std::string& slug);
// Whether `sheet` was given from the console (a LocalSheet) rather than read from a file.
bool IsConsoleSheet(const Sheet& sheet);
// A sheet's slug: lower-case letters, digits and single hyphens ("porter-plainte").
bool IsValidSheetSlug(const std::string& slug);

// All sheets: national ones under `<content>/sheets/<locale>/`, and territory sheets under
// `<content>/territories/<slug>/sheets/<locale>/`, which add a sheet or replace the national one
// of the same slug for that territory only, then the console's `local` sheets, which replace a
// territory's file of the same slug and locale (the files first, then the database). Immutable
// once loaded; shared by request threads.
class SheetLibrary {
 public:
  // Reads and checks every sheet; `problems` gets every problem (file, line, reason). A library
  // with problems must not be served. The same checks for files (`passerelle content check`) and
  // for the console's sheets.
  static SheetLibrary Load(const std::filesystem::path& content_dir, std::vector<Problem>& problems,
                           const std::vector<LocalSheet>& local = {});

  // The sheet for `locale` and `territory` ("" = national): the territory's version if any,
  // else the national one.
  const Sheet* Find(const std::string& locale, const std::string& territory, const std::string& slug) const;
  // Every sheet visible for `locale` and `territory`, national sheets replaced by overrides.
  std::vector<const Sheet*> All(const std::string& locale, const std::string& territory) const;
  // Best matches for a query among All(locale, territory).
  std::vector<const Sheet*> Search(const std::string& locale, const std::string& territory, const std::string& query,
                                   std::size_t limit) const;
  // Slugs that have a version in `locale` (for language links).
  bool HasLocale(const std::string& slug, const std::string& locale) const;

  std::size_t size() const { return sheets_.size(); }

 private:
  std::vector<Sheet> sheets_;
  SearchIndex index_;  // document i is sheets_[i]
};

// The library a server serves. A coordinator's saved sheet replaces it at once (Replace, from the
// console's reload hook); a request keeps the library it started with (Current holds it).
class ServedSheets {
 public:
  explicit ServedSheets(SheetLibrary library);
  std::shared_ptr<const SheetLibrary> Current() const;
  void Replace(SheetLibrary library);

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const SheetLibrary> current_;
};

}  // namespace passerelle::content
