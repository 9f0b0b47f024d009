#include "geo/spatial_index.h"
#include "geo/writer_preferring_mutex.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <random>
#include <shared_mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>

namespace passerelle::geo {
namespace {

constexpr int kCategories = 14;

// Points spread unevenly: dense clusters (towns), a sparse background over metropolitan France,
// La Réunion, Nouvelle-Calédonie and Wallis (either side of the antimeridian), a few near the
// pole, and exact duplicates so that ties must be broken by id.
std::vector<IndexedLocation> MakeLocations(std::size_t count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<std::pair<double, double>> towns;
  for (int i = 0; i < 40; ++i) towns.emplace_back(42.5 + 8 * unit(rng), -4 + 11 * unit(rng));
  std::vector<IndexedLocation> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    IndexedLocation location;
    location.id = 1000 + i * 7;  // ids unrelated to positions
    const double pick = unit(rng);
    if (pick < 0.6) {
      const auto& [lat, lon] = towns[rng() % towns.size()];
      std::normal_distribution<double> spread(0, unit(rng) < 0.5 ? 0.02 : 0.3);
      location.lat = std::clamp(lat + spread(rng), -90.0, 90.0);
      location.lon = lon + spread(rng);
    } else if (pick < 0.85) {
      location.lat = 41.3 + 9.8 * unit(rng);
      location.lon = -5 + 14.5 * unit(rng);
    } else if (pick < 0.9) {
      location.lat = -21.4 + 0.6 * unit(rng);
      location.lon = 55.2 + 0.6 * unit(rng);
    } else if (pick < 0.95) {
      location.lat = -22 + 9 * unit(rng);
      location.lon = unit(rng) < 0.5 ? 179.5 + 0.5 * unit(rng) : -180 + 3 * unit(rng);
    } else if (pick < 0.97) {
      location.lat = 89.5 + 0.5 * unit(rng);
      location.lon = -180 + 360 * unit(rng);
    } else if (!out.empty()) {
      const IndexedLocation& twin = out[rng() % out.size()];
      location.lat = twin.lat;
      location.lon = twin.lon;
    }
    location.categories = std::uint64_t{1} << (rng() % kCategories);
    if (unit(rng) < 0.2) location.categories |= std::uint64_t{1} << (rng() % kCategories);
    location.flags = static_cast<std::uint32_t>(rng() % 4);
    location.languages = std::uint64_t{1} | (std::uint64_t{1} << (1 + rng() % 5));  // French + one
    location.territory = static_cast<TerritoryId>(rng() % 4);                       // 0: none
    out.push_back(location);
  }
  return out;
}

ProximityQuery RandomQuery(std::mt19937_64& rng, const std::vector<IndexedLocation>& locations) {
  std::uniform_real_distribution<double> unit(0, 1);
  ProximityQuery query;
  const IndexedLocation& near = locations[rng() % locations.size()];
  if (unit(rng) < 0.8) {
    query.lat = std::clamp(near.lat + 0.1 * (unit(rng) - 0.5), -90.0, 90.0);
    query.lon = near.lon + 0.1 * (unit(rng) - 0.5);
    if (query.lon >= 180) query.lon -= 360;
    if (query.lon < -180) query.lon += 360;
  } else {
    query.lat = 41 + 10 * unit(rng);
    query.lon = -5 + 15 * unit(rng);
  }
  constexpr double kRadii[] = {0.5, 2, 10, 30, 100, 400, 1000};
  query.radius_km = kRadii[rng() % std::size(kRadii)];
  const int category_kind = static_cast<int>(rng() % 3);
  if (category_kind == 1) query.any_category = std::uint64_t{1} << (rng() % kCategories);
  if (category_kind == 2) {
    query.any_category = (std::uint64_t{1} << (rng() % kCategories)) | (std::uint64_t{1} << (rng() % kCategories));
  }
  query.all_flags = static_cast<std::uint32_t>(rng() % 3 == 0 ? 1 + rng() % 3 : 0);
  if (rng() % 4 == 0) query.any_language = std::uint64_t{1} << (rng() % 7);       // bit 6: nobody
  if (rng() % 4 == 0) query.territory = static_cast<TerritoryId>(1 + rng() % 4);  // 4: nobody
  if (rng() % 2 == 0) query.accept = [](LocationId id) { return (id / 7) % 2 == 0; };
  constexpr std::size_t kOffsets[] = {0, 0, 0, 10, 45, 1000};
  constexpr std::size_t kLimits[] = {1, 10, 10, 50};
  query.offset = kOffsets[rng() % std::size(kOffsets)];
  query.limit = kLimits[rng() % std::size(kLimits)];
  return query;
}

void ExpectSameAsScan(const SpatialIndex& index, const std::vector<IndexedLocation>& locations,
                      const ProximityQuery& query, int query_number) {
  const auto fast = index.FindNearest(query);
  const auto slow = NearestByScan(locations, query);
  ASSERT_TRUE(fast.ok());
  ASSERT_TRUE(slow.ok());
  ASSERT_EQ(fast.value().items, slow.value().items)
      << "query " << query_number << " at " << query.lat << "," << query.lon << " radius " << query.radius_km;
  EXPECT_EQ(fast.value().has_more, slow.value().has_more) << "query " << query_number;
}

class SpatialIndexTest : public ::testing::TestWithParam<SpatialIndex::Options> {};

TEST_P(SpatialIndexTest, AnswersExactlyLikeABruteForceScan) {
  std::vector<IndexedLocation> locations = MakeLocations(10000, 42);
  SpatialIndex index(GetParam());
  for (const auto& location : locations) ASSERT_TRUE(index.Upsert(location).ok());
  EXPECT_EQ(index.size(), locations.size());
  std::mt19937_64 rng(7);
  std::size_t non_empty = 0;
  for (int i = 0; i < 500; ++i) {
    const ProximityQuery query = RandomQuery(rng, locations);
    ExpectSameAsScan(index, locations, query, i);
    non_empty += index.FindNearest(query).value().items.empty() ? 0 : 1;
  }
  EXPECT_GT(non_empty, 150u) << "the random queries should mostly find something";
}

TEST_P(SpatialIndexTest, StaysExactThroughMovesRemovalsAndReinsertions) {
  std::vector<IndexedLocation> locations = MakeLocations(10000, 3);
  SpatialIndex index(GetParam());
  for (const auto& location : locations) ASSERT_TRUE(index.Upsert(location).ok());
  std::mt19937_64 rng(11);
  const std::vector<IndexedLocation> replacements = MakeLocations(3000, 5);
  // Move 3,000 locations (new place, categories and flags), remove 3,000 others.
  for (std::size_t i = 0; i < 3000; ++i) {
    IndexedLocation moved = replacements[i];
    moved.id = locations[i].id;
    locations[i] = moved;
    ASSERT_TRUE(index.Upsert(moved).ok());
  }
  for (std::size_t i = 0; i < 3000; ++i) {
    EXPECT_TRUE(index.Remove(locations.back().id));
    locations.pop_back();
  }
  EXPECT_FALSE(index.Remove(1));
  EXPECT_EQ(index.size(), locations.size());
  for (int i = 0; i < 200; ++i) ExpectSameAsScan(index, locations, RandomQuery(rng, locations), i);
  // Re-adding removed ids works as a plain insert.
  for (const auto& location : MakeLocations(500, 9)) {
    IndexedLocation added = location;
    added.id = 10'000'000 + location.id;
    locations.push_back(added);
    ASSERT_TRUE(index.Upsert(added).ok());
  }
  for (int i = 0; i < 200; ++i) ExpectSameAsScan(index, locations, RandomQuery(rng, locations), i);
}

INSTANTIATE_TEST_SUITE_P(Grids, SpatialIndexTest,
                         ::testing::Values(SpatialIndex::Options{}, SpatialIndex::Options{10, 2},
                                           SpatialIndex::Options{200, 16}));

// These were asserts, reached only after the division by cells_per_block (a zero crashed with
// SIGFPE), and a grid that does not divide the globe went unnoticed in the release build. Every
// build now refuses them.
TEST(SpatialIndex, RefusesAGridThatDoesNotDivideTheGlobe) {
  EXPECT_THROW(SpatialIndex(SpatialIndex::Options{100, 0}), std::invalid_argument);
  EXPECT_THROW(SpatialIndex(SpatialIndex::Options{0, 8}), std::invalid_argument);
  EXPECT_THROW(SpatialIndex(SpatialIndex::Options{100, 7}), std::invalid_argument);
  EXPECT_NO_THROW(SpatialIndex(SpatialIndex::Options{100, 8}));
}

TEST(SpatialIndex, SortsByDistanceThenIdAndPaginates) {
  SpatialIndex index;
  // Étaples, then three services at the same point in Montreuil-sur-Mer, then one in Berck.
  ASSERT_TRUE(index.Upsert({30, 50.4650, 1.7631, 1, 0}).ok());
  ASSERT_TRUE(index.Upsert({20, 50.4650, 1.7631, 1, 0}).ok());
  ASSERT_TRUE(index.Upsert({10, 50.4650, 1.7631, 1, 0}).ok());
  ASSERT_TRUE(index.Upsert({5, 50.5219, 1.6332, 1, 0}).ok());
  ASSERT_TRUE(index.Upsert({7, 50.4083, 1.5928, 2, 0}).ok());
  ProximityQuery query;
  query.lat = 50.5219;
  query.lon = 1.6332;
  query.radius_km = 30;
  query.limit = 2;
  auto page = index.FindNearest(query).value();
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].id, 5u);
  EXPECT_DOUBLE_EQ(page.items[0].distance_km, 0);
  EXPECT_EQ(page.items[1].id, 10u);
  // Étaples – Montreuil: 0.0569° of latitude (6.33 km) and 0.1299° of longitude at 50.49° N
  // (9.19 km), 11.16 km on the sphere (computed independently of this code).
  EXPECT_NEAR(page.items[1].distance_km, 11.16, 0.01);
  EXPECT_TRUE(page.has_more);
  query.offset = 2;
  query.limit = 10;
  page = index.FindNearest(query).value();
  ASSERT_EQ(page.items.size(), 3u);
  EXPECT_EQ(page.items[0].id, 20u);
  EXPECT_EQ(page.items[1].id, 30u);
  EXPECT_EQ(page.items[2].id, 7u);
  EXPECT_FALSE(page.has_more);
  query.any_category = 2;
  query.offset = 0;
  page = index.FindNearest(query).value();
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].id, 7u);
  query.any_category = 4;  // nobody offers it
  EXPECT_TRUE(index.FindNearest(query).value().items.empty());
  // Berck is 12.95 km away: outside a 12.9 km radius, inside a 13 km one.
  query.any_category = 2;
  query.radius_km = 12.9;
  EXPECT_TRUE(index.FindNearest(query).value().items.empty());
  query.radius_km = 13;
  EXPECT_EQ(index.FindNearest(query).value().items.size(), 1u);
}

TEST(SpatialIndex, FiltersByFlagsLanguageTerritoryAndCallback) {
  SpatialIndex index;
  constexpr std::uint32_t kFree = 1;
  constexpr std::uint32_t kWheelchair = 2;
  constexpr std::uint64_t kFrench = 1;
  constexpr std::uint64_t kArabic = 2;
  constexpr std::uint64_t kEnglish = 4;
  // All at Montreuil-sur-Mer, so that only the filters tell them apart.
  ASSERT_TRUE(index.Upsert({1, 50.465, 1.763, 1, kFree, kFrench, 7}).ok());
  ASSERT_TRUE(index.Upsert({2, 50.465, 1.763, 1, kFree | kWheelchair, kFrench | kArabic, 7}).ok());
  ASSERT_TRUE(index.Upsert({3, 50.465, 1.763, 1, kWheelchair, kEnglish, 8}).ok());
  const auto ids = [&](const ProximityQuery& query) {
    const auto page = index.FindNearest(query);
    std::vector<LocationId> out;
    for (const Neighbour& n : page.value().items) out.push_back(n.id);
    return out;
  };
  ProximityQuery query;
  query.lat = 50.47;
  query.lon = 1.76;
  EXPECT_EQ(ids(query), (std::vector<LocationId>{1, 2, 3}));
  query.all_flags = kFree | kWheelchair;
  EXPECT_EQ(ids(query), (std::vector<LocationId>{2}));
  query.all_flags = 0;
  query.any_language = kArabic | kEnglish;
  EXPECT_EQ(ids(query), (std::vector<LocationId>{2, 3}));
  query.any_language = 8;
  EXPECT_TRUE(ids(query).empty());
  query.any_language = 0;
  query.territory = 8;
  EXPECT_EQ(ids(query), (std::vector<LocationId>{3}));
  query.territory = 9;
  EXPECT_TRUE(ids(query).empty());
  query.territory = 0;
  query.accept = [](LocationId id) { return id != 1; };  // "open now"
  EXPECT_EQ(ids(query), (std::vector<LocationId>{2, 3}));
}

TEST(SpatialIndex, RefusesInvalidQueriesAndLocations) {
  SpatialIndex index;
  const auto refused = [&](void (*mutate)(ProximityQuery&)) {
    ProximityQuery query;
    query.lat = 48.85;
    query.lon = 2.35;
    mutate(query);
    const auto result = index.FindNearest(query);
    return !result.ok() && result.error().code == core::ErrorCode::kInvalidInput;
  };
  EXPECT_TRUE(refused([](ProximityQuery& q) { q.limit = 0; }));
  EXPECT_TRUE(refused([](ProximityQuery& q) { q.limit = kMaxPageSize + 1; }));
  EXPECT_TRUE(refused([](ProximityQuery& q) { q.offset = kMaxPageOffset + 1; }));
  EXPECT_TRUE(refused([](ProximityQuery& q) { q.radius_km = 0; }));
  EXPECT_TRUE(refused([](ProximityQuery& q) { q.radius_km = kMaxRadiusKm + 1; }));
  EXPECT_TRUE(refused([](ProximityQuery& q) { q.lat = 91; }));
  EXPECT_TRUE(refused([](ProximityQuery& q) { q.lon = std::nan(""); }));
  EXPECT_FALSE(refused([](ProximityQuery& q) { q.limit = kMaxPageSize; }));
  EXPECT_FALSE(index.Upsert({1, 48.85, 200, 1, 0}).ok());
  EXPECT_FALSE(index.Upsert({1, std::nan(""), 2.35, 1, 0}).ok());
  EXPECT_EQ(index.size(), 0u);
}

// Readers query without pause while a writer moves and removes locations: every page the
// readers get is well formed, the writer gets through (with glibc's reader-preferring
// std::shared_mutex and the former search, it waited for minutes), and the index ends exact.
TEST(SpatialIndex, ReadersRunWhileAWriterMovesLocations) {
  std::vector<IndexedLocation> locations = MakeLocations(5000, 21);
  SpatialIndex index;
  for (const auto& location : locations) ASSERT_TRUE(index.Upsert(location).ok());
  std::atomic<bool> stop = false;
  std::atomic<int> bad_pages = 0;
  std::atomic<int> pages = 0;
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&, t] {
      std::mt19937_64 rng(100 + t);
      while (!stop) {
        // The readers' copy of `locations` is only used to aim queries; it is never written.
        ProximityQuery query = RandomQuery(rng, locations);
        query.offset = 0;
        const auto page = index.FindNearest(query);
        ++pages;
        if (!page.ok()) {
          ++bad_pages;
          continue;
        }
        const auto& items = page.value().items;
        for (std::size_t i = 0; i < items.size(); ++i) {
          if (items[i].distance_km > query.radius_km) ++bad_pages;
          if (i > 0 && items[i].distance_km < items[i - 1].distance_km) ++bad_pages;
        }
      }
    });
  }
  const std::vector<IndexedLocation> moves = MakeLocations(1000, 22);
  std::vector<IndexedLocation> expected;
  for (std::size_t i = 0; i < locations.size(); ++i) {
    if (i >= moves.size()) {
      expected.push_back(locations[i]);
      continue;
    }
    IndexedLocation moved = moves[i];
    moved.id = locations[i].id;
    EXPECT_TRUE(index.Upsert(moved).ok());  // not ASSERT: the readers must be joined
    if (i % 10 == 0) {
      EXPECT_TRUE(index.Remove(moved.id));
    } else {
      expected.push_back(moved);
    }
  }
  stop = true;
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(bad_pages, 0);
  EXPECT_GT(pages, 0);
  EXPECT_EQ(index.size(), 4900u);
  std::mt19937_64 rng(5);
  for (int i = 0; i < 50; ++i) ExpectSameAsScan(index, expected, RandomQuery(rng, expected), i);
}

// Once a writer waits, new readers wait too: a reader holding the lock makes a writer queue, and
// from then on try_lock_shared fails until the writer is through.
TEST(WriterPreferringMutex, AWaitingWriterGoesBeforeNewReaders) {
  WriterPreferringMutex mutex;
  mutex.lock_shared();
  ASSERT_TRUE(mutex.try_lock_shared());  // no writer: readers share
  mutex.unlock_shared();
  std::atomic<bool> written = false;
  std::thread writer([&] {
    std::unique_lock lock(mutex);
    written = true;
  });
  // The writer cannot get in while we read; poll until it is queued (bounded, so that a lock
  // that lets readers jump the queue fails here instead of hanging).
  bool blocked_readers = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!blocked_readers && std::chrono::steady_clock::now() < deadline) {
    if (mutex.try_lock_shared()) {
      mutex.unlock_shared();
      std::this_thread::yield();
    } else {
      blocked_readers = true;
    }
  }
  EXPECT_TRUE(blocked_readers);
  EXPECT_FALSE(written);
  mutex.unlock_shared();
  writer.join();
  EXPECT_TRUE(written);
  EXPECT_TRUE(mutex.try_lock_shared());
  mutex.unlock_shared();
}

TEST(Distance, HaversineMatchesKnownDistances) {
  // Paris (Notre-Dame) to Lyon (Bellecour): about 392 km on the sphere.
  EXPECT_NEAR(HaversineKm(48.8530, 2.3499, 45.7578, 4.8320), 392.2, 1.0);
  EXPECT_DOUBLE_EQ(HaversineKm(50.52, 1.63, 50.52, 1.63), 0);
  // Across the antimeridian: 0.2° of longitude at the equator.
  EXPECT_NEAR(HaversineKm(0, 179.9, 0, -179.9), 22.24, 0.01);
}

}  // namespace
}  // namespace passerelle::geo
