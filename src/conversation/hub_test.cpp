#include "conversation/hub.h"

#include <gtest/gtest.h>

#include <thread>
#include <tuple>

namespace passerelle::conversation {
namespace {

using namespace std::chrono_literals;

class HubTest : public ::testing::Test {
 protected:
  HubTest()
      : hub_(
            [] {
              Settings settings;
              settings.offer_others_after = [](const std::string& territory) {
                return territory == "lent" ? std::chrono::seconds(600) : std::chrono::seconds(300);
              };
              return settings;
            }(),
            [this](Event event, const std::string& territory, long long wait) {
              events_.emplace_back(event, territory, wait);
            }) {}

  std::string Open(const std::string& org = "org-a", const std::string& code_word = "Mimosa",
                   const std::string& territory = "t1") {
    Opening opening;
    opening.territory_slug = territory;
    opening.organization_id = org;
    opening.organization_name = "CIDFF";
    opening.needs = "Conseil juridique";
    opening.commune = "Berck (62600)";
    opening.code_word = code_word;
    auto id = hub_.Open(opening, now_);
    EXPECT_TRUE(id.ok());
    return id.value();
  }
  std::string DeskIdOf(const std::string& org = "org-a") {
    const auto queue = hub_.Queue({org}, now_);
    return queue.empty() ? "" : queue.front().desk_id;
  }

  TimePoint now_ = TimePoint(std::chrono::seconds(1'800'000'000));
  std::vector<std::tuple<Event, std::string, long long>> events_;
  Hub hub_;
};

TEST_F(HubTest, QueuesInOrderPerOrganizationWithHerPosition) {
  const std::string first = Open();
  now_ += 10s;
  const std::string second = Open();
  const std::string elsewhere = Open("org-b");
  EXPECT_EQ(hub_.ForHer(first, now_)->position, 1);
  EXPECT_EQ(hub_.ForHer(second, now_)->position, 2);
  EXPECT_EQ(hub_.ForHer(elsewhere, now_)->position, 1);
  const auto queue = hub_.Queue({"org-a"}, now_);
  ASSERT_EQ(queue.size(), 2u);
  EXPECT_EQ(queue[0].waited_seconds, 10);
  EXPECT_EQ(queue[0].needs, "Conseil juridique");
  EXPECT_EQ(queue[0].commune, "Berck (62600)");
  EXPECT_TRUE(hub_.Queue({"org-c"}, now_).empty());
  // The desk id is not her id: a professional never learns her capability.
  EXPECT_NE(queue[0].desk_id, first);
  EXPECT_FALSE(hub_.ForHer(queue[0].desk_id, now_).has_value());
}

TEST_F(HubTest, EstimatesOnlyFromAnsweredWaits) {
  const std::string first = Open();
  EXPECT_FALSE(hub_.ForHer(first, now_)->estimate_minutes.has_value());  // nothing to estimate from
  now_ += 150s;
  ASSERT_TRUE(hub_.Take(DeskIdOf(), "pro-1", now_).ok());
  const std::string second = Open();
  const std::string third = Open();
  std::ignore = second;
  const auto view = hub_.ForHer(third, now_);
  EXPECT_EQ(view->position, 2);
  EXPECT_EQ(view->estimate_minutes, 5);  // 150 s median × 2, rounded up to minutes
}

TEST_F(HubTest, OffersTheOtherWaysAfterTheTerritorysDelay) {
  const std::string id = Open();
  const std::string slow = Open("org-a", "", "lent");
  now_ += 299s;
  EXPECT_FALSE(hub_.ForHer(id, now_)->offer_others);
  now_ += 1s;
  EXPECT_TRUE(hub_.ForHer(id, now_)->offer_others);
  EXPECT_FALSE(hub_.ForHer(slow, now_)->offer_others);
}

TEST_F(HubTest, OneProfessionalTakesAConversation) {
  const std::string id = Open();
  const std::string desk = DeskIdOf();
  now_ += 30s;
  ASSERT_TRUE(hub_.Take(desk, "pro-1", now_).ok());
  EXPECT_TRUE(hub_.Take(desk, "pro-1", now_).ok());  // the same hand twice
  const auto taken = hub_.Take(desk, "pro-2", now_);
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, core::ErrorCode::kConflict);
  EXPECT_EQ(hub_.ForHer(id, now_)->state, State::kTalking);
  EXPECT_TRUE(hub_.Queue({"org-a"}, now_).empty());
  ASSERT_EQ(events_.size(), 2u);
  EXPECT_EQ(std::get<0>(events_[1]), Event::kAnswered);
  EXPECT_EQ(std::get<2>(events_[1]), 30);
  // Only the one who took it writes.
  EXPECT_FALSE(hub_.ProSays(desk, "pro-2", "Bonjour", now_).ok());
  ASSERT_TRUE(hub_.ProSays(desk, "pro-1", "Bonjour", now_).ok());
  ASSERT_TRUE(hub_.HerSays(id, "  Bonjour, j’ai besoin d’un conseil  ", now_).ok());
  const auto view = hub_.ForHer(id, now_);
  ASSERT_EQ(view->messages.size(), 3u);  // taken, his, hers
  EXPECT_EQ(view->messages[2].text, "Bonjour, j’ai besoin d’un conseil");
}

TEST_F(HubTest, RefusesEmptyAndTooLongMessages) {
  const std::string id = Open();
  EXPECT_EQ(hub_.HerSays(id, "   ", now_).error().code, core::ErrorCode::kInvalidInput);
  EXPECT_EQ(hub_.HerSays(id, std::string(2001, 'a'), now_).error().code, core::ErrorCode::kInvalidInput);
  EXPECT_TRUE(hub_.HerSays(id, std::string(2000, 'a'), now_).ok());  // she may write while waiting
  EXPECT_EQ(hub_.HerSays("inconnu", "Bonjour", now_).error().code, core::ErrorCode::kNotFound);
}

TEST_F(HubTest, ChecksTheCodeWordWithoutShowingIt) {
  const std::string id = Open();
  const std::string desk = DeskIdOf();
  ASSERT_TRUE(hub_.Take(desk, "pro-1", now_).ok());
  ASSERT_TRUE(hub_.AskCodeWord(desk, "pro-1", now_).ok());
  EXPECT_TRUE(hub_.ForHer(id, now_)->code_word_asked);
  ASSERT_TRUE(hub_.HerSays(id, " mimosa ", now_).ok());
  auto view = hub_.ForDesk(desk, now_);
  EXPECT_EQ(view->code_word_matched, true);
  for (const Message& m : view->messages) EXPECT_EQ(m.text.find("mimosa"), std::string::npos);
  ASSERT_TRUE(hub_.AskCodeWord(desk, "pro-1", now_).ok());
  ASSERT_TRUE(hub_.HerSays(id, "Tulipe", now_).ok());
  EXPECT_EQ(hub_.ForDesk(desk, now_)->code_word_matched, false);
  // Without a code word, nothing to ask.
  const std::string other = Open("org-a", "");
  std::ignore = other;
  const std::string other_desk = DeskIdOf();
  ASSERT_TRUE(hub_.Take(other_desk, "pro-1", now_).ok());
  EXPECT_EQ(hub_.AskCodeWord(other_desk, "pro-1", now_).error().code, core::ErrorCode::kConflict);
}

TEST_F(HubTest, TheQuickExitDropsHerWordsAndTellsTheDesk) {
  const std::string id = Open();
  const std::string desk = DeskIdOf();
  ASSERT_TRUE(hub_.Take(desk, "pro-1", now_).ok());
  ASSERT_TRUE(hub_.HerSays(id, "CANARI", now_).ok());
  EXPECT_TRUE(hub_.Interrupt(id, Interruption::kQuickExit, now_));
  EXPECT_FALSE(hub_.ForHer(id, now_).has_value());
  const auto view = hub_.ForDesk(desk, now_);
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->state, State::kInterrupted);
  EXPECT_EQ(view->interruption, Interruption::kQuickExit);
  EXPECT_TRUE(view->messages.empty());
  EXPECT_FALSE(hub_.ProSays(desk, "pro-1", "Vous êtes là ?", now_).ok());
  EXPECT_FALSE(hub_.TakeTranscript(id, now_).ok());
  hub_.Dismiss(desk, "pro-1", now_);
  EXPECT_FALSE(hub_.ForDesk(desk, now_).has_value());
  EXPECT_EQ(hub_.Size(), 0u);
}

TEST_F(HubTest, AQuickExitWhileWaitingIsAnAbandon) {
  const std::string id = Open();
  EXPECT_TRUE(hub_.Interrupt(id, Interruption::kSomeoneComing, now_));
  EXPECT_EQ(hub_.Size(), 0u);
  ASSERT_EQ(events_.size(), 2u);
  EXPECT_EQ(std::get<0>(events_[1]), Event::kAbandoned);
}

TEST_F(HubTest, HerConsentGivesTheTranscriptOnceThenNothingRemains) {
  const std::string id = Open();
  const std::string desk = DeskIdOf();
  ASSERT_TRUE(hub_.Take(desk, "pro-1", now_).ok());
  EXPECT_EQ(hub_.TakeTranscript(id, now_).error().code, core::ErrorCode::kConflict);  // not ended
  ASSERT_TRUE(hub_.HerSays(id, "Bonjour", now_).ok());
  ASSERT_TRUE(hub_.ProSays(desk, "pro-1", "Bonjour, je vous lis", now_).ok());
  ASSERT_TRUE(hub_.ProEnds(desk, "pro-1", now_).ok());
  auto transcript = hub_.TakeTranscript(id, now_);
  ASSERT_TRUE(transcript.ok());
  EXPECT_EQ(transcript.value().opening.organization_id, "org-a");
  EXPECT_EQ(transcript.value().run_secret.size(), 32u);
  EXPECT_FALSE(hub_.TakeTranscript(id, now_).ok());
  EXPECT_EQ(hub_.Size(), 0u);
}

TEST_F(HubTest, WordsWrittenWhileWaitingCanStillBeSent) {
  const std::string id = Open();
  ASSERT_TRUE(hub_.HerSays(id, "Je suis à Berck", now_).ok());
  ASSERT_TRUE(hub_.HerEnds(id, now_).ok());
  EXPECT_EQ(std::get<0>(events_.back()), Event::kAbandoned);
  EXPECT_TRUE(hub_.TakeTranscript(id, now_).ok());
  // Nothing written: nothing to send.
  const std::string silent = Open();
  ASSERT_TRUE(hub_.HerEnds(silent, now_).ok());
  EXPECT_EQ(hub_.TakeTranscript(silent, now_).error().code, core::ErrorCode::kConflict);
}

TEST_F(HubTest, SheIsGoneAfterHerSilenceAndEndedOnesExpire) {
  const std::string id = Open();
  const std::string desk = DeskIdOf();
  ASSERT_TRUE(hub_.Take(desk, "pro-1", now_).ok());
  now_ += 14min;
  EXPECT_TRUE(hub_.ForHer(id, now_).has_value());  // her page came back
  now_ += 15min + 1s;
  EXPECT_EQ(hub_.ForDesk(desk, now_)->state, State::kInterrupted);
  now_ += 10min + 1s;
  EXPECT_FALSE(hub_.ForDesk(desk, now_).has_value());
  const std::string ended = Open();
  ASSERT_TRUE(hub_.HerEnds(ended, now_).ok());
  now_ += 10min + 1s;
  EXPECT_FALSE(hub_.ForHer(ended, now_).has_value());
}

TEST_F(HubTest, HandsOverOnlyToAColleaguePresentAtTheDesk) {
  const std::string id = Open();
  std::ignore = id;
  const std::string desk = DeskIdOf();
  hub_.SeenAtDesk("pro-1", "un@a.example.org", {"org-a"}, now_);
  ASSERT_TRUE(hub_.Take(desk, "pro-1", now_).ok());
  EXPECT_EQ(hub_.HandOver(desk, "pro-1", "pro-2", now_).error().code, core::ErrorCode::kInvalidInput);
  hub_.SeenAtDesk("pro-2", "deux@a.example.org", {"org-a"}, now_);
  hub_.SeenAtDesk("pro-3", "trois@b.example.org", {"org-b"}, now_);
  EXPECT_EQ(hub_.HandOver(desk, "pro-1", "pro-3", now_).error().code, core::ErrorCode::kInvalidInput);
  const auto colleagues = hub_.PresentColleagues("org-a", "pro-1", now_);
  ASSERT_EQ(colleagues.size(), 1u);
  EXPECT_EQ(colleagues[0].second, "deux@a.example.org");
  ASSERT_TRUE(hub_.HandOver(desk, "pro-1", "pro-2", now_).ok());
  EXPECT_TRUE(hub_.Mine("pro-1", now_).empty());
  EXPECT_EQ(hub_.Mine("pro-2", now_).size(), 1u);
  EXPECT_TRUE(hub_.Staffed("org-a", now_));
  EXPECT_FALSE(hub_.Staffed("org-a", now_ + 3min));
}

TEST_F(HubTest, WakesAWaiterOnChange) {
  const std::string id = Open();
  const std::uint64_t version = hub_.ForHer(id, now_)->version;
  std::thread writer([&] {
    std::this_thread::sleep_for(20ms);
    ASSERT_TRUE(hub_.HerSays(id, "Bonjour", now_).ok());
  });
  const auto changed = hub_.WaitForChange(id, version, std::chrono::system_clock::now() + 5s);
  writer.join();
  EXPECT_NE(changed, version);
  EXPECT_EQ(hub_.WaitForChange("inconnu", 7, std::chrono::system_clock::now()), 0u);
}

}  // namespace
}  // namespace passerelle::conversation
