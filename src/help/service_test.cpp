#include "help/service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "core/crypto.h"
#include "storage/migrations.h"

namespace passerelle::help {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono;

const TimePoint kNoon = sys_days{2026y / November / 25} + hours(11);

Node NodeOf(const std::string& id, NodeType type) {
  Node node;
  node.id = id;
  node.type = type;
  return node;
}

// The use cases on a real (SQLite) statistics table; no directory: the search is unavailable.
class HelpServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    core::InitCrypto();
    dir_ = fs::temp_directory_path() / ("passerelle-help-service-" + core::RandomHex(6));
    fs::create_directories(dir_);
    db_ = storage::Database::Open(core::ParseDatabaseUrl("sqlite:" + (dir_ / "s.db").string()), 2);
    const char* assets = std::getenv("PASSERELLE_ASSETS_DIR");
    storage::ApplyMigrations(*db_, storage::LoadMigrations(fs::path(assets ? assets : ".") / "migrations"));
    stats_ = std::make_unique<stats::StatsRepository>(*db_);
  }
  void TearDown() override {
    stats_.reset();
    db_.reset();
    fs::remove_all(dir_);
  }
  long long Count(stats::StatEvent event) const { return stats_->Count(event, "montreuillois", "2026-11-25"); }

  fs::path dir_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<stats::StatsRepository> stats_;
};

// A territorial instance whose territory is not loaded: only its slug counts.
HelpScope Montreuillois() {
  HelpScope scope;
  scope.territory_slug = "montreuillois";
  return scope;
}

FlowState AtEnd() {
  FlowState state;
  state.current = "end";
  state.history = {"age", "who", "danger_now", "needs", "contact"};
  state.answers["needs"] = nlohmann::json::array({"legal"});
  state.answers["contact"] = {{"channel", "phone"}};
  state.proposed = {"svc-b", "svc-a"};  // from the token she posted
  return state;
}

TEST_F(HelpServiceTest, AQuestionCarriesNoProposalsAndDecidesNothing) {
  const HelpService service(Montreuillois(), *stats_);
  FlowState state = AtEnd();
  state.current = "needs";
  const ShownStep shown = service.Show(NodeOf("needs", NodeType::kMultiChoice), state, 1, kNoon);
  EXPECT_TRUE(shown.state.proposed.empty());
  EXPECT_FALSE(shown.results.has_value());
  EXPECT_TRUE(shown.police.empty());
  EXPECT_EQ(shown.state.answers, state.answers);
}

TEST_F(HelpServiceTest, TheEndWithoutADirectoryProposesNobodyAndCountsNoGap) {
  const HelpService service(Montreuillois(), *stats_);
  const ShownStep shown = service.Show(NodeOf("end", NodeType::kEnd), AtEnd(), 1, kNoon);
  ASSERT_TRUE(shown.results.has_value());
  EXPECT_EQ(shown.results->match.outcome, MatchOutcome::kUnavailable);
  EXPECT_TRUE(shown.results->match.proposals.empty());
  EXPECT_EQ(shown.results->request.needs, std::vector<std::string>{"legal"});
  EXPECT_TRUE(shown.results->referral_allowed);
  // The token's old proposals are not carried on: the end shows none.
  EXPECT_TRUE(shown.state.proposed.empty());
  // An unavailable search is not a gap of the territory's directory.
  EXPECT_EQ(Count(stats::StatEvent::kNoMatch), 0);
}

TEST_F(HelpServiceTest, OnlyANameMeansNoReferral) {
  const HelpService service(Montreuillois(), *stats_);
  FlowState state = AtEnd();
  state.answers["contact"] = {{"channel", "none"}};
  const ShownStep shown = service.Show(NodeOf("end", NodeType::kEnd), state, 1, kNoon);
  ASSERT_TRUE(shown.results.has_value());
  EXPECT_FALSE(shown.results->referral_allowed);
}

TEST_F(HelpServiceTest, ArrivalsAreCountedUnderTheInstancesTerritory) {
  const HelpService service(Montreuillois(), *stats_);
  FlowState state = AtEnd();
  service.CountArrival(NodeOf("end", NodeType::kEnd), state, kNoon);
  service.CountArrival(NodeOf("emergency", NodeType::kEmergency), state, kNoon);
  service.CountArrival(NodeOf("needs", NodeType::kMultiChoice), state, kNoon);  // not counted
  EXPECT_EQ(Count(stats::StatEvent::kFlowCompleted), 1);
  EXPECT_EQ(Count(stats::StatEvent::kEmergencyExit), 1);
  EXPECT_EQ(Count(stats::StatEvent::kMinorRedirected), 0);
  EXPECT_EQ(service.TerritorySlugFor(state), "montreuillois");
  EXPECT_EQ(service.TerritoryFor(state), nullptr);  // no territory loaded: only its slug
}

// "Retour" then "Continuer" (or the chat's back) reaches the end again with the state of the same
// run: what its token carries says the arrival was counted. A new run counts again.
TEST_F(HelpServiceTest, AnArrivalCountsOncePerRun) {
  const HelpService service(Montreuillois(), *stats_);
  FlowState state = AtEnd();
  state.proposed.clear();
  service.CountArrival(NodeOf("end", NodeType::kEnd), state, kNoon);
  EXPECT_EQ(state.counted, std::vector<std::string>{"flow_completed"});
  FlowState again = state;  // what Back and Answer keep of the run
  again.history.pop_back();
  again.current = "contact";
  again.current = "end";
  service.CountArrival(NodeOf("end", NodeType::kEnd), again, kNoon);
  service.CountArrival(NodeOf("emergency", NodeType::kEmergency), again, kNoon);
  service.CountArrival(NodeOf("emergency", NodeType::kEmergency), again, kNoon);
  EXPECT_EQ(Count(stats::StatEvent::kFlowCompleted), 1);
  EXPECT_EQ(Count(stats::StatEvent::kEmergencyExit), 1);
  EXPECT_EQ(again.counted, (std::vector<std::string>{"flow_completed", "emergency_exit"}));
  FlowState other_run = AtEnd();  // another visitor
  service.CountArrival(NodeOf("end", NodeType::kEnd), other_run, kNoon);
  EXPECT_EQ(Count(stats::StatEvent::kFlowCompleted), 2);
}

// A run that has counted kMaxCountedPerRun events counts no more: the token stays small.
TEST_F(HelpServiceTest, ARunCountsABoundedNumberOfEvents) {
  const HelpService service(Montreuillois(), *stats_);
  FlowState state = AtEnd();
  for (std::size_t i = 0; i < HelpService::kMaxCountedPerRun; ++i) state.counted.push_back("x" + std::to_string(i));
  service.CountArrival(NodeOf("end", NodeType::kEnd), state, kNoon);
  EXPECT_EQ(Count(stats::StatEvent::kFlowCompleted), 0);
  EXPECT_EQ(state.counted.size(), HelpService::kMaxCountedPerRun);
}

}  // namespace
}  // namespace passerelle::help
