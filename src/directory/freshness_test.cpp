// Freshness (issue 11 §3) on SQLite and PostgreSQL: the signed link, the job (first sight,
// not due, due, stale after 30 days, idempotent), the confirmation and the reminder.
#include "directory/freshness.h"

#include <gtest/gtest.h>

#include "core/paris_time.h"
#include "directory/sample_organization.h"
#include "directory/service.h"
#include "directory/test_support.h"

namespace passerelle::directory {
namespace {

using namespace std::chrono;
using testing::DirectoryDbTest;

const std::string kKey(32, 'f');

TimePoint At(int y, unsigned m, unsigned d) { return sys_days{year{y} / month{m} / day{d}} + hours{12}; }

class FreshnessTest : public DirectoryDbTest {
 protected:
  void SetUp() override {
    DirectoryDbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    core::InitCrypto();
    Organization o = testing::SampleOrganization("org-a", "paris-10", "accueil@a.example.org");
    o.assured_date = "2026-01-10";
    ASSERT_TRUE(DirectoryService(*db_).Create(o, At(2026, 1, 10)).ok());
  }

  std::string Text(const std::string& query) {
    soci::session sql(db_->pool());
    std::string out;
    soci::indicator ind = soci::i_ok;
    sql << query, soci::into(out, ind);
    return ind == soci::i_ok ? out : "";
  }
  long long Number(const std::string& query) {
    soci::session sql(db_->pool());
    long long out = 0;
    sql << query, soci::into(out);
    return out;
  }
  std::string LinkToken() {
    const std::string path = Text("SELECT link_path FROM outbox WHERE kind = 'freshness' ORDER BY created_at DESC");
    return path.substr(std::string("/pro/fraicheur/").size());
  }
  bool Stale() {
    soci::session sql(db_->pool());
    return IsStale(sql, "org-a");
  }
};

TEST_P(FreshnessTest, ForgedAlteredAndExpiredTokensAreRefused) {
  const std::string token = FreshnessToken(kKey, "org-a", "2026-03-01");
  EXPECT_EQ(OpenFreshnessToken(kKey, token, "2026-02-01"), "org-a");
  EXPECT_EQ(OpenFreshnessToken(kKey, token, "2026-03-01"), "org-a") << "valid on its last day";
  EXPECT_FALSE(OpenFreshnessToken(kKey, token, "2026-03-02")) << "expired";
  EXPECT_FALSE(OpenFreshnessToken(std::string(32, 'g'), token, "2026-02-01")) << "another key";
  // Another organisation or a later day in the payload, with the old signature.
  const std::string mac = token.substr(token.find('.'));
  EXPECT_FALSE(OpenFreshnessToken(kKey, core::Base64UrlEncode("org-b|2026-03-01") + mac, "2026-02-01"));
  EXPECT_FALSE(OpenFreshnessToken(kKey, core::Base64UrlEncode("org-a|2099-03-01") + mac, "2026-02-01"));
  for (const char* bad : {"", ".", "abc", "abc.def", "%%.%%"})
    EXPECT_FALSE(OpenFreshnessToken(kKey, bad, "2026-02-01"));

  Freshness freshness(*db_, kKey);
  EXPECT_FALSE(freshness.Confirm(token, At(2026, 3, 2)));
  EXPECT_FALSE(freshness.Confirm(FreshnessToken(kKey, "org-zzz", "2026-03-01"), At(2026, 2, 1))) << "unknown";
  EXPECT_EQ(Text("SELECT assured_date FROM organization WHERE id = 'org-a'"), "2026-01-10");
  EXPECT_EQ(Number("SELECT COUNT(*) FROM audit_log WHERE action = 'organization.freshness_confirmed'"), 0);
}

TEST_P(FreshnessTest, DueNotDueStaleConfirmed) {
  Freshness freshness(*db_, kKey);
  // First sight: the clock starts, nothing is sent.
  FreshnessRun run = freshness.Run(At(2026, 2, 1));
  EXPECT_TRUE(run.requested.empty());
  EXPECT_EQ(Text("SELECT tracked_since FROM organization_freshness WHERE organization_id = 'org-a'"), "2026-02-01");
  // Not due: six months after the later of the check (10 Jan) and the first sight (1 Feb).
  EXPECT_TRUE(freshness.Run(At(2026, 7, 31)).requested.empty());
  EXPECT_EQ(Number("SELECT COUNT(*) FROM outbox"), 0);
  // Due on 1 August, once.
  run = freshness.Run(At(2026, 8, 1));
  EXPECT_EQ(run.requested, std::vector<std::string>{"org-a"});
  EXPECT_TRUE(freshness.Run(At(2026, 8, 1)).requested.empty()) << "idempotent";
  EXPECT_EQ(Number("SELECT COUNT(*) FROM outbox WHERE kind = 'freshness' AND recipient = 'accueil@a.example.org'"), 1);
  EXPECT_EQ(Number("SELECT COUNT(*) FROM audit_log WHERE action = 'organization.freshness_requested' AND object = "
                   "'organization:org-a' AND actor = 'system:jobs'"),
            1);
  const std::string token = LinkToken();
  EXPECT_EQ(OpenFreshnessToken(kKey, token, "2026-08-01"), "org-a");
  // Not stale at 30 days; stale after, once.
  EXPECT_TRUE(freshness.Run(At(2026, 8, 31)).staled.empty());
  EXPECT_FALSE(Stale());
  EXPECT_EQ(freshness.Run(At(2026, 9, 1)).staled, std::vector<std::string>{"org-a"});
  EXPECT_TRUE(freshness.Run(At(2026, 9, 2)).staled.empty());
  EXPECT_TRUE(Stale());
  {
    soci::session sql(db_->pool());
    EXPECT_EQ(StaleOrganizations(sql, "paris-10"), std::set<std::string>{"org-a"});
    EXPECT_TRUE(StaleOrganizations(sql, "montreuillois").empty());
  }
  EXPECT_EQ(freshness.List("paris-10").front().organization_id, "org-a");
  EXPECT_TRUE(freshness.List("paris-10").front().stale);
  // The link still works within its 60 days (it is not single-use): confirmed.
  std::string confirmed;
  EXPECT_TRUE(freshness.Confirm(token, At(2026, 9, 10), &confirmed));
  EXPECT_EQ(confirmed, "org-a");
  EXPECT_EQ(Text("SELECT assured_date FROM organization WHERE id = 'org-a'"), "2026-09-10");
  EXPECT_FALSE(Stale());
  EXPECT_EQ(Text("SELECT requested_on FROM organization_freshness WHERE organization_id = 'org-a'"), "");
  // Twice the same day: still fine, nothing written again.
  EXPECT_TRUE(freshness.Confirm(token, At(2026, 9, 10)));
  EXPECT_EQ(Number("SELECT COUNT(*) FROM audit_log WHERE action = 'organization.freshness_confirmed' AND actor = "
                   "'anonymous'"),
            1);
  // Past its last day (1 Aug + 60 = 30 Sep) the link is refused.
  EXPECT_TRUE(freshness.Confirm(token, At(2026, 9, 30)));
  EXPECT_FALSE(freshness.Confirm(token, At(2026, 10, 1)));
  // The next question comes six months after the confirmation.
  EXPECT_TRUE(freshness.Run(At(2027, 3, 29)).requested.empty());
  EXPECT_EQ(freshness.Run(At(2027, 3, 30)).requested.size(), 1u);
}

TEST_P(FreshnessTest, PeriodOfTheTerritoryAndReminder) {
  Freshness freshness(*db_, kKey);
  EXPECT_EQ(freshness.PeriodMonths("paris-10"), kDefaultPeriodMonths);
  freshness.SetPeriodMonths("account:c1", "paris-10", 1, At(2026, 1, 20));
  EXPECT_EQ(freshness.PeriodMonths("paris-10"), 1);
  EXPECT_EQ(Text("SELECT detail FROM audit_log WHERE action = 'territory.freshness'"), "months=6 -> 1");
  (void)freshness.Run(At(2026, 2, 1));
  EXPECT_TRUE(freshness.Run(At(2026, 2, 28)).requested.empty());
  EXPECT_EQ(freshness.Run(At(2026, 3, 1)).requested.size(), 1u);
  freshness.SetPeriodMonths("account:c1", "paris-10", std::nullopt, At(2026, 3, 1));
  EXPECT_EQ(freshness.PeriodMonths("paris-10"), kDefaultPeriodMonths);

  // The reminder: only within the territory; a new e-mail, audited with the account.
  EXPECT_FALSE(freshness.Remind("account:c2", "montreuillois", "org-a", At(2026, 3, 5)));
  EXPECT_FALSE(freshness.Remind("account:c1", "paris-10", "org-zzz", At(2026, 3, 5)));
  EXPECT_TRUE(freshness.Remind("account:c1", "paris-10", "org-a", At(2026, 3, 5)));
  EXPECT_EQ(Number("SELECT COUNT(*) FROM outbox WHERE kind = 'freshness'"), 2);
  EXPECT_EQ(Text("SELECT actor FROM audit_log WHERE action = 'organization.freshness_reminded'"), "account:c1");
  EXPECT_EQ(Text("SELECT reminded_on FROM organization_freshness WHERE organization_id = 'org-a'"), "2026-03-05");
  EXPECT_EQ(Text("SELECT requested_on FROM organization_freshness WHERE organization_id = 'org-a'"), "2026-03-01");
  EXPECT_EQ(OpenFreshnessToken(kKey, LinkToken(), "2026-05-04"), "org-a") << "60 days from the reminder";
}

INSTANTIATE_TEST_SUITE_P(Backends, FreshnessTest,
                         ::testing::Values(core::DatabaseBackend::kSqlite, core::DatabaseBackend::kPostgresql),
                         testing::BackendName);

}  // namespace
}  // namespace passerelle::directory
