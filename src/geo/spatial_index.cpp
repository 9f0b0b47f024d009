#include "geo/spatial_index.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <numbers>
#include <queue>
#include <shared_mutex>
#include <stdexcept>

namespace passerelle::geo {

namespace {

constexpr double kRadiansPerDegree = std::numbers::pi / 180.0;
// Bounds are lowered by this much so that rounding can never prune a point lying on a cell edge.
constexpr double kBoundSlackKm = 1e-9;

core::Error Invalid(std::string public_message, std::string internal_detail) {
  return core::Error{core::ErrorCode::kInvalidInput, std::move(public_message),
                     "proximity query: " + std::move(internal_detail)};
}

core::Result<core::Ok> ValidateQuery(const ProximityQuery& query) {
  if (!IsValidCoordinate(query.lat, query.lon)) {
    return Invalid("Coordonnées invalides.", "coordinates out of range");
  }
  if (!(query.radius_km > 0 && query.radius_km <= kMaxRadiusKm)) {
    return Invalid("Le rayon de recherche doit être compris entre 0 et 1000 km.", "radius out of range");
  }
  if (query.limit == 0 || query.limit > kMaxPageSize) {
    return Invalid("Le nombre de résultats par page doit être compris entre 1 et 50.", "limit out of range");
  }
  if (query.offset > kMaxPageOffset) {
    return Invalid("Page de résultats trop éloignée.", "offset out of range");
  }
  return core::Ok{};
}

bool Before(const Neighbour& a, const Neighbour& b) {
  return a.distance_km < b.distance_km || (a.distance_km == b.distance_km && a.id < b.id);
}

// Longitudes in [-180, 180): 180 and -180 are one meridian.
double NormalizedLon(double lon_deg) { return lon_deg >= 180 ? lon_deg - 360 : lon_deg; }

// Smallest longitude difference in degrees between `lon` and any longitude of [west, east].
double LonGap(double lon, double west, double east) {
  if (lon >= west && lon <= east) return 0;
  const double to_west = lon < west ? west - lon : west - lon + 360;
  const double from_east = lon > east ? lon - east : lon - east + 360;
  return std::min(to_west, from_east);
}

void CountCategories(std::array<std::size_t, 64>& counts, std::uint64_t categories, int delta) {
  for (int bit = 0; bit < 64; ++bit) {
    if (((categories >> bit) & 1) == 0) continue;
    if (delta > 0) {
      ++counts[bit];
    } else {
      --counts[bit];
    }
  }
}

NeighbourPage MakePage(std::vector<Neighbour> sorted, const ProximityQuery& query) {
  NeighbourPage page;
  page.has_more = sorted.size() > query.offset + query.limit;
  if (sorted.size() > query.offset) {
    const auto end = std::min(sorted.size(), query.offset + query.limit);
    page.items.assign(sorted.begin() + static_cast<std::ptrdiff_t>(query.offset),
                      sorted.begin() + static_cast<std::ptrdiff_t>(end));
  }
  return page;
}

}  // namespace

struct SpatialIndex::Entry {
  std::uint64_t categories;
  std::uint64_t languages;
  std::uint32_t flags;
  TerritoryId territory;
  RadianPoint point;
  LocationId id;
};

struct SpatialIndex::Cell {
  std::uint64_t categories = 0;  // union over entries
  std::vector<Entry> entries;
};

struct SpatialIndex::Block {
  int row;
  int col;
  std::uint64_t categories = 0;  // union over cells
  std::size_t count = 0;
  std::vector<Cell> cells;  // cells_per_block² cells, row-major from the south-west corner
};

// One query: blocks meeting the bounding box of a growing search circle, then a best-first walk
// over those blocks and their cells, keeping the `wanted` best matches.
class SpatialIndex::Search {
 public:
  Search(const SpatialIndex& index, const ProximityQuery& query)
      : index_(index),
        query_(query),
        q_(ToRadianPoint(query.lat, query.lon)),
        q_lat_deg_(query.lat),
        q_lon_deg_(NormalizedLon(query.lon)),
        wanted_(query.offset + query.limit + 1) {
    SetThreshold(query.radius_km);
    // Rows of blocks the largest circle (the radius) can meet; each remembers which of its
    // columns were already looked at.
    const double max_deg = AngleDeg(query.radius_km);
    first_row_ = index.BlockRowOf(std::max(-90.0, q_lat_deg_ - max_deg));
    const int last_row = index.BlockRowOf(std::min(90.0, q_lat_deg_ + max_deg));
    seen_.assign(static_cast<std::size_t>(last_row - first_row_ + 1), SeenColumns{});
  }

  NeighbourPage Run() {
    // Start with a circle about one block high: enough for most queries in a town.
    double circle_km = std::min(threshold_km_, index_.block_deg_ * kRadiansPerDegree * kEarthRadiusKm);
    AddBlocksMeeting(circle_km);
    for (;;) {
      while (!candidates_.empty() && candidates_.top().bound_km <= std::min(circle_km, threshold_km_)) {
        const Candidate next = candidates_.top();
        candidates_.pop();
        if (next.cell < 0) {
          PushCells(*next.block);
        } else {
          Scan(next.block->cells[static_cast<std::size_t>(next.cell)]);
        }
      }
      // Blocks not looked at lie beyond the circle; those waiting lie beyond it or the threshold.
      if (circle_km >= threshold_km_) break;
      circle_km = std::min(threshold_km_, 2 * circle_km);
      AddBlocksMeeting(circle_km);
    }
    std::vector<Neighbour> sorted;
    sorted.reserve(best_.size());
    while (!best_.empty()) {
      sorted.push_back(best_.top());
      best_.pop();
    }
    std::reverse(sorted.begin(), sorted.end());
    return MakePage(std::move(sorted), query_);
  }

 private:
  struct Candidate {
    double bound_km;
    const Block* block;
    int cell;  // -1: the whole block
  };
  struct FartherFirst {
    bool operator()(const Candidate& a, const Candidate& b) const { return a.bound_km > b.bound_km; }
  };
  struct WorstOnTop {
    bool operator()(const Neighbour& a, const Neighbour& b) const { return Before(a, b); }
  };
  // Columns of one row of blocks already looked at: [low, high] before wrapping around.
  struct SeenColumns {
    bool any = false;
    bool all = false;
    long low = 0;
    long high = -1;
  };

  // The angle, in degrees, of an arc of `km`, enlarged so that rounding never makes a search
  // circle's bounding box miss a point on its edge.
  static double AngleDeg(double km) { return km / kEarthRadiusKm / kRadiansPerDegree * (1 + 1e-9) + 1e-9; }

  bool WantsCategories(std::uint64_t categories) const {
    return query_.any_category == 0 || (categories & query_.any_category) != 0;
  }

  // Points farther than this cannot enter the page.
  void SetThreshold(double km) {
    threshold_km_ = km;
    const double half_angle = km / (2 * kEarthRadiusKm);
    const double s = half_angle >= std::numbers::pi / 2 ? 1.0 : std::sin(half_angle);
    // Slack so that a point whose distance rounds to exactly the threshold is still examined.
    h_limit_ = s * s * (1 + 1e-9);
  }

  // Lower bound of the distance to any point with latitude in [south, north] and longitude in
  // [west, east] (degrees): hav(d) = hav(Δφ) + cos φ1 cos φ2 hav(Δλ), each term at its minimum.
  double RectBound(double south, double north, double west, double east) const {
    const double gap_lat = std::max({0.0, south - q_lat_deg_, q_lat_deg_ - north}) * kRadiansPerDegree;
    const double gap_lon = LonGap(q_lon_deg_, west, east) * kRadiansPerDegree;
    const double cos_min =
        std::max(0.0, std::min(std::cos(south * kRadiansPerDegree), std::cos(north * kRadiansPerDegree)));
    const double s_lat = std::sin(gap_lat / 2);
    const double s_lon = std::sin(gap_lon / 2);
    const double h = s_lat * s_lat + q_.cos_lat * cos_min * s_lon * s_lon;
    return 2 * kEarthRadiusKm * std::asin(std::sqrt(std::min(1.0, h))) - kBoundSlackKm;
  }

  // Queues every block meeting the bounding box of the circle of `km` around the query that is
  // not queued yet. The box of a circle of angle θ around latitude φ spans φ ± θ and, unless it
  // reaches a pole, longitudes λ ± asin(sin θ / cos φ).
  void AddBlocksMeeting(double km) {
    const double angle_deg = AngleDeg(km);
    const double south = q_lat_deg_ - angle_deg;
    const double north = q_lat_deg_ + angle_deg;
    double half_width_deg = 360;
    if (south > -90 && north < 90) {
      const double ratio = std::sin(angle_deg * kRadiansPerDegree) / std::cos(q_lat_deg_ * kRadiansPerDegree);
      if (ratio < 1) half_width_deg = std::asin(ratio) / kRadiansPerDegree * (1 + 1e-9) + 1e-9;
    }
    const int last_row =
        std::min(index_.BlockRowOf(std::min(90.0, north)), first_row_ + static_cast<int>(seen_.size()) - 1);
    for (int row = std::max(first_row_, index_.BlockRowOf(std::max(-90.0, south))); row <= last_row; ++row) {
      AddColumns(row, half_width_deg);
    }
  }

  void AddColumns(int row, double half_width_deg) {
    SeenColumns& seen = seen_[static_cast<std::size_t>(row - first_row_)];
    if (seen.all) return;
    const long cols = index_.BlockCols(row);
    const double width_deg = 360.0 / static_cast<double>(cols);
    const long low = static_cast<long>(std::floor((q_lon_deg_ - half_width_deg + 180) / width_deg));
    const long high = static_cast<long>(std::floor((q_lon_deg_ + half_width_deg + 180) / width_deg));
    if (high - low + 1 >= cols) {
      // The whole row: what was not seen yet, once each.
      if (!seen.any) {
        for (long col = 0; col < cols; ++col) Push(row, col);
      } else {
        for (long col = seen.high + 1; col < seen.low + cols; ++col) Push(row, col);
      }
      seen = SeenColumns{true, true, 0, cols - 1};
      return;
    }
    // The circle only grows: the new range contains the one seen.
    if (!seen.any) {
      for (long col = low; col <= high; ++col) Push(row, col);
    } else {
      for (long col = low; col < seen.low; ++col) Push(row, col);
      for (long col = seen.high + 1; col <= high; ++col) Push(row, col);
    }
    seen = SeenColumns{true, false, low, high};
  }

  void Push(int row, long unwrapped_col) {
    const long cols = index_.BlockCols(row);
    const int col = static_cast<int>((unwrapped_col % cols + cols) % cols);
    const auto found = index_.blocks_.find(BlockKey(row, col));
    if (found == index_.blocks_.end()) return;
    const Block& block = *found->second;
    if (!WantsCategories(block.categories)) return;
    const Rect rect = index_.BlockRect(row, col);
    const double bound = RectBound(rect.south, rect.north, rect.west, rect.east);
    if (bound <= threshold_km_) candidates_.push({bound, &block, -1});
  }

  void PushCells(const Block& block) {
    const int per_block = index_.options_.cells_per_block;
    const Rect rect = index_.BlockRect(block.row, block.col);
    const double cell_height = (rect.north - rect.south) / per_block;
    const double cell_width = (rect.east - rect.west) / per_block;
    for (std::size_t i = 0; i < block.cells.size(); ++i) {
      const Cell& cell = block.cells[i];
      if (cell.entries.empty() || !WantsCategories(cell.categories)) continue;
      const int row = static_cast<int>(i) / per_block;
      const int col = static_cast<int>(i) % per_block;
      const double south = rect.south + row * cell_height;
      const double west = rect.west + col * cell_width;
      const double bound = RectBound(south, row + 1 == per_block ? rect.north : south + cell_height, west,
                                     col + 1 == per_block ? rect.east : west + cell_width);
      if (bound <= threshold_km_) candidates_.push({bound, &block, static_cast<int>(i)});
    }
  }

  void Scan(const Cell& cell) {
    for (const Entry& entry : cell.entries) {
      if (!WantsCategories(entry.categories)) continue;
      if ((entry.flags & query_.all_flags) != query_.all_flags) continue;
      if (query_.any_language != 0 && (entry.languages & query_.any_language) == 0) continue;
      if (query_.territory != 0 && entry.territory != query_.territory) continue;
      const double sin_half_dlat = std::sin((entry.point.lat - q_.lat) * 0.5);
      const double sin_half_dlon = std::sin((entry.point.lon - q_.lon) * 0.5);
      const double h = sin_half_dlat * sin_half_dlat + q_.cos_lat * entry.point.cos_lat * sin_half_dlon * sin_half_dlon;
      if (h > h_limit_) continue;
      const Neighbour candidate{entry.id, HaversineKm(q_, entry.point)};
      if (candidate.distance_km > query_.radius_km) continue;
      if (best_.size() == wanted_ && !Before(candidate, best_.top())) continue;
      if (query_.accept && !query_.accept(entry.id)) continue;
      best_.push(candidate);
      if (best_.size() > wanted_) best_.pop();
      if (best_.size() == wanted_) SetThreshold(best_.top().distance_km);
    }
  }

  const SpatialIndex& index_;
  const ProximityQuery& query_;
  const RadianPoint q_;
  const double q_lat_deg_;
  const double q_lon_deg_;
  const std::size_t wanted_;
  double threshold_km_ = 0;
  double h_limit_ = 0;
  int first_row_ = 0;
  std::vector<SeenColumns> seen_;
  std::priority_queue<Candidate, std::vector<Candidate>, FartherFirst> candidates_;
  std::priority_queue<Neighbour, std::vector<Neighbour>, WorstOnTop> best_;
};

SpatialIndex::SpatialIndex() : SpatialIndex(Options{}) {}

// Checked in every build, before the divisions that use them (asserts vanish in the release build).
static SpatialIndex::Options Checked(SpatialIndex::Options options) {
  if (options.cells_per_degree <= 0 || options.cells_per_block <= 0 || options.cells_per_degree > 3600 ||
      (180 * options.cells_per_degree) % options.cells_per_block != 0) {
    throw std::invalid_argument("SpatialIndex: cells_per_block must be positive and divide 180 × cells_per_degree");
  }
  return options;
}

SpatialIndex::SpatialIndex(Options options)
    : options_(Checked(options)),
      block_rows_(180 * options.cells_per_degree / options.cells_per_block),
      block_deg_(static_cast<double>(options.cells_per_block) / options.cells_per_degree) {
  const int max_cols = 2 * block_rows_;
  block_cols_.reserve(static_cast<std::size_t>(block_rows_));
  for (int row = 0; row < block_rows_; ++row) {
    const double poleward = std::max(std::abs(row * block_deg_ - 90), std::abs((row + 1) * block_deg_ - 90));
    const double narrowing = std::cos(std::min(90.0, poleward) * kRadiansPerDegree);
    block_cols_.push_back(std::clamp(static_cast<int>(std::floor(max_cols * narrowing)), 1, max_cols));
  }
}

SpatialIndex::~SpatialIndex() = default;

std::uint64_t SpatialIndex::BlockKey(int block_row, int block_col) {
  return (static_cast<std::uint64_t>(block_row) << 32) | static_cast<std::uint32_t>(block_col);
}

int SpatialIndex::BlockRowOf(double lat_deg) const {
  return std::clamp(static_cast<int>(std::floor((lat_deg + 90) / block_deg_)), 0, block_rows_ - 1);
}

SpatialIndex::Rect SpatialIndex::BlockRect(int block_row, int block_col) const {
  const double width = 360.0 / BlockCols(block_row);
  return Rect{block_row * block_deg_ - 90, (block_row + 1) * block_deg_ - 90, block_col * width - 180,
              (block_col + 1) * width - 180};
}

core::Result<core::Ok> SpatialIndex::Upsert(const IndexedLocation& location) {
  if (!IsValidCoordinate(location.lat, location.lon)) {
    return core::Error{core::ErrorCode::kInvalidInput, "Coordonnées invalides.",
                       "spatial index: coordinates out of range"};
  }
  std::unique_lock lock(mutex_);
  if (const auto found = slots_.find(location.id); found != slots_.end()) EraseLocked(found->second);
  InsertLocked(location);
  return core::Ok{};
}

bool SpatialIndex::Remove(LocationId id) {
  std::unique_lock lock(mutex_);
  const auto found = slots_.find(id);
  if (found == slots_.end()) return false;
  EraseLocked(found->second);
  slots_.erase(id);
  return true;
}

std::size_t SpatialIndex::size() const {
  std::shared_lock lock(mutex_);
  return slots_.size();
}

void SpatialIndex::InsertLocked(const IndexedLocation& location) {
  const int per_block = options_.cells_per_block;
  const double lon = NormalizedLon(location.lon);
  const int row = BlockRowOf(location.lat);
  const int cols = BlockCols(row);
  const int col = std::clamp(static_cast<int>(std::floor((lon + 180) / (360.0 / cols))), 0, cols - 1);
  // The cell within the block, from the block's own edges, as PushCells computes them.
  const Rect rect = BlockRect(row, col);
  const int cell_row =
      std::clamp(static_cast<int>(std::floor((location.lat - rect.south) / ((rect.north - rect.south) / per_block))), 0,
                 per_block - 1);
  const int cell_col = std::clamp(
      static_cast<int>(std::floor((lon - rect.west) / ((rect.east - rect.west) / per_block))), 0, per_block - 1);
  const std::uint64_t key = BlockKey(row, col);
  std::unique_ptr<Block>& block = blocks_[key];
  if (!block) {
    block = std::make_unique<Block>();
    block->row = row;
    block->col = col;
    block->cells.resize(static_cast<std::size_t>(per_block) * per_block);
  }
  const auto cell_index = static_cast<std::uint32_t>(cell_row * per_block + cell_col);
  Cell& cell = block->cells[cell_index];
  cell.entries.push_back(Entry{location.categories, location.languages, location.flags, location.territory,
                               ToRadianPoint(location.lat, location.lon), location.id});
  cell.categories |= location.categories;
  block->categories |= location.categories;
  CountCategories(category_counts_, location.categories, +1);
  ++block->count;
  slots_[location.id] = Slot{key, cell_index, static_cast<std::uint32_t>(cell.entries.size() - 1)};
}

void SpatialIndex::EraseLocked(const Slot& slot) {
  const auto found = blocks_.find(slot.block_key);
  if (found == blocks_.end()) throw std::logic_error("SpatialIndex: a location's block is missing");
  Block& block = *found->second;
  Cell& cell = block.cells[slot.cell];
  CountCategories(category_counts_, cell.entries[slot.position].categories, -1);
  if (slot.position + 1 != cell.entries.size()) {
    cell.entries[slot.position] = cell.entries.back();
    slots_[cell.entries[slot.position].id].position = slot.position;
  }
  cell.entries.pop_back();
  if (--block.count == 0) {
    blocks_.erase(found);
    return;
  }
  cell.categories = 0;
  for (const Entry& entry : cell.entries) cell.categories |= entry.categories;
  block.categories = 0;
  for (const Cell& c : block.cells) block.categories |= c.categories;
}

core::Result<NeighbourPage> SpatialIndex::FindNearest(const ProximityQuery& query) const {
  if (auto valid = ValidateQuery(query); !valid) return valid.error();
  std::shared_lock lock(mutex_);
  if (query.any_category != 0) {
    bool offered = false;
    for (int bit = 0; bit < 64 && !offered; ++bit) {
      offered = ((query.any_category >> bit) & 1) != 0 && category_counts_[bit] > 0;
    }
    if (!offered) return NeighbourPage{};
  }
  return Search(*this, query).Run();
}

core::Result<NeighbourPage> NearestByScan(std::span<const IndexedLocation> locations, const ProximityQuery& query) {
  if (auto valid = ValidateQuery(query); !valid) return valid.error();
  const RadianPoint q = ToRadianPoint(query.lat, query.lon);
  std::vector<Neighbour> matches;
  for (const IndexedLocation& location : locations) {
    if (query.any_category != 0 && (location.categories & query.any_category) == 0) continue;
    if ((location.flags & query.all_flags) != query.all_flags) continue;
    if (query.any_language != 0 && (location.languages & query.any_language) == 0) continue;
    if (query.territory != 0 && location.territory != query.territory) continue;
    const double distance = HaversineKm(q, ToRadianPoint(location.lat, location.lon));
    if (distance > query.radius_km) continue;
    if (query.accept && !query.accept(location.id)) continue;
    matches.push_back({location.id, distance});
  }
  std::sort(matches.begin(), matches.end(), Before);
  return MakePage(std::move(matches), query);
}

}  // namespace passerelle::geo
