#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "referral/repository.h"
#include "storage/database.h"

// The delays of the referral jobs of one territory, as its coordinators set them
// (issue 4 §6 "delays configurable per territory"; docs/jobs.md). Without a row of its own a
// territory uses the defaults of `Delays`.
namespace passerelle::referral {

// What a coordinator may choose, in Paris days (docs/jobs.md explains each bound).
struct DelayBounds {
  int min;
  int max;
};
inline constexpr DelayBounds kReminderBounds{1, 14};
inline constexpr DelayBounds kEscalationBounds{1, 30};
inline constexpr DelayBounds kExpiryBounds{14, 365};
inline constexpr DelayBounds kRetentionBounds{1, 90};

// The form as typed (field names of the page).
struct DelaysForm {
  std::string reminder_days;
  std::string escalation_days;
  std::string expiry_days;
  std::string retention_days;
};

struct DelayError {
  std::string field;    // the form field: reminder_days, escalation_days, expiry_days, retention_days
  std::string message;  // French, for the page's error summary and the field
};

struct CheckedDelays {
  Delays delays;  // meaningful only without errors
  std::vector<DelayError> errors;
};

// Each value a whole number of days within its bounds; the coordinators' alert not before the
// reminder to the organization; expiry after that alert. One error per field at most.
CheckedDelays CheckDelays(const DelaysForm& form);

class TerritoryDelays {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  explicit TerritoryDelays(storage::Database& db) : db_(db) {}

  // The territory's own delays; nothing when it uses the defaults.
  std::optional<Delays> Stored(const std::string& territory_slug);
  // Saves `delays` (nothing: back to the defaults) and appends the audit entry
  // `territory.delays` by `actor` in the same transaction. `delays` must have passed CheckDelays.
  void Save(const std::string& actor, const std::string& territory_slug, const std::optional<Delays>& delays,
            TimePoint now);

 private:
  storage::Database& db_;
};

// "reminder=2 escalation=3 expiry=90 retention=30": the audit detail of a set of delays.
std::string DescribeDelays(const Delays& delays);

}  // namespace passerelle::referral
