#include "help/kept_step.h"

#include <gtest/gtest.h>

namespace passerelle::help {
namespace {

TEST(KeptStep, AStepAndItsRefusedAnswerComeBackAsKept) {
  const KeptStep step{"ar", "jeton", AnswerError{"place", "Commune inconnue", {{"62108", "Berck (62600)"}}},
                      std::nullopt};
  const nlohmann::json kept = KeptStepJson(step);
  EXPECT_FALSE(kept.contains("data")) << "the step, not its page";
  const auto read = ReadKeptStep(kept);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->locale, "ar");
  EXPECT_EQ(read->token, "jeton");
  ASSERT_TRUE(read->error);
  EXPECT_EQ(read->error->field, "place");
  EXPECT_EQ(read->error->message, "Commune inconnue");
  ASSERT_EQ(read->error->places.size(), 1u);
  EXPECT_EQ(read->error->places[0].insee_code, "62108");
  EXPECT_EQ(read->error->places[0].label, "Berck (62600)");
  EXPECT_FALSE(read->expired);

  const auto accepted = ReadKeptStep(KeptStepJson(KeptStep{"fr", "jeton", std::nullopt, std::nullopt}));
  ASSERT_TRUE(accepted);
  EXPECT_FALSE(accepted->error);

  const auto expired = ReadKeptStep(KeptStepJson(KeptStep{"en", "", std::nullopt, "Ce parcours a expiré"}));
  ASSERT_TRUE(expired);
  EXPECT_EQ(expired->expired, "Ce parcours a expiré");
  EXPECT_TRUE(expired->token.empty());
}

// A draft stored before the upgrade held the whole page (format 1): it is not read as a step
// (the GET shows the expired page instead), nor is anything damaged.
TEST(KeptStep, AWholePageOfTheFormerFormatOrADamagedStepIsNotAStep) {
  const nlohmann::json former = {{"template", "help/question"},
                                 {"data", {{"node", {{"id", "danger"}}}, {"token", "jeton"}}},
                                 {"status", 200},
                                 {"locale", "fr"}};
  EXPECT_FALSE(ReadKeptStep(former));
  nlohmann::json kept = KeptStepJson(KeptStep{"fr", "jeton", std::nullopt, std::nullopt});
  EXPECT_TRUE(ReadKeptStep(kept));
  for (const auto& damage : std::vector<std::pair<const char*, nlohmann::json>>{
           {"v", 1}, {"v", "2"}, {"v", 2.5}, {"locale", nullptr}, {"token", 7}, {"token", ""}}) {
    nlohmann::json damaged = kept;
    damaged[damage.first] = damage.second;
    EXPECT_FALSE(ReadKeptStep(damaged)) << damage.first << " = " << damage.second.dump();
  }
  EXPECT_FALSE(ReadKeptStep(nlohmann::json::array()));
  EXPECT_FALSE(ReadKeptStep(nullptr));
  // A damaged error is read as far as it goes, never thrown on.
  kept["error"] = {{"field", 3}, {"places", {{"62108"}, "Berck", {"62108", "Berck (62600)"}}}};
  const auto read = ReadKeptStep(kept);
  ASSERT_TRUE(read);
  ASSERT_TRUE(read->error);
  EXPECT_EQ(read->error->field, "");
  ASSERT_EQ(read->error->places.size(), 1u);
}

}  // namespace
}  // namespace passerelle::help
