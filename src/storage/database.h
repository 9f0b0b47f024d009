#pragma once

#include <soci/soci.h>

#include <cstddef>
#include <exception>
#include <memory>
#include <optional>
#include <string>

#include "core/config.h"

namespace passerelle::storage {

// The one database interface of Passerelle: a SOCI connection pool over SQLite (embedded
// default: WAL, synchronous=FULL, foreign keys, busy timeout) or PostgreSQL (several servers,
// synchronous_commit=on). Domains write portable SQL with `:name` placeholders and typed
// into()/use(); they never branch on the backend.
class Database {
 public:
  static std::unique_ptr<Database> Open(const core::DatabaseUrl& url, std::size_t pool_size);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  core::DatabaseBackend backend() const { return backend_; }
  soci::connection_pool& pool() { return *pool_; }

  // True when a trivial query answers.
  bool Ping();

  // How a commit reaches the disk. kDurable (every record that matters: referrals, accounts,
  // the directory, the audit chain): the commit returns once it is on the disk (SQLite
  // synchronous=FULL, PostgreSQL synchronous_commit=on). kRelaxed, for short-lived records that
  // may be lost with the machine's power but never half-written (her sealed drafts, the
  // statistics' counters): on SQLite the transaction runs on a connection of its own pool opened
  // with synchronous=NORMAL (the WAL is not synced at its commit: a crash of the process loses
  // nothing, a power cut may lose the last such commits); on PostgreSQL, `SET LOCAL
  // synchronous_commit = off`. docs/crash-safety.md.
  enum class Durability { kDurable, kRelaxed };

  // Runs `work(session)` in a transaction that is committed when `work` returns and rolled back
  // when it throws. Returns what `work` returns once the commit has returned (durable unless
  // `durability` is kRelaxed).
  template <typename Work>
  auto InTransaction(Work&& work, Durability durability = Durability::kDurable) {
    const bool relaxed_pool = durability == Durability::kRelaxed && relaxed_pool_ != nullptr;
    soci::session sql(relaxed_pool ? *relaxed_pool_ : *pool_);
    Transaction tx(sql, backend_, Access::kWrite, durability);
    if constexpr (std::is_void_v<decltype(work(sql))>) {
      work(sql);
      tx.Commit();
    } else {
      auto result = work(sql);
      tx.Commit();
      return result;
    }
  }

  // What a transaction does: kWrite takes SQLite's write lock at once; kRead only reads, from one
  // snapshot, and never blocks a writer (SQLite: a deferred BEGIN under WAL; PostgreSQL:
  // REPEATABLE READ, READ ONLY). For long reads that must not hold the write lock, such as an
  // import's dry run (docs/territory-console.md "Import").
  enum class Access { kWrite, kRead };

  // Explicit transaction on a leased session. SQLite transactions that will write start with
  // BEGIN IMMEDIATE so that two writers never deadlock on a lock upgrade.
  class Transaction {
   public:
    Transaction(soci::session& sql, core::DatabaseBackend backend, Access access = Access::kWrite,
                Durability durability = Durability::kDurable);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void Commit();

   private:
    soci::session& sql_;
    bool done_ = false;
  };

 private:
  Database(core::DatabaseBackend backend, std::size_t pool_size);
  core::DatabaseBackend backend_;
  std::unique_ptr<soci::connection_pool> pool_;
  std::unique_ptr<soci::connection_pool> relaxed_pool_;  // SQLite only: synchronous=NORMAL
};

// A message about a database exception that is safe to log: the backend's own message, without
// the statement text or bound values that SOCI may append (they can hold personal data).
std::optional<std::string> DescribeDatabaseError(const std::exception& e);

}  // namespace passerelle::storage

namespace soci {

// SOCI 4.0 has no std::optional support: map it to an indicator.
template <typename T>
struct type_conversion<std::optional<T>> {
  typedef typename type_conversion<T>::base_type base_type;
  static void from_base(const base_type& in, indicator ind, std::optional<T>& out) {
    if (ind == i_null) {
      out.reset();
    } else {
      T value;
      type_conversion<T>::from_base(in, ind, value);
      out = std::move(value);
    }
  }
  static void to_base(const std::optional<T>& in, base_type& out, indicator& ind) {
    if (in) {
      type_conversion<T>::to_base(*in, out, ind);
    } else {
      ind = i_null;
    }
  }
};

}  // namespace soci
