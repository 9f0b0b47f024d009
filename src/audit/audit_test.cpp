// The audit chain on SQLite and PostgreSQL: a valid chain verifies, and every kind of tampering
// (a modified field, a removed entry in the middle or at the end, a reordering, an insertion) is
// named by the seq where the chain breaks; concurrent appenders give one chain; retention keeps
// the rest verifiable.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "audit/audit_log.h"
#include "audit/labels.h"
#include "audit/search.h"
#include "core/config.h"
#include "core/unix_time.h"
#include "storage/testing.h"

namespace passerelle::audit {
namespace {

using std::chrono::hours;
using std::chrono::system_clock;

const system_clock::time_point kT0 = system_clock::time_point(std::chrono::seconds(1'750'000'000));

class AuditTest : public storage::testing::BackendTest {
 protected:
  void Exec(const std::string& statement) {
    soci::session sql(db_->pool());
    sql << statement;
  }
  long long Count() {
    soci::session sql(db_->pool());
    long long n = 0;
    sql << "SELECT COUNT(*) FROM audit_log", soci::into(n);
    return n;
  }
  // Entries 1..n, one hour apart from kT0.
  void AppendMany(int n, int first = 1) {
    for (int i = first; i < first + n; ++i) {
      AppendCommitted(*db_,
                      Entry{"account:a" + std::to_string(i), "referral.status", "referral:r" + std::to_string(i),
                            "new->acknowledged"},
                      kT0 + hours(i));
    }
  }
  void ExpectBadAt(long long seq, const std::string& reason_part) {
    const Verification v = Verify(*db_);
    EXPECT_FALSE(v.ok);
    ASSERT_TRUE(v.first_bad_seq.has_value()) << v.reason;
    EXPECT_EQ(*v.first_bad_seq, seq) << v.reason;
    EXPECT_NE(v.reason.find(reason_part), std::string::npos) << v.reason;
  }
  void ExpectOk(std::size_t checked) {
    const Verification v = Verify(*db_);
    EXPECT_TRUE(v.ok) << v.reason;
    EXPECT_EQ(v.checked, checked);
    EXPECT_FALSE(v.first_bad_seq.has_value());
  }
};

TEST_P(AuditTest, EmptyChainVerifies) {
  if (IsSkipped() || HasFatalFailure()) return;
  ExpectOk(0);
  const Head head = ReadHead(*db_);
  EXPECT_EQ(head.last_seq, 0);
  EXPECT_EQ(head.anchor_seq, 0);
  EXPECT_EQ(head.last_hash, std::string(64, '0'));
}

TEST_P(AuditTest, ValidChainVerifiesAndLinksEachEntryToThePrevious) {
  if (IsSkipped() || HasFatalFailure()) return;
  AppendMany(10);
  ExpectOk(10);
  soci::session sql(db_->pool());
  std::string prev_of_2;
  std::string hash_of_1;
  sql << "SELECT prev_hash FROM audit_log WHERE seq = 2", soci::into(prev_of_2);
  sql << "SELECT hash FROM audit_log WHERE seq = 1", soci::into(hash_of_1);
  EXPECT_EQ(prev_of_2, hash_of_1);
  const Head head = ReadHead(*db_);
  EXPECT_EQ(head.last_seq, 10);
  std::string hash_of_10;
  sql << "SELECT hash FROM audit_log WHERE seq = 10", soci::into(hash_of_10);
  EXPECT_EQ(head.last_hash, hash_of_10);
}

TEST_P(AuditTest, AnEntryRollsBackWithTheChangeItRecords) {
  if (IsSkipped() || HasFatalFailure()) return;
  AppendMany(2);
  EXPECT_THROW(db_->InTransaction([&](soci::session& sql) {
    Append(sql, Entry{"cli", "export", "", ""}, kT0);
    throw std::runtime_error("the change failed");
  }),
               std::runtime_error);
  EXPECT_EQ(Count(), 2);
  AppendMany(1, 3);
  ExpectOk(3);
  EXPECT_EQ(ReadHead(*db_).last_seq, 3);
}

TEST_P(AuditTest, ModifyingAnyFieldIsCaughtAtThatEntry) {
  if (IsSkipped() || HasFatalFailure()) return;
  AppendMany(8);
  const std::vector<std::pair<std::string, std::string>> tampers = {
      {"at", "at + 1"},
      {"actor", "'account:other'"},
      {"action", "'login.success'"},
      {"object", "'referral:zzz'"},
      {"detail", "'new->closed'"},
      {"prev_hash", "'" + std::string(64, 'a') + "'"},
      {"hash", "'" + std::string(64, 'b') + "'"},
  };
  for (const auto& [column, value] : tampers) {
    SCOPED_TRACE(column);
    soci::session sql(db_->pool());
    long long at = 0;
    Entry e;
    std::string prev_hash;
    std::string hash;
    sql << "SELECT at, actor, action, object, detail, prev_hash, hash FROM audit_log WHERE seq = 4", soci::into(at),
        soci::into(e.actor), soci::into(e.action), soci::into(e.object), soci::into(e.detail), soci::into(prev_hash),
        soci::into(hash);
    sql << "UPDATE audit_log SET " + column + " = " + value + " WHERE seq = 4";
    ExpectBadAt(4, "entry 4");
    sql << "UPDATE audit_log SET at = :at, actor = :actor, action = :action, object = :object, detail = :detail,"
           " prev_hash = :prev_hash, hash = :hash WHERE seq = 4",
        soci::use(at), soci::use(e.actor), soci::use(e.action), soci::use(e.object), soci::use(e.detail),
        soci::use(prev_hash), soci::use(hash);
    ExpectOk(8);
  }
}

TEST_P(AuditTest, ARecomputedHashStillBreaksTheLinkOfTheNextEntry) {
  if (IsSkipped() || HasFatalFailure()) return;
  AppendMany(6);
  soci::session sql(db_->pool());
  long long at = 0;
  std::string prev_hash;
  sql << "SELECT at, prev_hash FROM audit_log WHERE seq = 3", soci::into(at), soci::into(prev_hash);
  const Entry forged{"account:a3", "referral.status", "referral:r3", "new->refused"};
  const std::string forged_hash = EntryHash(3, at, forged, prev_hash);
  sql << "UPDATE audit_log SET detail = :d, hash = :h WHERE seq = 3", soci::use(forged.detail), soci::use(forged_hash);
  ExpectBadAt(4, "does not link");
}

TEST_P(AuditTest, DeletingAMiddleEntryIsCaught) {
  if (IsSkipped() || HasFatalFailure()) return;
  AppendMany(10);
  Exec("DELETE FROM audit_log WHERE seq = 5");
  ExpectBadAt(5, "missing");
}

TEST_P(AuditTest, DeletingTheFirstEntryIsCaught) {
  if (IsSkipped() || HasFatalFailure()) return;
  AppendMany(3);
  Exec("DELETE FROM audit_log WHERE seq = 1");
  ExpectBadAt(1, "missing");
}

TEST_P(AuditTest, DeletingTheLastEntryIsCaught) {
  if (IsSkipped() || HasFatalFailure()) return;
  AppendMany(10);
  Exec("DELETE FROM audit_log WHERE seq = 10");
  ExpectBadAt(10, "missing");
  Exec("DELETE FROM audit_log WHERE seq >= 8");
  ExpectBadAt(8, "missing");
}

TEST_P(AuditTest, SwappingTwoEntriesIsCaught) {
  if (IsSkipped() || HasFatalFailure()) return;
  AppendMany(8);
  // Exchange their places in the order.
  Exec("UPDATE audit_log SET seq = -1 WHERE seq = 3");
  Exec("UPDATE audit_log SET seq = 3 WHERE seq = 6");
  Exec("UPDATE audit_log SET seq = 6 WHERE seq = -1");
  ExpectBadAt(3, "entry 3");
  // Put them back, then exchange their contents and hashes but keep the seqs.
  Exec("UPDATE audit_log SET seq = -1 WHERE seq = 3");
  Exec("UPDATE audit_log SET seq = 3 WHERE seq = 6");
  Exec("UPDATE audit_log SET seq = 6 WHERE seq = -1");
  ExpectOk(8);
  soci::session sql(db_->pool());
  long long at3 = 0, at6 = 0;
  std::string a3, a6, p3, p6, h3, h6;
  sql << "SELECT at, actor, prev_hash, hash FROM audit_log WHERE seq = 3", soci::into(at3), soci::into(a3),
      soci::into(p3), soci::into(h3);
  sql << "SELECT at, actor, prev_hash, hash FROM audit_log WHERE seq = 6", soci::into(at6), soci::into(a6),
      soci::into(p6), soci::into(h6);
  sql << "UPDATE audit_log SET at = :at, actor = :a, prev_hash = :p, hash = :h WHERE seq = 3", soci::use(at6),
      soci::use(a6), soci::use(p6), soci::use(h6);
  sql << "UPDATE audit_log SET at = :at, actor = :a, prev_hash = :p, hash = :h WHERE seq = 6", soci::use(at3),
      soci::use(a3), soci::use(p3), soci::use(h3);
  ExpectBadAt(3, "entry 3");
}

TEST_P(AuditTest, AnEntryAddedBehindTheHeadIsCaught) {
  if (IsSkipped() || HasFatalFailure()) return;
  AppendMany(4);
  const Head head = ReadHead(*db_);
  const Entry forged{"account:x", "export", "", ""};
  const long long at = 1'750'100'000;
  const std::string hash = EntryHash(5, at, forged, head.last_hash);
  soci::session sql(db_->pool());
  sql << "INSERT INTO audit_log (seq, at, actor, action, object, detail, prev_hash, hash)"
         " VALUES (5, :at, :actor, :action, :object, :detail, :prev, :hash)",
      soci::use(at), soci::use(forged.actor), soci::use(forged.action), soci::use(forged.object),
      soci::use(forged.detail), soci::use(head.last_hash), soci::use(hash);
  ExpectBadAt(5, "beyond the chain head");
}

TEST_P(AuditTest, ConcurrentAppendersOfSeveralInstancesGiveOneChain) {
  if (IsSkipped() || HasFatalFailure()) return;
  // A second Database on the same store stands for a second process or server instance.
  std::unique_ptr<storage::Database> other;
  if (GetParam() == core::DatabaseBackend::kSqlite) {
    other = storage::Database::Open(core::ParseDatabaseUrl("sqlite:" + (dir_ / "t.db").string()), 2);
  } else {
    other = storage::Database::Open(core::ParseDatabaseUrl(std::getenv("PASSERELLE_TEST_PG_URL")), 2);
  }
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    storage::Database& db = t % 2 == 0 ? *db_ : *other;
    threads.emplace_back([&db, &failures, t] {
      for (int i = 0; i < kPerThread; ++i) {
        try {
          AppendCommitted(db, Entry{"account:t" + std::to_string(t), "message.sent", "referral:r", ""},
                          kT0 + std::chrono::seconds(i));
        } catch (const std::exception&) {
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Count(), kThreads * kPerThread);
  ExpectOk(kThreads * kPerThread);
  EXPECT_EQ(ReadHead(*db_).last_seq, kThreads * kPerThread);
}

TEST_P(AuditTest, PruningRemovesOldEntriesAndKeepsTheRestVerifiable) {
  if (IsSkipped() || HasFatalFailure()) return;
  AppendMany(10);  // at kT0 + 1 h … + 10 h
  std::string hash_of_4;
  {
    soci::session sql(db_->pool());
    sql << "SELECT hash FROM audit_log WHERE seq = 4", soci::into(hash_of_4);
  }
  EXPECT_EQ(PruneBefore(*db_, kT0 + hours(5)), 4u);
  EXPECT_EQ(Count(), 6);
  ExpectOk(6);
  const Head head = ReadHead(*db_);
  EXPECT_EQ(head.anchor_seq, 4);
  EXPECT_EQ(head.anchor_hash, hash_of_4);
  // Idempotent.
  EXPECT_EQ(PruneBefore(*db_, kT0 + hours(5)), 0u);
  ExpectOk(6);
  // The chain goes on after the anchor.
  AppendMany(2, 11);
  ExpectOk(8);
  EXPECT_EQ(PruneBefore(*db_, kT0 + hours(100)), 8u);
  EXPECT_EQ(Count(), 0);
  ExpectOk(0);
  AppendMany(1, 13);
  ExpectOk(1);
  EXPECT_EQ(ReadHead(*db_).last_seq, 13);
}

TEST_P(AuditTest, PruningRemovesOnlyAPrefixWhenTimesAreNotInOrder) {
  if (IsSkipped() || HasFatalFailure()) return;
  // Instances with slightly different clocks: seq order is the chain's order.
  for (int h : {1, 2, 9, 3, 4}) AppendCommitted(*db_, Entry{"system:jobs", "jobs.run", "", ""}, kT0 + hours(h));
  EXPECT_EQ(PruneBefore(*db_, kT0 + hours(5)), 2u);
  ExpectOk(3);
}

TEST_P(AuditTest, TamperingAfterPruningIsStillCaught) {
  if (IsSkipped() || HasFatalFailure()) return;
  AppendMany(10);
  ASSERT_EQ(PruneBefore(*db_, kT0 + hours(5)), 4u);
  Exec("UPDATE audit_log SET detail = 'x' WHERE seq = 7");
  ExpectBadAt(7, "entry 7");
  Exec("UPDATE audit_log SET detail = 'new->acknowledged' WHERE seq = 7");
  ExpectOk(6);
  Exec("DELETE FROM audit_log WHERE seq = 5");  // the oldest kept entry
  ExpectBadAt(5, "missing");
}

TEST_P(AuditTest, AnEntryPutBackBeforeTheAnchorIsCaught) {
  if (IsSkipped() || HasFatalFailure()) return;
  AppendMany(6);
  ASSERT_EQ(PruneBefore(*db_, kT0 + hours(3)), 2u);
  Exec(
      "INSERT INTO audit_log (seq, at, actor, action, object, detail, prev_hash, hash)"
      " VALUES (2, 0, 'cli', 'export', '', '', 'x', 'y')");
  ExpectBadAt(2, "retention anchor");
}

TEST_P(AuditTest, PruningRefusesToWashAwayTampering) {
  if (IsSkipped() || HasFatalFailure()) return;
  AppendMany(10);
  Exec("UPDATE audit_log SET actor = 'account:someone-else' WHERE seq = 2");
  EXPECT_THROW(PruneBefore(*db_, kT0 + hours(5)), core::InfrastructureError);
  EXPECT_EQ(Count(), 10);
  ExpectBadAt(2, "entry 2");
}

TEST_P(AuditTest, LongDetailsAreCutAndStillVerify) {
  if (IsSkipped() || HasFatalFailure()) return;
  std::string detail_in(151, 'x');
  for (int i = 0; i < 100; ++i) detail_in += "\u00e9";  // 2 bytes each: the cut falls inside one
  AppendCommitted(*db_, Entry{"cli", "export", "", detail_in}, kT0);
  soci::session sql(db_->pool());
  std::string detail;
  sql << "SELECT detail FROM audit_log WHERE seq = 1", soci::into(detail);
  EXPECT_EQ(detail.size(), 199u);  // not 200: that would split a character
  ExpectOk(1);
}

TEST(AuditHash, FieldBoundariesAreUnambiguous) {
  const std::string prev(64, '0');
  EXPECT_NE(EntryHash(1, 2, Entry{"a", "bc", "", ""}, prev), EntryHash(1, 2, Entry{"ab", "c", "", ""}, prev));
  EXPECT_NE(EntryHash(1, 2, Entry{"a", "b", "", ""}, prev), EntryHash(12, 2, Entry{"a", "b", "", ""}, prev));
  EXPECT_NE(EntryHash(1, 2, Entry{"a", "b", "", ""}, prev), EntryHash(1, 2, Entry{"a", "b", "", ""}, prev + "0"));
  EXPECT_EQ(EntryHash(1, 2, Entry{"a", "b", "", ""}, prev).size(), 64u);
}

// The viewer's search (issue 11 §5): scope through the object, filters, pages.
TEST_P(AuditTest, SearchScopesEntriesByTheirObjectFiltersAndPages) {
  Exec(
      "INSERT INTO territory (slug, name, centre_lat, centre_lon, default_radius_km, neutral_exit_url, languages, "
      "youth_services, emergency_contacts, is_demo, created_at, updated_at) VALUES ('t1', 'T1', 48.8, 2.3, 5, "
      "'https://example.org/', 'fr', '[]', '[]', 1, 0, 0)");
  Exec(
      "INSERT INTO territory (slug, name, centre_lat, centre_lon, default_radius_km, neutral_exit_url, languages, "
      "youth_services, emergency_contacts, is_demo, created_at, updated_at) VALUES ('t2', 'T2', 48.8, 2.3, 5, "
      "'https://example.org/', 'fr', '[]', '[]', 1, 0, 0)");
  for (const char* org : {"o1", "o2"}) {
    Exec(std::string("INSERT INTO organization (id, territory_slug, name, description, website, email, "
                     "accepts_referrals, verified_by, status, alert, visibility, created_at, updated_at) VALUES ('") +
         org + "', '" + (org[1] == '1' ? "t1" : "t2") + "', 'O', '', '', '', 1, '', 'active', '', 'public', 0, 0)");
  }
  Exec(
      "INSERT INTO account (id, email, role, territory_slug, status, created_at, updated_at) VALUES "
      "('c1', 'c1@example.org', 'coordinator', 't1', 'active', 0, 0)");
  Exec(
      "INSERT INTO account (id, email, role, status, created_at, updated_at) VALUES "
      "('m2', 'm2@example.org', 'member', 'active', 0, 0)");
  Exec("INSERT INTO membership (account_id, organization_id, created_at) VALUES ('m2', 'o2', 0)");
  const std::vector<Entry> entries = {
      {"account:c1", "territory.delays", "territory:t1", ""},                  // 1: t1
      {"account:c1", "organization.changed", "organization:o1", ""},           // 2: t1
      {"account:m2", "login.success", "account:m2", ""},                       // 3: t2 (member of o2)
      {"account:c1", "login.success", "account:c1", ""},                       // 4: t1 (coordinator)
      {"cli", "export", "", ""},                                               // 5: no territory
      {"system:jobs", "organization.freshness_stale", "organization:o2", ""},  // 6: t2
      {"account:c1", "territory.delays", "territory:t10", ""},                 // 7: not t1 (another slug)
  };
  for (std::size_t i = 0; i < entries.size(); ++i) AppendCommitted(*db_, entries[i], kT0 + hours(24 * i));
  const auto seqs = [](const SearchPage& page) {
    std::vector<long long> out;
    for (const FoundEntry& e : page.entries) out.push_back(e.seq);
    return out;
  };
  SearchFilter t1;
  t1.territory = "t1";
  EXPECT_EQ(seqs(Search(*db_, t1, 0, 50)), (std::vector<long long>{4, 2, 1}));
  SearchFilter t2;
  t2.territory = "t2";
  EXPECT_EQ(seqs(Search(*db_, t2, 0, 50)), (std::vector<long long>{6, 3}));
  EXPECT_EQ(seqs(Search(*db_, SearchFilter{}, 0, 50)), (std::vector<long long>{7, 6, 5, 4, 3, 2, 1}));
  // Filters.
  SearchFilter f = t1;
  f.action = "territory.delays";
  EXPECT_EQ(seqs(Search(*db_, f, 0, 50)), (std::vector<long long>{1}));
  f = SearchFilter{};
  f.actor = "account:c1";
  f.object = "territory:t10";
  EXPECT_EQ(seqs(Search(*db_, f, 0, 50)), (std::vector<long long>{7}));
  f = SearchFilter{};
  f.from_at = core::UnixSeconds(kT0 + hours(24 * 2));
  f.to_at = core::UnixSeconds(kT0 + hours(24 * 4));
  EXPECT_EQ(seqs(Search(*db_, f, 0, 50)), (std::vector<long long>{4, 3}));
  // Pages of 3: 7 6 5 | 4 3 2 | 1.
  SearchPage page = Search(*db_, SearchFilter{}, 0, 3);
  EXPECT_EQ(seqs(page), (std::vector<long long>{7, 6, 5}));
  EXPECT_TRUE(page.has_more);
  page = Search(*db_, SearchFilter{}, 2, 3);
  EXPECT_EQ(seqs(page), (std::vector<long long>{1}));
  EXPECT_FALSE(page.has_more);
  EXPECT_EQ(Actions(*db_), (std::vector<std::string>{"export", "login.success", "organization.changed",
                                                     "organization.freshness_stale", "territory.delays"}));
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditTest,
                         ::testing::Values(core::DatabaseBackend::kSqlite, core::DatabaseBackend::kPostgresql),
                         storage::testing::BackendName);

}  // namespace
}  // namespace passerelle::audit

namespace passerelle::audit {
namespace {

// One label per action, in code order (so that a new action is added in its place, once).
TEST(ActionLabels, AreSortedUniqueAndWorded) {
  for (std::size_t i = 0; i < std::size(kActionLabels); ++i) {
    EXPECT_FALSE(kActionLabels[i].label.empty()) << kActionLabels[i].action;
    if (i > 0) {
      EXPECT_LT(kActionLabels[i - 1].action, kActionLabels[i].action);
    }
  }
  static_assert(LabelOf("organization.published") == "Organisation publiée");
  EXPECT_EQ(LabelOf("login.success"), "Connexion");
  EXPECT_TRUE(LabelOf("organization.unknown").empty());
  EXPECT_TRUE(LabelOf("").empty());
}

}  // namespace
}  // namespace passerelle::audit
