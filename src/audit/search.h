#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"

// Reading the audit log page by page, with filters, for the console's audit log viewer (issue 11
// §5, docs/territory-console.md "Audit log"). The log stores no territory: an entry belongs to a
// territory through its object, resolved when reading —
//   territory:<slug>       that territory;
//   organization:<id>      the organisation's territory (table organization);
//   referral:<id>          the referral's current territory (table referral);
//   account:<id>           the coordinator's territory, or the territory of an organisation the
//                          account is a member of (tables account, membership).
// Entries with another object (an empty one: a CLI export, a failed login of an unknown address)
// belong to no territory: operators only see them.
namespace passerelle::audit {

struct SearchFilter {
  std::optional<std::string> territory;  // only the entries of this territory (see above)
  long long from_at = 0;                 // Unix seconds, inclusive
  std::optional<long long> to_at;        // Unix seconds, exclusive
  std::string action;                    // exact; "" = any
  std::string actor;                     // exact; "" = any
  std::string object;                    // exact; "" = any
};

struct FoundEntry {
  long long seq = 0;
  long long at = 0;
  std::string actor, action, object, detail;
};

struct SearchPage {
  std::vector<FoundEntry> entries;  // newest first
  bool has_more = false;            // a next page exists
};

// Page `page` (0 = newest) of `page_size` entries matching `filter`.
SearchPage Search(storage::Database& db, const SearchFilter& filter, int page, int page_size);

// The actions present in the log, sorted (the choices of the viewer's filter).
std::vector<std::string> Actions(storage::Database& db);

}  // namespace passerelle::audit
