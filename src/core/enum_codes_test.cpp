#include "core/enum_codes.h"

#include <gtest/gtest.h>

namespace passerelle::core {
namespace {

enum class Colour { kRed, kGreen, kBlue };

constexpr auto kColourCodes = MakeEnumCodes<Colour>({
    {Colour::kRed, "red"},
    {Colour::kGreen, "green"},
    {Colour::kBlue, "blue"},
});
static_assert(kColourCodes.IsComplete());
static_assert(kColourCodes.ToCode(Colour::kGreen) == "green");
static_assert(kColourCodes.FromCode("blue") == Colour::kBlue);

TEST(EnumCodes, EachValueHasItsCodeAndBack) {
  for (Colour c : kColourCodes.Values()) {
    EXPECT_EQ(kColourCodes.FromCode(kColourCodes.ToCode(c)), c);
  }
  EXPECT_EQ(kColourCodes.ToCode(Colour::kRed), "red");
  EXPECT_EQ(kColourCodes.Values(), (std::array{Colour::kRed, Colour::kGreen, Colour::kBlue}));
}

TEST(EnumCodes, AnUnknownCodeIsNoValue) {
  EXPECT_EQ(kColourCodes.FromCode("purple"), std::nullopt);
  EXPECT_EQ(kColourCodes.FromCode(""), std::nullopt);
  EXPECT_EQ(kColourCodes.FromCode("Red"), std::nullopt);  // codes are exact, case included
  EXPECT_EQ(kColourCodes.FromCode("red "), std::nullopt);
}

TEST(EnumCodes, AValueTheTableLacksHasAnEmptyCode) { EXPECT_EQ(kColourCodes.ToCode(static_cast<Colour>(7)), ""); }

TEST(EnumCodes, IsCompleteRefusesMissingDuplicateOrEmptyEntries) {
  constexpr auto missing = MakeEnumCodes<Colour>({{Colour::kRed, "red"}, {Colour::kBlue, "blue"}});
  constexpr auto same_value =
      MakeEnumCodes<Colour>({{Colour::kRed, "red"}, {Colour::kRed, "rouge"}, {Colour::kBlue, "blue"}});
  constexpr auto same_code =
      MakeEnumCodes<Colour>({{Colour::kRed, "red"}, {Colour::kGreen, "red"}, {Colour::kBlue, "blue"}});
  constexpr auto empty_code =
      MakeEnumCodes<Colour>({{Colour::kRed, "red"}, {Colour::kGreen, ""}, {Colour::kBlue, "blue"}});
  EXPECT_FALSE(missing.IsComplete());
  EXPECT_FALSE(same_value.IsComplete());
  EXPECT_FALSE(same_code.IsComplete());
  EXPECT_FALSE(empty_code.IsComplete());
}

}  // namespace
}  // namespace passerelle::core
