#include "core/epoch_cache.h"

#include <gtest/gtest.h>

namespace passerelle::core {
namespace {

TEST(EpochCache, KeepsAValueForItsEpochOnly) {
  EpochCache<int, std::string> cache(8);
  EXPECT_FALSE(cache.Find(1, "a"));
  cache.Store(1, "a", "one");
  ASSERT_TRUE(cache.Find(1, "a"));
  EXPECT_EQ(*cache.Find(1, "a"), "one");
  EXPECT_FALSE(cache.Find(2, "a")) << "another epoch never sees it";
  cache.Store(2, "b", "two");
  EXPECT_FALSE(cache.Find(1, "a")) << "a store of a new epoch forgets the old one";
  EXPECT_FALSE(cache.Find(2, "a"));
  EXPECT_EQ(*cache.Find(2, "b"), "two");
}

TEST(EpochCache, ALateStoreOfAnOlderEpochIsAMissNeverAStaleValue) {
  EpochCache<int, std::string> cache(8);
  cache.Store(2, "a", "new");
  cache.Store(1, "a", "old");
  EXPECT_FALSE(cache.Find(2, "a"));
  EXPECT_EQ(*cache.Find(1, "a"), "old");
}

TEST(EpochCache, EmptiedWhenFull) {
  EpochCache<int, int> cache(2);
  cache.Store(1, "a", 1);
  cache.Store(1, "b", 2);
  cache.Store(1, "a", 3);  // full: emptied, then "a" alone
  EXPECT_EQ(*cache.Find(1, "a"), 3);
  EXPECT_FALSE(cache.Find(1, "b"));
}

}  // namespace
}  // namespace passerelle::core
