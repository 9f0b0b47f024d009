#pragma once

#include <soci/soci.h>

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.h"

// Freshness of the directory (issue 11 §3, docs/territory-console.md "Freshness"): every
// organisation is asked, at a period its territory's coordinators choose, whether its public
// information is still right. The question is a content-free e-mail (notify::Kind::kFreshness)
// with a signed, expiring link; confirming sets `organization.assured_date` to the Paris day;
// a question unanswered for more than kStaleAfterDays flags the organisation "stale".
// Tables: freshness_settings, organization_freshness (migrations/0015_freshness.sql).
namespace passerelle::directory {

using TimePoint = std::chrono::system_clock::time_point;

// Period between two questions, in months, per territory (default kDefaultPeriodMonths).
inline constexpr int kDefaultPeriodMonths = 6;
inline constexpr int kMinPeriodMonths = 1;
inline constexpr int kMaxPeriodMonths = 24;
// A question unanswered for more than this many Paris days flags the organisation stale.
inline constexpr int kStaleAfterDays = 30;
// A link stays valid this many Paris days after the e-mail that carries it (the stale window
// and as much again, so that a late answer still counts).
inline constexpr int kLinkValidDays = 60;

// The signed link's token: base64url("<organization id>|<last valid Paris day>") "."
// base64url(HMAC-SHA-256(key, "freshness.v1|" + payload)). `key`: ServerKey::Derive("fresh").
std::string FreshnessToken(std::string_view key, const std::string& organization_id, const std::string& valid_until);
// The organisation of a token whose signature is right and whose last valid day is not before
// `today` ("YYYY-MM-DD"); nothing for a forged, altered, malformed or expired one.
std::optional<std::string> OpenFreshnessToken(std::string_view key, std::string_view token, const std::string& today);
// "/pro/fraicheur/<token>": the path of the link in the e-mail (the outbox adds the public URL).
std::string FreshnessLinkPath(const std::string& token);

// One organisation of a territory as the console lists it.
struct FreshnessEntry {
  std::string organization_id;
  std::string name;
  std::string assured_date;  // "" when never checked
  std::string requested_on;  // the day of the unanswered question; "" when none is waiting
  std::string reminded_on;   // the day of the last reminder by a coordinator; "" when none
  bool stale = false;
};

struct FreshnessRun {
  std::vector<std::string> requested;  // organisation ids asked this run
  std::vector<std::string> staled;     // organisation ids flagged stale this run
  std::vector<std::string> failed;     // organisation ids whose transaction failed (retried next run)
};

class Freshness {
 public:
  // `key`: the token key (ServerKey::Derive("fresh")).
  Freshness(storage::Database& db, std::string key) : db_(db), key_(std::move(key)) {}

  // The jobs' step (docs/jobs.md): for every organisation not closed for good, starts its clock
  // the first time it is seen (no e-mail: deploying freshness does not mail every organisation
  // the same day), asks the question when the period has passed since the later of its last
  // check and that start, and flags stale the questions unanswered for more than
  // kStaleAfterDays. Each organisation in its own transaction, guarded: idempotent, and safe
  // when several instances run it at once.
  FreshnessRun Run(TimePoint now);

  // The confirmation behind the link: assured_date = the Paris day, the question and the stale
  // flag cleared, audited `organization.freshness_confirmed` (actor "anonymous", detail
  // "link"). False (nothing written) for a bad or expired token or an unknown organisation.
  // Clicking twice the same day writes nothing the second time but still answers true.
  bool Confirm(std::string_view token, TimePoint now, std::string* organization_id = nullptr);

  // The one-click reminder of the console: the e-mail again with a new link, reminded_on set,
  // audited `organization.freshness_reminded` by `actor`. False when the organisation is not in
  // `territory_slug`.
  bool Remind(const std::string& actor, const std::string& territory_slug, const std::string& organization_id,
              TimePoint now);

  // Every organisation of the territory (closed for good ones excepted), stale first, then
  // those waiting for an answer, then by name.
  std::vector<FreshnessEntry> List(const std::string& territory_slug);

  int PeriodMonths(const std::string& territory_slug);
  // Saves the period (audited `territory.freshness`, "months=6 -> 3") or, with nothing, goes
  // back to the default. The caller checked the bounds.
  void SetPeriodMonths(const std::string& actor, const std::string& territory_slug, std::optional<int> months,
                       TimePoint now);

  // The organisation's name, when it exists (for the link's page: public information).
  std::optional<std::string> NameOf(const std::string& organization_id);

 private:
  storage::Database& db_;
  std::string key_;
};

// For the console's list of actors (and anyone else): is this organisation flagged stale?
bool IsStale(soci::session& sql, const std::string& organization_id);
// The stale organisations of a territory (one query, for a list page).
std::set<std::string> StaleOrganizations(soci::session& sql, const std::string& territory_slug);

}  // namespace passerelle::directory
