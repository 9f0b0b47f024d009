// The /suivi throttle (issue 15, F6) on SQLite and PostgreSQL: counters in the database, shared
// by instances, and never usable to lock her out.
#include "referral/throttle.h"

#include <gtest/gtest.h>

#include "core/unix_time.h"
#include "storage/testing.h"

namespace passerelle::referral {
namespace {

using namespace std::chrono_literals;

class FollowUpThrottleTest : public storage::testing::BackendTest {
 protected:
  // 10:00:00 UTC on a day, the start of a window.
  const std::chrono::system_clock::time_point t0_ =
      std::chrono::system_clock::time_point(1'800'000'000s - 1'800'000'000s % 900s);

  static std::string Key() { return std::string(32, 'k'); }

  long long Rows() {
    soci::session sql(db_->pool());
    long long rows = 0;
    sql << "SELECT COUNT(*) FROM attempt_throttle", soci::into(rows);
    return rows;
  }
};

TEST_P(FollowUpThrottleTest, ABusyClientIsStoppedForTheRestOfTheWindowOnly) {
  if (IsSkipped() || HasFatalFailure()) return;
  const FollowUpThrottle throttle(*db_, Key(), FollowUpLimits{3, 100, 100, 900s});
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(throttle.Allows("203.0.113.7", "", t0_ + 1s));
    throttle.RecordFailure("203.0.113.7", "", t0_ + 1s);
  }
  EXPECT_FALSE(throttle.Allows("203.0.113.7", "", t0_ + 2s));
  EXPECT_FALSE(throttle.Allows("203.0.113.7", "pomme-lune-velo", t0_ + 899s));
  EXPECT_TRUE(throttle.Allows("198.51.100.1", "", t0_ + 2s)) << "clients are independent";
  EXPECT_TRUE(throttle.Allows("203.0.113.7", "", t0_ + 900s)) << "a new window";
}

TEST_P(FollowUpThrottleTest, SomeoneWhoKnowsHerWordsCannotLockHerOut) {
  if (IsSkipped() || HasFatalFailure()) return;
  const FollowUpThrottle throttle(*db_, Key(), FollowUpLimits{10, 5, 2, 900s});
  const std::string words = "pomme-lune-velo";
  // She mistyped her digits once, from her phone.
  throttle.RecordFailure("her", words, t0_);
  // He guesses digits from home until the words are under attack, then goes on.
  for (int i = 0; i < 6; ++i) {
    if (throttle.Allows("him", words, t0_ + 10s)) throttle.RecordFailure("him", words, t0_ + 10s);
  }
  EXPECT_FALSE(throttle.Allows("him", words, t0_ + 20s)) << "the guesser is stopped on these words";
  EXPECT_TRUE(throttle.Allows("him", "autre-mot-ici", t0_ + 20s))
      << "not on other codes (his client limit is separate)";
  EXPECT_TRUE(throttle.Allows("her", words, t0_ + 20s)) << "she still gets in with her code";
  // A third address may try once, then twice; after two failures it is stopped too.
  EXPECT_TRUE(throttle.Allows("third", words, t0_ + 30s));
  throttle.RecordFailure("third", words, t0_ + 30s);
  EXPECT_TRUE(throttle.Allows("third", words, t0_ + 31s));
  throttle.RecordFailure("third", words, t0_ + 31s);
  EXPECT_FALSE(throttle.Allows("third", words, t0_ + 32s));
}

TEST_P(FollowUpThrottleTest, CountersAreSharedByInstancesAndStoreNoAddressOrWords) {
  if (IsSkipped() || HasFatalFailure()) return;
  // Two instances (two throttles on the same database, as after a restart or behind a load
  // balancer) see the same counts.
  const FollowUpThrottle first(*db_, Key(), FollowUpLimits{4, 100, 100, 900s});
  const FollowUpThrottle second(*db_, Key(), FollowUpLimits{4, 100, 100, 900s});
  first.RecordFailure("203.0.113.7", "pomme-lune-velo", t0_);
  second.RecordFailure("203.0.113.7", "pomme-lune-velo", t0_);
  first.RecordFailure("203.0.113.7", "", t0_);
  EXPECT_TRUE(second.Allows("203.0.113.7", "", t0_));
  second.RecordFailure("203.0.113.7", "", t0_);
  EXPECT_FALSE(first.Allows("203.0.113.7", "", t0_ + 1s));
  EXPECT_FALSE(second.Allows("203.0.113.7", "", t0_ + 1s));

  soci::session sql(db_->pool());
  soci::rowset<soci::row> rows = (sql.prepare << "SELECT throttle_key, window_start FROM attempt_throttle");
  for (const soci::row& row : rows) {
    const std::string key = row.get<std::string>(0);
    EXPECT_EQ(key.find("203.0.113"), std::string::npos);
    EXPECT_EQ(key.find("pomme"), std::string::npos);
    EXPECT_EQ(key.size(), 32u);
    EXPECT_EQ(row.get<long long>(1) % 900, 0) << "dated to its quarter of an hour only";
  }
  EXPECT_EQ(Rows(), 3);
  // A failure in a later window forgets the rows of the old ones.
  first.RecordFailure("198.51.100.1", "", t0_ + 1800s);
  EXPECT_EQ(Rows(), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, FollowUpThrottleTest,
                         ::testing::Values(core::DatabaseBackend::kSqlite, core::DatabaseBackend::kPostgresql),
                         storage::testing::BackendName);

}  // namespace
}  // namespace passerelle::referral
