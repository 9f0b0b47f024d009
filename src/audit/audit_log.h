#pragma once

#include <soci/soci.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "storage/database.h"

// The hash-chained, append-only audit log (issue 4 §7, docs/audit.md). Each entry stores the
// hash of the previous one; the hash covers seq, time, actor, action, object, detail and that
// previous hash, so a modified, removed or reordered entry breaks the chain at its place.
namespace passerelle::audit {

struct Entry {
  std::string actor;   // "account:<id>", "anonymous", "system:jobs", "cli", "person" (follow-up code holder)
  std::string action;  // e.g. login.success, login.failure, session.killed, key.granted, referral.opened,
                       // referral.status, message.sent, export, organization.changed, totp.reset, account.disabled
  std::string object;  // e.g. "referral:<id>", "organization:<id>", "account:<id>", ""
  std::string detail;  // short, never report content nor personal data (e.g. "new->acknowledged")
};

// Appends in the caller's transaction on `sql` (so the entry commits or rolls back with the change it records).
// Concurrent appenders from several processes/instances must still give one valid chain (serialize on a head row).
// The head row stays locked until the caller's transaction ends: call Append after the
// transaction's other writes and avoid slow work after it (the same lock order everywhere keeps
// PostgreSQL free of deadlocks, and appenders wait less). `sql` must be inside a transaction.
// Fields are cut at 200 bytes (UTF-8 safe); an empty action is a programming error (throws).
void Append(soci::session& sql, const Entry& entry, std::chrono::system_clock::time_point now);

struct Verification {
  bool ok = true;
  std::size_t checked = 0;
  std::optional<long long> first_bad_seq;
  std::string reason;
};
Verification Verify(storage::Database& db);

// Retention (1 year by default): removes entries older than `cutoff` and keeps the rest verifiable (anchor). Returns
// how many were removed.
std::size_t PruneBefore(storage::Database& db, std::chrono::system_clock::time_point cutoff);

// Append in a transaction of its own, for events that change nothing else (a failed login, a
// CLI export). Committed when it returns.
void AppendCommitted(storage::Database& db, const Entry& entry, std::chrono::system_clock::time_point now);

// The chain's ends as recorded in its head row: the newest entry, and the newest entry removed by
// retention (seq 0 and the genesis hash when none was). An operator may copy `last_hash` out of
// the database (for instance into the backup log): a chain rewritten from that point on would
// no longer end with it.
struct Head {
  long long last_seq = 0;
  std::string last_hash;
  long long anchor_seq = 0;
  std::string anchor_hash;
};
Head ReadHead(storage::Database& db);

// The hash of an entry (BLAKE2b-256, hex) over an unambiguous encoding of its fields; exposed for
// tests and documentation (docs/audit.md).
std::string EntryHash(long long seq, long long at, const Entry& entry, const std::string& prev_hash);

}  // namespace passerelle::audit
