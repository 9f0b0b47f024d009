#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "geo/distance.h"
#include "geo/writer_preferring_mutex.h"

namespace passerelle::geo {

using LocationId = std::uint64_t;

using TerritoryId = std::uint32_t;

// A point the index knows: the caller's id, its coordinates, a bitmask of up to 64 categories,
// up to 32 flags whose meaning the caller defines (free of charge, wheelchair access, accepts
// referrals, open now when precomputed, …), a bitmask of up to 64 languages and its territory.
struct IndexedLocation {
  LocationId id = 0;
  double lat = 0;
  double lon = 0;
  std::uint64_t categories = 0;
  std::uint32_t flags = 0;
  std::uint64_t languages = 0;
  TerritoryId territory = 0;  // 0: none
};

struct ProximityQuery {
  double lat = 0;
  double lon = 0;
  double radius_km = 10;
  std::uint64_t any_category = 0;  // keep locations with one of these categories; 0: any
  std::uint32_t all_flags = 0;     // keep locations with all of these flags
  std::uint64_t any_language = 0;  // keep locations speaking one of these languages; 0: any
  TerritoryId territory = 0;       // keep locations of this territory; 0: any
  // Called last, only for locations that would enter the page, under the index's read lock: it
  // must neither write to the index nor query it. Empty: keep all. Typically "open now".
  std::function<bool(LocationId)> accept;
  std::size_t offset = 0;
  std::size_t limit = 10;
};

struct Neighbour {
  LocationId id;
  double distance_km;

  bool operator==(const Neighbour&) const = default;
};

struct NeighbourPage {
  std::vector<Neighbour> items;  // by distance, then by id
  bool has_more = false;         // more matches lie within the radius after this page
};

inline constexpr std::size_t kMaxPageSize = 50;
inline constexpr std::size_t kMaxPageOffset = 1000;
inline constexpr double kMaxRadiusKm = 1000;

// In-memory index of locations answering "the nearest ones within a radius that pass a filter",
// exactly: the same neighbours, distances and order (distance, then id) as a scan of every
// location with HaversineKm (see NearestByScan).
//
// Design: the sphere is cut into rows of 1/cells_per_degree degree of latitude; cells_per_block
// rows form a row of blocks. Each row of blocks is cut into as many blocks as make them about as
// wide as high (in km) at their poleward edge, so that blocks do not shrink to slivers near the
// poles, and each block into cells_per_block² cells. Only non-empty blocks exist (hash map). Each
// block and cell keeps the union of its locations' categories, so that whole blocks and cells
// without a wanted category are skipped. A query looks at the blocks meeting the bounding box of
// a search circle, growing that circle by doubling from one block's height up to the radius (or
// the distance of the last neighbour wanted, once enough are found), and visits blocks and cells
// best-first by a lower bound of the distance to any point in them. Writes need no rebuild.
// Readers share a lock; a writer takes it exclusively and, once waiting, goes before new readers.
class SpatialIndex {
 public:
  struct Options {
    int cells_per_degree = 100;  // ~1.1 km of latitude per cell
    int cells_per_block = 8;     // must divide 180 × cells_per_degree
  };

  SpatialIndex();
  explicit SpatialIndex(Options options);
  ~SpatialIndex();
  SpatialIndex(const SpatialIndex&) = delete;
  SpatialIndex& operator=(const SpatialIndex&) = delete;

  // Inserts the location, or moves and updates the one with the same id.
  [[nodiscard]] core::Result<core::Ok> Upsert(const IndexedLocation& location);
  // False when no location has this id.
  bool Remove(LocationId id);
  std::size_t size() const;

  // Page `offset / limit` of the matches (limit 1 … kMaxPageSize, offset ≤ kMaxPageOffset,
  // radius in (0, kMaxRadiusKm]).
  [[nodiscard]] core::Result<NeighbourPage> FindNearest(const ProximityQuery& query) const;

 private:
  struct Entry;
  struct Cell;
  struct Block;
  class Search;

  struct Rect {
    double south, north, west, east;  // degrees
  };

  // Where a location's entry lives.
  struct Slot {
    std::uint64_t block_key;
    std::uint32_t cell;
    std::uint32_t position;
  };

  static std::uint64_t BlockKey(int block_row, int block_col);
  // Blocks in a row of blocks (1 near the poles … 360 × cells_per_degree / cells_per_block).
  int BlockCols(int block_row) const { return block_cols_[static_cast<std::size_t>(block_row)]; }
  int BlockRowOf(double lat_deg) const;
  Rect BlockRect(int block_row, int block_col) const;
  void InsertLocked(const IndexedLocation& location);
  void EraseLocked(const Slot& slot);

  Options options_;
  int block_rows_;
  double block_deg_;  // height of a block
  std::vector<int> block_cols_;
  mutable WriterPreferringMutex mutex_;
  std::unordered_map<std::uint64_t, std::unique_ptr<Block>> blocks_;
  std::unordered_map<LocationId, Slot> slots_;
  // Locations per category bit: a query for categories nobody offers returns at once.
  std::array<std::size_t, 64> category_counts_{};
};

// The reference answer: checks every location. For tests and benchmarks.
[[nodiscard]] core::Result<NeighbourPage> NearestByScan(std::span<const IndexedLocation> locations,
                                                        const ProximityQuery& query);

}  // namespace passerelle::geo
