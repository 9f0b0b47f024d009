#pragma once

#include <filesystem>
#include <map>
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

// All sheets: national ones under `<content>/sheets/<locale>/`, and territory sheets under
// `<content>/territories/<slug>/sheets/<locale>/`, which add a sheet or replace the national one
// of the same slug for that territory only. Immutable once loaded; shared by request threads.
class SheetLibrary {
 public:
  // Reads and checks every sheet; `problems` gets every problem (file, line, reason). A library
  // with problems must not be served.
  static SheetLibrary Load(const std::filesystem::path& content_dir, std::vector<Problem>& problems);

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

}  // namespace passerelle::content
