#include "help/engine.h"
#include "help/submission.h"

#include <gtest/gtest.h>

#include "help/matching.h"
#include "help/test_flows.h"

namespace passerelle::help {
namespace {

using testing::DefaultFrenchFlow;

Submission Answer(const std::string& value) { return {{"answer", {value}}}; }

class EngineTest : public ::testing::Test {
 protected:
  // Answers the current node and expects no error.
  void Step(const Submission& submission) {
    const StepOutcome outcome = engine_.Answer(state_, submission);
    ASSERT_FALSE(outcome.error) << "at " << state_.current << ": " << outcome.error->message;
    state_ = outcome.state;
  }
  Flow flow_ = DefaultFrenchFlow();
  Engine engine_{flow_};
  FlowState state_ = engine_.Start();
};

TEST_F(EngineTest, StartsAtAgeWithNothingAnswered) {
  EXPECT_EQ(state_.current, "age");
  EXPECT_TRUE(state_.history.empty());
  EXPECT_TRUE(state_.answers.empty());
  EXPECT_TRUE(engine_.Accepts(state_));
}

TEST_F(EngineTest, AMinorEndsAtYouthServices) {
  Step(Answer("minor"));
  EXPECT_EQ(state_.current, "youth");
  EXPECT_EQ(engine_.Current(state_).type, NodeType::kYouth);
  const StepOutcome after = engine_.Answer(state_, {});
  ASSERT_TRUE(after.error) << "the youth page ends the flow";
  EXPECT_EQ(after.state, state_);
}

TEST_F(EngineTest, DangerShowsTheEmergencyPageThenLetsHerContinue) {
  Step(Answer("adult"));
  Step(Answer("self"));
  Step(Answer("yes"));
  EXPECT_EQ(state_.current, "emergency");
  Step({});
  EXPECT_EQ(state_.current, "needs");
  EXPECT_EQ(state_.answers.at("danger_now"), "yes");
}

TEST_F(EngineTest, UnsureAlsoShowsTheEmergencyNumbers) {
  Step(Answer("adult"));
  Step(Answer("self"));
  Step(Answer("unsure"));
  EXPECT_EQ(state_.current, "emergency");
}

TEST_F(EngineTest, AnAdultWalksTheWholeFlowToTheEnd) {
  Step(Answer("adult"));
  EXPECT_EQ(state_.current, "who");
  Step(Answer("self"));
  EXPECT_EQ(state_.current, "danger_now");
  Step(Answer("no"));
  Step({{"answer", {"lawyer", "legal"}}});
  EXPECT_EQ(state_.current, "children") << "needs_other only follows \"other\"";
  Step(Answer("yes_at_risk"));
  Step({{"place", {"62170"}}});
  Step(Answer("fr"));
  Step({{"channel", {"phone"}},
        {"times", {"evening", "morning"}},
        {"voicemail", {"no"}},
        {"identify", {"yes"}},
        {"code_word", {"  Mimosa "}},
        {"if_other", {"pretext"}}});
  EXPECT_EQ(state_.current, "end");
  EXPECT_EQ(state_.history, (std::vector<std::string>{"age", "who", "danger_now", "needs", "children", "location",
                                                      "language", "contact"}));
  EXPECT_EQ(state_.answers.at("needs"), nlohmann::json({"legal", "lawyer"})) << "kept in the flow's order";
  EXPECT_EQ(state_.answers.at("location"), nlohmann::json({{"postal_code", "62170"}}));
  EXPECT_EQ(state_.answers.at("contact"), nlohmann::json({{"channel", "phone"},
                                                          {"times", {"morning", "evening"}},
                                                          {"voicemail", false},
                                                          {"identify", true},
                                                          {"code_word", "Mimosa"},
                                                          {"if_other", "pretext"}}));

  const MatchRequest request = MatchRequestFrom(state_.answers);
  EXPECT_EQ(request.needs, (std::vector<std::string>{"legal", "lawyer"}));
  EXPECT_TRUE(request.children_at_risk);
  EXPECT_EQ(request.language, "fr");
  EXPECT_EQ(request.location, nlohmann::json({{"postal_code", "62170"}}));
  EXPECT_EQ(request.contact_channel, "phone");
  EXPECT_TRUE(ProposeProfessionals(request, MatchDirectory{}, nullptr, 0, {}).proposals.empty())
      << "no directory, nobody invented";
}

TEST_F(EngineTest, OtherNeedAsksForDetailsWhichAreOptional) {
  Step(Answer("adult"));
  Step(Answer("self"));
  Step(Answer("no"));
  Step({{"answer", {"housing", "other"}}});
  EXPECT_EQ(state_.current, "needs_other");
  Step(Answer(""));
  EXPECT_EQ(state_.current, "children");
  EXPECT_EQ(state_.answers.count("needs_other"), 0U);
}

TEST_F(EngineTest, ARelativeGetsGuidanceThenQuestionsAboutThePersonInTheThirdPerson) {
  Step(Answer("adult"));
  EXPECT_EQ(state_.current, "who") << "who before danger now";
  EXPECT_EQ(WordedFor(engine_.Current(state_), state_.answers).text, "Pour qui cherchez-vous de l’aide ?");
  Step(Answer("relative"));
  EXPECT_EQ(state_.current, "relative_info");
  Step({});
  EXPECT_EQ(state_.current, "danger_now");
  EXPECT_EQ(WordedFor(engine_.Current(state_), state_.answers).text,
            "Cette personne est-elle en danger en ce moment ?");
  Step(Answer("no"));
  EXPECT_EQ(state_.current, "needs");
  const Node needs = WordedFor(engine_.Current(state_), state_.answers);
  EXPECT_EQ(needs.text, "De quoi cette personne a-t-elle besoin ?");
  EXPECT_EQ(needs.FindChoice("legal")->label, "Connaître ses droits");
  EXPECT_EQ(needs.FindChoice("lawyer")->label, "Un avocat ou une avocate") << "unchanged where already neutral";
  // Her own path keeps the first person.
  Answers self = state_.answers;
  self["who"] = "self";
  EXPECT_EQ(WordedFor(engine_.Current(state_), self).text, "De quoi avez-vous besoin ?");
  EXPECT_EQ(WordedFor(engine_.Current(state_), self).FindChoice("legal")->label, "Connaître mes droits");
}

TEST_F(EngineTest, RefusesMissingUnknownAndMultipleAnswersWithTheNodesMessage) {
  for (const Submission& bad : {Submission{}, Answer(""), Answer("teen"), Submission{{"answer", {"minor", "adult"}}}}) {
    const StepOutcome outcome = engine_.Answer(state_, bad);
    ASSERT_TRUE(outcome.error);
    EXPECT_EQ(outcome.error->field, "answer");
    EXPECT_EQ(outcome.error->message, "Indiquez si vous avez moins de 18 ans ou 18 ans et plus.");
    EXPECT_EQ(outcome.state, state_) << "a refused answer changes nothing";
  }
}

TEST_F(EngineTest, SkipIsOnlyAcceptedOnOptionalNodes) {
  EXPECT_TRUE(engine_.Answer(state_, Answer("skip")).error) << "age is not optional";
  Step(Answer("adult"));
  Step(Answer("self"));
  Step(Answer("no"));
  Step(Answer("listen"));
  Step(Answer("skip"));
  EXPECT_EQ(state_.current, "location");
  EXPECT_EQ(state_.answers.count("children"), 0U);
}

TEST_F(EngineTest, MultiChoiceRefusesDuplicatesAndUnknownCodes) {
  Step(Answer("adult"));
  Step(Answer("self"));
  Step(Answer("no"));
  EXPECT_TRUE(engine_.Answer(state_, {{"answer", {"legal", "legal"}}}).error);
  EXPECT_TRUE(engine_.Answer(state_, {{"answer", {"legal", "jetpack"}}}).error);
  EXPECT_TRUE(engine_.Answer(state_, {{"answer", {}}}).error);
}

class LocationTest : public EngineTest {
 protected:
  void SetUp() override {
    Step(Answer("adult"));
    Step(Answer("self"));
    Step(Answer("no"));
    Step(Answer("listen"));
    Step(Answer("none"));
    ASSERT_EQ(state_.current, "location");
  }
  std::optional<AnswerError> ErrorFor(const Submission& submission) { return engine_.Answer(state_, submission).error; }
};

TEST_F(LocationTest, AcceptsPostalCodesCommunesAndRoundsCoordinatesToAboutOneKilometre) {
  EXPECT_EQ(engine_.Answer(state_, {{"place", {"Montreuil-sur-Mer"}}}).state.answers.at("location"),
            nlohmann::json({{"commune", "Montreuil-sur-Mer"}}));
  const StepOutcome coordinates = engine_.Answer(state_, {{"lat", {"50.463712"}}, {"lon", {"1.764988"}}});
  ASSERT_FALSE(coordinates.error);
  EXPECT_EQ(coordinates.state.answers.at("location"), nlohmann::json({{"lat", 50.46}, {"lon", 1.76}}));
}

TEST_F(LocationTest, RefusesBadPostalCodesCoordinatesAndNothing) {
  EXPECT_EQ(ErrorFor({{"place", {"6217"}}})->field, "place");
  EXPECT_EQ(ErrorFor({{"place", {"6217"}}})->message, "Un code postal a 5 chiffres, par exemple 62170.");
  EXPECT_TRUE(ErrorFor({{"place", {"<script>"}}}));
  EXPECT_TRUE(ErrorFor({{"place", {std::string(81, 'a')}}}));
  EXPECT_TRUE(ErrorFor({{"lat", {"91"}}, {"lon", {"2"}}}));
  EXPECT_TRUE(ErrorFor({{"lat", {"nan"}}, {"lon", {"2"}}}));
  EXPECT_TRUE(ErrorFor({{"lat", {"48.8"}}}));
  EXPECT_EQ(ErrorFor({})->message, "Indiquez un code postal ou le nom d’une commune.");
}

class ContactTest : public LocationTest {
 protected:
  void SetUp() override {
    LocationTest::SetUp();
    Step({{"place", {"75010"}}});
    Step(Answer("ar"));
    ASSERT_EQ(state_.current, "contact");
  }
};

TEST_F(ContactTest, OnlyAName_KeepsNothingElse) {
  const StepOutcome outcome = engine_.Answer(state_, {{"channel", {"none"}}, {"code_word", {"ignored"}}});
  ASSERT_FALSE(outcome.error);
  EXPECT_EQ(outcome.state.answers.at("contact"), nlohmann::json({{"channel", "none"}}));
}

TEST_F(ContactTest, UnansweredQuestionsTakeTheSafestAnswer) {
  const StepOutcome outcome = engine_.Answer(state_, {{"channel", {"sms"}}});
  ASSERT_FALSE(outcome.error);
  EXPECT_EQ(outcome.state.answers.at("contact"), nlohmann::json({{"channel", "sms"},
                                                                 {"times", nlohmann::json::array()},
                                                                 {"voicemail", false},
                                                                 {"identify", false},
                                                                 {"if_other", "hang_up"}}));
}

TEST_F(ContactTest, RefusesUnknownValuesNamingTheField) {
  EXPECT_EQ(ErrorFor({})->field, "channel");
  EXPECT_EQ(ErrorFor({{"channel", {"pigeon"}}})->field, "channel");
  EXPECT_EQ(ErrorFor({{"channel", {"phone"}}, {"times", {"midnight"}}})->field, "times");
  EXPECT_EQ(ErrorFor({{"channel", {"phone"}}, {"voicemail", {"maybe"}}})->field, "voicemail");
  EXPECT_EQ(ErrorFor({{"channel", {"phone"}}, {"if_other", {"shout"}}})->field, "if_other");
  EXPECT_EQ(ErrorFor({{"channel", {"phone"}}, {"code_word", {std::string(41, 'x')}}})->field, "code_word");
  EXPECT_FALSE(ErrorFor({{"channel", {"phone"}}, {"code_word", {std::string(40, 'x')}}}));
}

TEST_F(EngineTest, BackGoesOneQuestionBackKeepingThatAnswerAndDroppingTheLaterOne) {
  Step(Answer("adult"));
  Step(Answer("self"));
  Step(Answer("no"));
  Step({{"answer", {"housing", "other"}}});
  Step(Answer("Papiers"));
  ASSERT_EQ(state_.current, "children");
  state_ = engine_.Back(state_);
  EXPECT_EQ(state_.current, "needs_other");
  EXPECT_EQ(state_.answers.at("needs_other"), "Papiers") << "kept to pre-fill the page";
  state_ = engine_.Back(state_);
  EXPECT_EQ(state_.current, "needs");
  EXPECT_EQ(state_.answers.count("needs_other"), 0U) << "no longer on her path";
  Step(Answer("housing"));
  EXPECT_EQ(state_.current, "children") << "the new answer takes the other branch";
  for (int i = 0; i < 10; ++i) state_ = engine_.Back(state_);
  EXPECT_EQ(state_.current, "age") << "back from the first question stays there";
  EXPECT_TRUE(state_.history.empty());
  EXPECT_EQ(state_.answers, (Answers{{"age", "adult"}})) << "only the answer shown again on the page";
}

TEST_F(EngineTest, TheSameStepTwiceGivesTheSameState) {
  const StepOutcome first = engine_.Answer(state_, Answer("adult"));
  const StepOutcome again = engine_.Answer(state_, Answer("adult"));
  EXPECT_EQ(first.state, again.state);
}

TEST_F(EngineTest, RefusesStatesOfAnotherFlowOrVersion) {
  FlowState other = state_;
  other.flow_version += 1;
  EXPECT_FALSE(engine_.Accepts(other));
  other = state_;
  other.current = "nowhere";
  EXPECT_FALSE(engine_.Accepts(other));
  other = state_;
  other.history = {"age", "ghost"};
  EXPECT_FALSE(engine_.Accepts(other));
}

TEST_F(EngineTest, TextLengthIsCountedInCharactersNotBytes) {
  Step(Answer("adult"));
  Step(Answer("self"));
  Step(Answer("no"));
  Step(Answer("other"));
  std::string accented;
  for (int i = 0; i < 200; ++i) accented += "é";
  EXPECT_FALSE(engine_.Answer(state_, Answer(accented)).error);
  EXPECT_TRUE(engine_.Answer(state_, Answer(accented + "e")).error);
  EXPECT_TRUE(engine_.Answer(state_, Answer("bad \xff byte")).error);
  EXPECT_TRUE(engine_.Answer(state_, Answer(std::string("nul \x01 char"))).error);
}

// Walks an adult to the location question.
class PlaceStepTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const Submission& step : {Answer("adult"), Answer("self"), Answer("no"), Answer("legal"), Answer("none")}) {
      state_ = engine_.Answer(state_, step).state;
    }
    ASSERT_EQ(state_.current, "location");
  }
  // A resolver that knows Berck only, and offers it for "Berk".
  static std::variant<nlohmann::json, AnswerError> Resolve(const nlohmann::json& given) {
    if (given.value("commune", "") == "Berck" || given.value("insee", "") == "62108") {
      return nlohmann::json{{"commune", "Berck (62600)"}, {"insee", "62108"}};
    }
    if (given.value("commune", "") == "Berk")
      return AnswerError{"", "Vouliez-vous dire :", {{"62108", "Berck (62600)"}}};
    return AnswerError{"", "Inconnue", {}};
  }
  Flow flow_ = DefaultFrenchFlow();
  Engine engine_{flow_, Resolve};
  FlowState state_ = engine_.Start();
};

TEST_F(PlaceStepTest, AnUnknownPlaceIsRefusedAtItsStep) {
  const StepOutcome outcome = engine_.Answer(state_, {{"place", {"ABCDE"}}});
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->field, "place");
  EXPECT_EQ(outcome.error->message, "Inconnue");
  EXPECT_EQ(outcome.state, state_);
}

TEST_F(PlaceStepTest, ATypoOffersTheCommuneAndPickingItGoesOn) {
  const StepOutcome typo = engine_.Answer(state_, {{"place", {"Berk"}}});
  ASSERT_TRUE(typo.error);
  ASSERT_EQ(typo.error->places.size(), 1u);
  EXPECT_EQ(typo.error->places.front().label, "Berck (62600)");
  // She picks it: the commune's code wins over the text still in the field.
  const StepOutcome picked = engine_.Answer(state_, {{"insee", {"62108"}}, {"place", {"Berk"}}});
  ASSERT_FALSE(picked.error);
  EXPECT_EQ(picked.state.current, "language");
  EXPECT_EQ(picked.state.answers.at("location"), (nlohmann::json{{"commune", "Berck (62600)"}, {"insee", "62108"}}));
  EXPECT_TRUE(engine_.Answer(state_, {{"insee", {"<b>"}}}).error) << "a code only";
}

TEST_F(PlaceStepTest, WithoutAResolverThePlaceIsKeptAsTyped) {
  const Engine plain(flow_);
  const StepOutcome outcome = plain.Answer(state_, {{"place", {"ABCDE"}}});
  ASSERT_FALSE(outcome.error);
  EXPECT_EQ(outcome.state.answers.at("location"), (nlohmann::json{{"commune", "ABCDE"}}));
}

TEST_F(EngineTest, TheEmergencyPageTakesAnOptionalPlaceAndKeepsIt) {
  Step(Answer("adult"));
  EXPECT_TRUE(engine_.Locate(state_, {{"place", {"62600"}}}).error) << "only on the emergency and youth pages";
  Step(Answer("self"));
  Step(Answer("yes"));
  ASSERT_EQ(state_.current, "emergency");
  const StepOutcome located = engine_.Locate(state_, {{"place", {"62600"}}});
  ASSERT_FALSE(located.error);
  EXPECT_EQ(located.state.current, "emergency") << "she stays on the page";
  EXPECT_EQ(located.state.answers.at("emergency"), (nlohmann::json{{"postal_code", "62600"}}));
  EXPECT_TRUE(engine_.Locate(state_, {{"place", {"123"}}}).error);
  state_ = located.state;
  Step({});
  EXPECT_EQ(state_.current, "needs");
  EXPECT_EQ(state_.answers.at("emergency"), (nlohmann::json{{"postal_code", "62600"}}))
      << "kept for the location question";
}

TEST(AllowsReferral, NotWhenSheOnlyWantsAName) {
  FlowState state;
  EXPECT_TRUE(AllowsReferral(state));
  state.answers["contact"] = {{"channel", "phone"}, {"times", {"evening"}}};
  EXPECT_TRUE(AllowsReferral(state));
  state.answers["contact"] = {{"channel", "none"}};
  EXPECT_FALSE(AllowsReferral(state));
}

}  // namespace
// The API's "answer" as form-like fields; shapes it cannot be are refused (a 400), not guessed.
TEST(SubmissionFromJsonTest, TakesStringsArraysAndFlatObjectsOnly) {
  EXPECT_EQ(SubmissionFromJson(nlohmann::json("adult")), (Submission{{"answer", {"adult"}}}));
  EXPECT_EQ(SubmissionFromJson(nlohmann::json::array({"a", "b"})), (Submission{{"answer", {"a", "b"}}}));
  EXPECT_EQ(SubmissionFromJson(nlohmann::json{{"channel", "phone"}, {"voicemail", false}, {"times", {"evening"}}}),
            (Submission{{"channel", {"phone"}}, {"times", {"evening"}}, {"voicemail", {"no"}}}));
  EXPECT_EQ(SubmissionFromJson(nlohmann::json()), Submission{});
  EXPECT_FALSE(SubmissionFromJson(nlohmann::json::array({1, "b"})));
  EXPECT_FALSE(SubmissionFromJson(nlohmann::json{{"place", {{"nested", "x"}}}}));
  EXPECT_FALSE(SubmissionFromJson(nlohmann::json(3)));
}

}  // namespace passerelle::help
