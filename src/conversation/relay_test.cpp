#include "conversation/relay.h"

#include <gtest/gtest.h>

#include <thread>

#include "conversation/replica.h"
#include "org_keys/sealing.h"
#include "storage/testing.h"

namespace passerelle::conversation {
namespace {

using namespace std::chrono_literals;

// Two hubs and their relays on one PostgreSQL database, as two `serve` processes (ADR 0014).
class RelayTest : public storage::testing::BackendTest {
 protected:
  static TimePoint Now() { return std::chrono::system_clock::now(); }
  static bool Eventually(const std::function<bool()>& done) {
    for (int i = 0; i < 100; ++i) {
      if (done()) return true;
      std::this_thread::sleep_for(50ms);
    }
    return done();
  }
  static std::string Conninfo() {
    return core::ParseDatabaseUrl(std::getenv("PASSERELLE_TEST_PG_URL")).postgresql_conninfo;
  }
  static Relay::Timing Fast() { return {200ms, 5000ms, 3000ms}; }
  static Opening SomeOpening() {
    Opening opening;
    opening.territory_slug = "t1";
    opening.organization_id = "org-a";
    opening.organization_name = "CIDFF";
    opening.needs = "Conseil juridique";
    opening.code_word = "CANARYWORD";
    opening.report.answers = {{"q", "Question", "CANARYANSWER"}};
    return opening;
  }
  long long Rows(const std::string& where = "") {
    soci::session sql(db_->pool());
    long long n = 0;
    sql << "SELECT COUNT(*) FROM live_relay" + where, soci::into(n);
    return n;
  }

  Hub a_{Settings{}, [](Event, const std::string&, long long) {}};
  Hub b_{Settings{}, [](Event, const std::string&, long long) {}};
};

TEST_P(RelayTest, CarriesAConversationBetweenTwoInstancesSealed) {
  if (IsSkipped() || HasFatalFailure()) return;
  // A third "instance" that never reads: what is sent to it stays, for the test to look at.
  const org_keys::KeyPair watcher = org_keys::GenerateKeyPair();
  const std::string watcher_id(32, 'e');
  {
    soci::session sql(db_->pool());
    const long long far =
        std::chrono::duration_cast<std::chrono::milliseconds>((Now() + 1h).time_since_epoch()).count();
    const std::string key = core::Base64UrlEncode(watcher.public_key);
    sql << "INSERT INTO live_instance (id, public_key, seen_at) VALUES (:i, :k, :t)", soci::use(watcher_id),
        soci::use(key), soci::use(far);
  }
  auto relay_a = std::make_unique<Relay>(*db_, Conninfo(), a_, Now, Fast());
  Relay relay_b(*db_, Conninfo(), b_, Now, Fast());
  relay_a->Start();
  relay_b.Start();

  // Someone at B's desk: A offers the conversation.
  b_.SeenAtDesk("pro-1", "pro@example.org", {"org-a"}, Now());
  ASSERT_TRUE(Eventually([&] { return a_.Staffed("org-a", Now()); }));
  const std::string id = a_.Open(SomeOpening(), Now()).value();
  ASSERT_TRUE(a_.HerSays(id, "CANARYHER bonjour", Now()).ok());
  ASSERT_TRUE(Eventually([&] { return !b_.Queue({"org-a"}, Now()).empty(); }));
  const std::string desk = b_.Queue({"org-a"}, Now())[0].desk_id;

  // Taken on B, decided by A: A knows at once when Take returns.
  ASSERT_TRUE(b_.Take(desk, "pro-1", Now()).ok());
  EXPECT_EQ(a_.ForHer(id, Now())->state, State::kTalking);
  const auto second = b_.Take(desk, "pro-2", Now());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, core::ErrorCode::kConflict);
  ASSERT_TRUE(b_.ProSays(desk, "pro-1", "CANARYPRO", Now()).ok());
  EXPECT_EQ(a_.ForHer(id, Now())->messages.back().text, "CANARYPRO");
  ASSERT_TRUE(Eventually([&] { return b_.ForDesk(desk, Now())->messages.back().text == "CANARYPRO"; }));

  // What went through the database: sealed to the recipient's key, never in clear.
  {
    soci::session sql(db_->pool());
    soci::rowset<std::string> rows =
        (sql.prepare << "SELECT sealed FROM live_relay WHERE recipient = :r", soci::use(watcher_id));
    bool saw_her_words = false;
    int count = 0;
    for (const std::string& sealed : rows) {
      ++count;
      EXPECT_EQ(sealed.find("CANARY"), std::string::npos);
      const auto opened = org_keys::Open(sealed, watcher);
      ASSERT_TRUE(opened.has_value());
      saw_her_words = saw_her_words || opened->find("CANARYHER") != std::string::npos;
    }
    EXPECT_GT(count, 0);
    EXPECT_TRUE(saw_her_words);  // the rows are the conversation, sealed
  }
  // The live instances read and delete theirs.
  ASSERT_TRUE(Eventually([&] { return Rows(" WHERE recipient <> '" + watcher_id + "'") == 0; }));

  // Her quick exit on A: B's desk shows the interruption, without her words.
  ASSERT_TRUE(a_.Interrupt(id, Interruption::kQuickExit, Now()));
  ASSERT_TRUE(Eventually([&] { return b_.ForDesk(desk, Now())->state == State::kInterrupted; }));
  EXPECT_TRUE(b_.ForDesk(desk, Now())->messages.empty());

  // A second conversation, then A stops: B drops what was homed there.
  ASSERT_TRUE(a_.Open(SomeOpening(), Now()).ok());
  ASSERT_TRUE(Eventually([&] { return b_.Size() == 2; }));
  relay_a.reset();
  ASSERT_TRUE(Eventually([&] { return b_.Size() == 0; }));
}

INSTANTIATE_TEST_SUITE_P(Backends, RelayTest, ::testing::Values(core::DatabaseBackend::kPostgresql),
                         storage::testing::BackendName);

}  // namespace
}  // namespace passerelle::conversation
