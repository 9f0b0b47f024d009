#pragma once

#include <map>
#include <optional>
#include <string>

#include "storage/database.h"

// What the statistics of the territory console read of the referrals (issue 11 §4): statuses,
// outcome and reason codes, and days; never a sealed column (docs/referral.md).
namespace passerelle::referral {

struct ReferralFigures {
  long long sent = 0;                        // referrals created in the period (hand-over rows included)
  long long acknowledged = 0;                // taken in hand at some point
  long long acknowledged_in_time = 0;        // within the territory's escalation delay (days)
  long long contacted = 0;                   // marked contacted at some point
  std::map<std::string, long long> closed;   // by outcome code
  std::map<std::string, long long> refused;  // by refusal reason code
  long long handed_over = 0;
  long long expired = 0;
  std::optional<double> median_days_to_acknowledgement;
  std::optional<double> median_days_to_contact;
};

// The referrals created from `first` to `last` (inclusive "YYYY-MM-DD" days) of one territory or,
// with nothing, of all, as they stand now.
ReferralFigures ReadReferralFigures(storage::Database& db, const std::optional<std::string>& territory_slug,
                                    const std::string& first, const std::string& last);

}  // namespace passerelle::referral
