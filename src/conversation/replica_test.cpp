#include "conversation/replica.h"

#include <gtest/gtest.h>

#include <deque>

#include "conversation/hub.h"

namespace passerelle::conversation {
namespace {

using namespace std::chrono_literals;

Snapshot SomeSnapshot() {
  Snapshot s;
  s.id = "her-id";
  s.desk_id = "desk-id";
  s.run_secret = std::string("\x00\x01\xff raw", 7);
  s.opening.territory_slug = "t1";
  s.opening.organization_id = "org-a";
  s.opening.organization_name = "CIDFF";
  s.opening.service_id = "svc";
  s.opening.service_name = "Permanence";
  s.opening.needs = "Conseil juridique";
  s.opening.commune = "Berck (62600)";
  s.opening.code_word = "Mimosa";
  s.opening.report.safe_contact = {{"contact", "Comment vous joindre", "Par téléphone"}};
  s.opening.report.answers = {{"q1", "Êtes-vous en sécurité ?", "Oui"}};
  s.opening.report.contact_detail = "06 00 00 00 00";
  s.opening.report.handover_consent = true;
  s.state = State::kTalking;
  s.interruption = Interruption::kSomeoneComing;
  s.messages = {{Sender::kHer, "Bonjour « ici »"}, {Sender::kSystem, "taken"}, {Sender::kProfessional, "Oui ?"}};
  s.opened_at = TimePoint(1'800'000'000'123ms);
  s.her_seen_at = TimePoint(1'800'000'050'000ms);
  s.professional = "pro-1";
  s.code_word_matched = false;
  s.counted_end = true;
  s.revision = 7;
  return s;
}

TEST(ConversationReplica, SnapshotRoundTrips) {
  const Snapshot s = SomeSnapshot();
  const auto back = SnapshotFromJson(nlohmann::json::parse(ToJson(s).dump()));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->id, s.id);
  EXPECT_EQ(back->desk_id, s.desk_id);
  EXPECT_EQ(back->run_secret, s.run_secret);
  EXPECT_EQ(back->opening.code_word, "Mimosa");
  EXPECT_EQ(back->opening.commune, s.opening.commune);
  ASSERT_EQ(back->opening.report.answers.size(), 1u);
  EXPECT_EQ(back->opening.report.answers[0].label, "Êtes-vous en sécurité ?");
  EXPECT_EQ(back->opening.report.contact_detail, "06 00 00 00 00");
  EXPECT_TRUE(back->opening.report.handover_consent);
  EXPECT_EQ(back->state, State::kTalking);
  EXPECT_EQ(back->interruption, Interruption::kSomeoneComing);
  ASSERT_EQ(back->messages.size(), 3u);
  EXPECT_EQ(back->messages[0].text, "Bonjour « ici »");
  EXPECT_EQ(back->messages[2].sender, Sender::kProfessional);
  EXPECT_EQ(back->opened_at, s.opened_at);
  EXPECT_EQ(back->her_seen_at, s.her_seen_at);
  EXPECT_EQ(back->code_word_matched, std::optional<bool>(false));
  EXPECT_EQ(back->revision, 7u);
}

TEST(ConversationReplica, RefusesWhatItDidNotWrite) {
  EXPECT_FALSE(SnapshotFromJson(nlohmann::json::object()));
  auto bad_state = ToJson(SomeSnapshot());
  bad_state["state"] = 9;
  EXPECT_FALSE(SnapshotFromJson(bad_state));
  auto bad_secret = ToJson(SomeSnapshot());
  bad_secret["secret"] = "not base64url!";
  EXPECT_FALSE(SnapshotFromJson(bad_secret));
  EXPECT_FALSE(CommandFromJson(nlohmann::json{{"op", 99}, {"id", "x"}, {"account", ""}, {"text", ""}, {"why", 0}}));
  EXPECT_FALSE(CommandFromJson(nlohmann::json{{"op", 0}, {"id", ""}, {"account", ""}, {"text", ""}, {"why", 0}}));
  EXPECT_FALSE(PresenceFromJson(nlohmann::json{{"account", "a"}}));
}

TEST(ConversationReplica, CommandAndPresenceRoundTrip) {
  Command c{Op::kHandOver, "her-id", "pro-1", "pro-2", Interruption::kQuickExit};
  const auto back = CommandFromJson(ToJson(c));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->op, Op::kHandOver);
  EXPECT_EQ(back->text, "pro-2");
  EXPECT_EQ(back->why, Interruption::kQuickExit);
  const Presence p{"pro-1", "pro@example.org", "org-a", TimePoint(1'800'000'000'000ms)};
  const auto presence = PresenceFromJson(ToJson(p));
  ASSERT_TRUE(presence.has_value());
  EXPECT_EQ(presence->label, "pro@example.org");
  EXPECT_EQ(presence->at, p.at);
}

// Two hubs wired as the relay wires two instances (through JSON, synchronously): her side on A,
// the desk on B.
class TwoInstances : public ::testing::Test {
 protected:
  TwoInstances()
      : a_(Settings{}, [this](Event e, const std::string&, long long) { a_events_.push_back(e); }),
        b_(Settings{}, [this](Event e, const std::string&, long long) { b_events_.push_back(e); }) {
    Wire(a_, "A", b_);
    Wire(b_, "B", a_);
  }
  void Wire(Hub& from, const std::string& name, Hub& to) {
    Replication r;
    r.changed = [&to, name](const Snapshot& s) { to.Adopt(*SnapshotFromJson(ToJson(s)), name); };
    r.gone = [&to](const std::string& id) { to.AdoptGone(id); };
    r.present = [&to](const Presence& p) { to.AdoptPresence(*PresenceFromJson(ToJson(p))); };
    r.forward = [this, &to](const std::string&, const Command& c, bool wait) -> core::Result<core::Ok> {
      if (!reachable_) {
        return core::Error{core::ErrorCode::kUnavailable, "injoignable", "test"};
      }
      if (!wait) {  // the relay queues it (the hub's lock is held): run by Flush
        later_.emplace_back(&to, *CommandFromJson(ToJson(c)));
        return core::Ok{};
      }
      return to.Execute(*CommandFromJson(ToJson(c)), now_);
    };
    from.Replicate(r);
  }
  void Flush() {
    while (!later_.empty()) {
      auto [hub, command] = later_.front();
      later_.pop_front();
      std::ignore = hub->Execute(command, now_);
    }
  }
  std::string Open() {
    Opening opening;
    opening.territory_slug = "t1";
    opening.organization_id = "org-a";
    opening.organization_name = "CIDFF";
    opening.needs = "Conseil juridique";
    opening.code_word = "Mimosa";
    return a_.Open(opening, now_).value();
  }

  TimePoint now_ = TimePoint(std::chrono::seconds(1'800'000'000));
  bool reachable_ = true;
  std::deque<std::pair<Hub*, Command>> later_;
  std::vector<Event> a_events_;
  std::vector<Event> b_events_;
  Hub a_;
  Hub b_;
};

TEST_F(TwoInstances, TheDeskOfAnotherInstanceTalksWithHer) {
  const std::string id = Open();
  b_.SeenAtDesk("pro-1", "pro@example.org", {"org-a"}, now_);
  EXPECT_TRUE(a_.Staffed("org-a", now_));  // her instance knows someone reads, on B
  const auto queue = b_.Queue({"org-a"}, now_);
  ASSERT_EQ(queue.size(), 1u);
  const std::string desk = queue[0].desk_id;
  now_ += 20s;
  ASSERT_TRUE(b_.Take(desk, "pro-1", now_).ok());
  EXPECT_EQ(a_.ForHer(id, now_)->state, State::kTalking);
  // Taken once, at her home: a second professional on B is refused by the home.
  const auto again = b_.Take(desk, "pro-2", now_);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, core::ErrorCode::kConflict);
  ASSERT_TRUE(b_.ProSays(desk, "pro-1", "Bonjour", now_).ok());
  ASSERT_TRUE(a_.HerSays(id, "Bonjour, je suis là", now_).ok());
  const auto desk_view = b_.ForDesk(desk, now_);
  ASSERT_EQ(desk_view->messages.size(), 3u);
  EXPECT_EQ(desk_view->messages[2].text, "Bonjour, je suis là");
  EXPECT_EQ(a_.ForHer(id, now_)->messages[1].text, "Bonjour");
  // The code word is checked at her home, never shown on B.
  ASSERT_TRUE(b_.AskCodeWord(desk, "pro-1", now_).ok());
  ASSERT_TRUE(a_.HerSays(id, "mimosa", now_).ok());
  EXPECT_EQ(b_.ForDesk(desk, now_)->code_word_matched, std::optional<bool>(true));
  // Counted once, by her home only.
  EXPECT_EQ(a_events_, (std::vector<Event>{Event::kStarted, Event::kAnswered}));
  EXPECT_TRUE(b_events_.empty());
}

TEST_F(TwoInstances, HerQuickExitOnHerInstanceShowsTheInterruptionOnTheOther) {
  const std::string id = Open();
  const std::string desk = b_.Queue({"org-a"}, now_)[0].desk_id;
  ASSERT_TRUE(b_.Take(desk, "pro-1", now_).ok());
  ASSERT_TRUE(a_.HerSays(id, "Il rentre bientôt", now_).ok());
  ASSERT_TRUE(a_.Interrupt(id, Interruption::kQuickExit, now_));
  const auto view = b_.ForDesk(desk, now_);
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->state, State::kInterrupted);
  EXPECT_EQ(view->interruption, Interruption::kQuickExit);
  EXPECT_TRUE(view->messages.empty());  // her words are gone on B too
  EXPECT_FALSE(b_.ProSays(desk, "pro-1", "Vous êtes là ?", now_).ok());
  b_.Dismiss(desk, "pro-1", now_);
  Flush();
  EXPECT_FALSE(b_.ForDesk(desk, now_).has_value());
  EXPECT_EQ(a_.Size(), 0u);  // dismissed at her home as well
}

TEST_F(TwoInstances, HerConsentOnAReplicaTakesTheTranscriptAndForgetsItEverywhere) {
  // She opened on A but her later pages reach B (no sticky sessions).
  const std::string id = Open();
  const std::string desk = b_.Queue({"org-a"}, now_)[0].desk_id;
  ASSERT_TRUE(b_.Take(desk, "pro-1", now_).ok());
  ASSERT_TRUE(b_.HerSays(id, "Depuis B", now_).ok());  // forwarded to her home A
  ASSERT_TRUE(a_.ForHer(id, now_)->messages.back().text == "Depuis B");
  ASSERT_TRUE(b_.HerEnds(id, now_).ok());
  const auto transcript = b_.TakeTranscript(id, now_);
  ASSERT_TRUE(transcript.ok());
  Flush();
  EXPECT_EQ(transcript.value().messages[1].text, "Depuis B");
  EXPECT_EQ(a_.Size(), 0u);
  EXPECT_EQ(b_.Size(), 0u);
}

TEST_F(TwoInstances, AnUnreachableHomeIsAnErrorNotACrash) {
  const std::string id = Open();
  const std::string desk = b_.Queue({"org-a"}, now_)[0].desk_id;
  reachable_ = false;
  const auto taken = b_.Take(desk, "pro-1", now_);
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, core::ErrorCode::kUnavailable);
  EXPECT_EQ(a_.ForHer(id, now_)->state, State::kWaiting);
  // Its home stopped: the replicas go, as a restart loses them on one process.
  b_.DropReplicasOf("A");
  EXPECT_EQ(b_.Size(), 0u);
  EXPECT_TRUE(b_.Queue({"org-a"}, now_).empty());
}

TEST_F(TwoInstances, AnOlderSnapshotDoesNotOverwriteANewerOne) {
  const std::string id = Open();
  auto stale = a_.HomeSnapshots().at(0);
  ASSERT_TRUE(a_.HerSays(id, "Deuxième", now_).ok());
  b_.Adopt(stale, "A");
  EXPECT_EQ(b_.ForHer(id, now_)->messages.size(), 1u);  // B kept the newer one
  // A conversation gone at its home is not revived on B by a late snapshot.
  a_.Forget(id, now_);
  EXPECT_EQ(b_.Size(), 0u);
  b_.Adopt(stale, "A");
  EXPECT_EQ(b_.Size(), 0u);
  // Its home never takes another's snapshot of its own conversation.
  const std::string other = Open();
  auto forged = a_.HomeSnapshots().at(0);
  forged.revision = 99;
  forged.messages.push_back({Sender::kHer, "forged"});
  a_.Adopt(forged, "B");
  EXPECT_EQ(a_.ForHer(other, now_)->messages.size(), 0u);
}

}  // namespace
}  // namespace passerelle::conversation
