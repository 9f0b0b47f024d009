#include <gtest/gtest.h>

#include "console/page.h"

namespace passerelle::console {
namespace {

TEST(ConsolePaths, TerritoryPathWithAndWithoutSection) {
  EXPECT_EQ(TerritoryPath("paris-10"), "/pro/territoires/paris-10");
  EXPECT_EQ(TerritoryPath("paris-10", "acteurs"), "/pro/territoires/paris-10/acteurs");
}

TEST(ConsoleAccess, OperatorsOnlyAndManagersOfTheTerritory) {
  const accounts::Access operators = Operators();
  ASSERT_EQ(operators.roles.size(), 1u);
  EXPECT_EQ(operators.roles[0], accounts::Role::kOperator);
  EXPECT_TRUE(operators.objects.empty());
  const accounts::Access managers = ManagersOfTerritory();
  EXPECT_EQ(managers.roles.size(), 2u);
  ASSERT_EQ(managers.objects.size(), 1u);
  EXPECT_EQ(managers.objects[0].param, "territory");
  EXPECT_EQ(managers.objects[0].kind, accounts::kTerritoryObject);
}

}  // namespace
}  // namespace passerelle::console
