#include "audit/audit_log.h"

#include <limits>
#include <stdexcept>

#include "core/crypto.h"
#include "core/error.h"
#include "core/unix_time.h"

namespace passerelle::audit {

namespace {

using core::UnixSeconds;

constexpr std::size_t kHashBytes = 32;
// Longer details are cut: a detail is a short code ("new->acknowledged"), never free text.
constexpr std::size_t kMaxDetailBytes = 200;
constexpr std::size_t kMaxFieldBytes = 200;

constexpr const char* kLockHead = "UPDATE audit_head SET last_seq = last_seq + 1 WHERE id = 1";
constexpr const char* kSelectHead = "SELECT last_seq, last_hash, anchor_seq, anchor_hash FROM audit_head WHERE id = 1";
constexpr const char* kInsertEntry =
    "INSERT INTO audit_log (seq, at, actor, action, object, detail, prev_hash, hash)"
    " VALUES (:seq, :at, :actor, :action, :object, :detail, :prev_hash, :hash)";
constexpr const char* kSetLastHash = "UPDATE audit_head SET last_hash = :hash WHERE id = 1";
constexpr const char* kSelectEntriesUpTo =
    "SELECT seq, at, actor, action, object, detail, prev_hash, hash FROM audit_log"
    " WHERE seq <= :upto ORDER BY seq";
constexpr const char* kFirstSeqFrom = "SELECT MIN(seq) FROM audit_log WHERE at >= :cutoff";
constexpr const char* kDeleteUpTo = "DELETE FROM audit_log WHERE seq <= :upto";
constexpr const char* kSetAnchor = "UPDATE audit_head SET anchor_seq = :seq, anchor_hash = :hash WHERE id = 1";

// Cuts `text` to at most `max` bytes without splitting a UTF-8 sequence.
std::string Truncated(const std::string& text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

void AppendField(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ';';
}

Head SelectHead(soci::session& sql) {
  Head head;
  sql << kSelectHead, soci::into(head.last_seq), soci::into(head.last_hash), soci::into(head.anchor_seq),
      soci::into(head.anchor_hash);
  if (!sql.got_data()) {
    throw core::InfrastructureError("audit log: the head row is missing (migration 0005)");
  }
  return head;
}

Verification Bad(Verification v, long long seq, std::string reason) {
  v.ok = false;
  v.first_bad_seq = seq;
  v.reason = std::move(reason);
  return v;
}

// Walks the entries with seq <= `upto` in order, from the entry after `from_seq` (which must link
// to `from_hash`) to `to_seq` (which must be the last one, with hash `to_hash` when given).
Verification Walk(soci::session& sql, long long from_seq, const std::string& from_hash, long long to_seq,
                  const std::optional<std::string>& to_hash, long long upto) {
  Verification v;
  long long seq = 0;
  long long at = 0;
  Entry e;
  std::string prev_hash;
  std::string hash;
  soci::statement st =
      (sql.prepare << kSelectEntriesUpTo, soci::into(seq), soci::into(at), soci::into(e.actor), soci::into(e.action),
       soci::into(e.object), soci::into(e.detail), soci::into(prev_hash), soci::into(hash), soci::use(upto));
  st.execute();
  long long expected = from_seq + 1;
  std::string previous = from_hash;
  while (st.fetch()) {
    if (seq <= from_seq) {
      return Bad(v, seq,
                 "entry " + std::to_string(seq) + " is at or before the retention anchor (seq " +
                     std::to_string(from_seq) + "): inserted or restored");
    }
    if (seq > to_seq) {
      return Bad(
          v, seq,
          "entry " + std::to_string(seq) + " is beyond the chain head (seq " + std::to_string(to_seq) + "): inserted");
    }
    if (seq > expected) {
      return Bad(v, expected, "entry " + std::to_string(expected) + " is missing (removed)");
    }
    if (EntryHash(seq, at, e, prev_hash) != hash) {
      return Bad(v, seq, "entry " + std::to_string(seq) + " does not match its hash (modified or moved)");
    }
    if (prev_hash != previous) {
      return Bad(
          v, seq,
          "entry " + std::to_string(seq) + " does not link to the entry before it (removed, replaced or reordered)");
    }
    previous = hash;
    ++expected;
    ++v.checked;
  }
  if (expected <= to_seq) {
    return Bad(v, expected,
               "entry " + std::to_string(expected) + " is missing (removed; the chain head records entries up to " +
                   std::to_string(to_seq) + ")");
  }
  if (to_hash && previous != *to_hash) {
    return Bad(v, to_seq, "entry " + std::to_string(to_seq) + " does not match the hash recorded in the chain head");
  }
  return v;
}

// A read-only transaction that sees one snapshot, without taking SQLite's write lock (the
// storage layer's transactions start with BEGIN IMMEDIATE) and without blocking appenders.
class Snapshot {
 public:
  Snapshot(soci::session& sql, core::DatabaseBackend backend) : sql_(sql) {
    sql_ << (backend == core::DatabaseBackend::kSqlite ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }
  ~Snapshot() {
    try {
      sql_ << "ROLLBACK";
    } catch (const soci::soci_error&) {
      // A broken connection: the server ends the transaction itself; destructors must not throw.
    }
  }
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

 private:
  soci::session& sql_;
};

}  // namespace

std::string EntryHash(long long seq, long long at, const Entry& entry, const std::string& prev_hash) {
  std::string data = "passerelle.audit.v1;";
  AppendField(data, std::to_string(seq));
  AppendField(data, std::to_string(at));
  AppendField(data, entry.actor);
  AppendField(data, entry.action);
  AppendField(data, entry.object);
  AppendField(data, entry.detail);
  AppendField(data, prev_hash);
  return core::HashHex(data, kHashBytes);
}

void Append(soci::session& sql, const Entry& entry, std::chrono::system_clock::time_point now) {
  if (entry.action.empty()) throw std::invalid_argument("audit::Append: empty action");
  const Entry stored{Truncated(entry.actor, kMaxFieldBytes), Truncated(entry.action, kMaxFieldBytes),
                     Truncated(entry.object, kMaxFieldBytes), Truncated(entry.detail, kMaxDetailBytes)};
  // The UPDATE comes first: it locks the head row until the caller's transaction ends, so that
  // appenders of every process take turns and each reads the hash its predecessor committed.
  sql << kLockHead;
  const Head head = SelectHead(sql);
  const long long seq = head.last_seq;
  const long long at = UnixSeconds(now);
  const std::string hash = EntryHash(seq, at, stored, head.last_hash);
  sql << kInsertEntry, soci::use(seq), soci::use(at), soci::use(stored.actor), soci::use(stored.action),
      soci::use(stored.object), soci::use(stored.detail), soci::use(head.last_hash), soci::use(hash);
  sql << kSetLastHash, soci::use(hash);
}

void AppendCommitted(storage::Database& db, const Entry& entry, std::chrono::system_clock::time_point now) {
  db.InTransaction([&](soci::session& sql) { Append(sql, entry, now); });
}

Head ReadHead(storage::Database& db) {
  soci::session sql(db.pool());
  return SelectHead(sql);
}

Verification Verify(storage::Database& db) {
  soci::session sql(db.pool());
  Snapshot snapshot(sql, db.backend());
  const Head head = SelectHead(sql);
  return Walk(sql, head.anchor_seq, head.anchor_hash, head.last_seq, head.last_hash,
              std::numeric_limits<long long>::max());
}

std::size_t PruneBefore(storage::Database& db, std::chrono::system_clock::time_point cutoff) {
  return db.InTransaction([&](soci::session& sql) -> std::size_t {
    // Same lock as appenders: no entry is added while the anchor moves.
    sql << "UPDATE audit_head SET last_seq = last_seq WHERE id = 1";
    const Head head = SelectHead(sql);
    const long long cutoff_s = UnixSeconds(cutoff);
    std::optional<long long> first_kept;
    sql << kFirstSeqFrom, soci::use(cutoff_s), soci::into(first_kept);
    // Only a prefix of the chain is removed (entries are ordered by seq; their times may not be
    // strictly increasing across instances), so that what is kept still links to the anchor.
    const long long upto = first_kept ? *first_kept - 1 : head.last_seq;
    if (upto <= head.anchor_seq) return 0;
    // The removed part is checked first: retention must not wash away tampering.
    const Verification removed = Walk(sql, head.anchor_seq, head.anchor_hash, upto, std::nullopt, upto);
    if (!removed.ok) {
      throw core::InfrastructureError("audit log: not pruned, the chain is broken: " + removed.reason);
    }
    std::string anchor_hash;
    sql << "SELECT hash FROM audit_log WHERE seq = :seq", soci::use(upto), soci::into(anchor_hash);
    soci::statement del = (sql.prepare << kDeleteUpTo, soci::use(upto));
    del.execute(true);
    const auto removed_count = static_cast<std::size_t>(del.get_affected_rows());
    sql << kSetAnchor, soci::use(upto), soci::use(anchor_hash);
    return removed_count;
  });
}

}  // namespace passerelle::audit
