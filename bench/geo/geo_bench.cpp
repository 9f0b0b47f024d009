// Filtered 10-nearest query (one category of 14, open now) over locations spread like the French
// population: geo::SpatialIndex in process, a brute-force haversine scan, and PostGIS (geography
// column, GiST index, ORDER BY <-> LIMIT 10) over the same locations, in the same run.
//   bash bench/geo/run.sh            (builds, starts PostgreSQL, runs; see docs/benchmarks.md)
// Environment: PASSERELLE_GAZETTEER_CSV (default gazetteer: where people live),
// PASSERELLE_BENCH_LOCATIONS (default 1,000,000), PASSERELLE_TEST_PG_URL (PostgreSQL with
// PostGIS available; the PostGIS benchmark is skipped without it).
#include <benchmark/benchmark.h>
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <numbers>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "geo/commune_files.h"
#include "geo/distance.h"
#include "geo/spatial_index.h"

namespace passerelle::geo {
namespace {

constexpr int kCategories = 14;
constexpr std::uint32_t kOpenNow = 1;  // precomputed "open now" flag
constexpr std::uint32_t kFree = 2;
constexpr std::size_t kQueries = 10'000;
constexpr std::size_t kCheckedQueries = 200;  // compared with the brute-force scan and PostGIS
constexpr std::uint64_t kSeed = 20240601;

struct Dataset {
  std::vector<IndexedLocation> locations;
  std::vector<ProximityQuery> queries;  // filtered 10-nearest
  std::unique_ptr<SpatialIndex> index;
};

std::size_t LocationCount() {
  const char* text = std::getenv("PASSERELLE_BENCH_LOCATIONS");
  return text ? std::stoul(text) : 1'000'000;
}

// A point where people live: a commune drawn in proportion to its population, then moved by a
// normal offset of 1 km (villages) to 6 km (large cities) in each direction.
class PopulationSampler {
 public:
  explicit PopulationSampler(std::vector<Commune> communes) : communes_(std::move(communes)) {
    std::vector<double> weights;
    for (const Commune& c : communes_) weights.push_back(static_cast<double>(std::max<std::int64_t>(c.population, 1)));
    pick_ = std::discrete_distribution<std::size_t>(weights.begin(), weights.end());
  }

  std::pair<double, double> operator()(std::mt19937_64& rng) {
    const Commune& c = communes_[pick_(rng)];
    const double sigma_km = std::clamp(1 + std::sqrt(static_cast<double>(c.population)) / 100, 1.0, 6.0);
    std::normal_distribution<double> offset(0, sigma_km);
    const double lat = std::clamp(c.lat + offset(rng) / 111.2, -90.0, 90.0);
    double lon = c.lon + offset(rng) / (111.2 * std::max(0.1, std::cos(c.lat * std::numbers::pi / 180)));
    if (lon >= 180) lon -= 360;
    if (lon < -180) lon += 360;
    return {lat, lon};
  }

 private:
  std::vector<Commune> communes_;
  std::discrete_distribution<std::size_t> pick_;
};

Dataset& Data() {
  static Dataset* data = [] {
    const char* csv = std::getenv("PASSERELLE_GAZETTEER_CSV");
    auto communes = ReadGazetteerCsv(csv ? csv : "build/gazetteer/communes.csv");
    if (!communes) throw std::runtime_error("gazetteer: " + communes.error().public_message);
    PopulationSampler sample(std::move(communes).value());
    auto* d = new Dataset;
    std::mt19937_64 rng(kSeed);
    std::uniform_real_distribution<double> unit(0, 1);
    const std::size_t count = LocationCount();
    d->locations.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      const auto [lat, lon] = sample(rng);
      IndexedLocation location;
      location.id = i + 1;
      location.lat = lat;
      location.lon = lon;
      location.categories = std::uint64_t{1} << (rng() % kCategories);
      if (unit(rng) < 0.2) location.categories |= std::uint64_t{1} << (rng() % kCategories);
      location.flags = (unit(rng) < 0.5 ? kOpenNow : 0) | (unit(rng) < 0.6 ? kFree : 0);
      location.languages = 1;
      d->locations.push_back(location);
    }
    for (std::size_t i = 0; i < kQueries; ++i) {
      const auto [lat, lon] = sample(rng);
      ProximityQuery query;
      query.lat = lat;
      query.lon = lon;
      query.radius_km = kMaxRadiusKm;
      query.any_category = std::uint64_t{1} << (rng() % kCategories);
      query.all_flags = kOpenNow;
      query.limit = 10;
      d->queries.push_back(query);
    }
    const auto started = std::chrono::steady_clock::now();
    d->index = std::make_unique<SpatialIndex>();
    for (const IndexedLocation& location : d->locations) {
      if (!d->index->Upsert(location).ok()) throw std::runtime_error("invalid generated location");
    }
    std::fprintf(stderr, "geo_bench: %zu locations indexed in %.2f s\n", count,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return d;
  }();
  return *data;
}

// Nearest-rank percentiles of per-query latencies, as benchmark counters in microseconds.
struct Latencies {
  std::vector<double> us;
  void Add(std::chrono::steady_clock::time_point start) {
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
  }
  double Percentile(double p) {
    std::sort(us.begin(), us.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(us.size())));
    return us[std::max<std::size_t>(rank, 1) - 1];
  }
  void Report(benchmark::State& state) {
    state.counters["p50_us"] = Percentile(0.50);
    state.counters["p99_us"] = Percentile(0.99);
    state.counters["max_us"] = us.back();
  }
};

struct Summary {
  double index_p50 = 0, index_p99 = 0, postgis_p50 = 0, postgis_p99 = 0;
} summary;

void BM_IndexFiltered10Nearest(benchmark::State& state) {
  Dataset& data = Data();
  Latencies latencies;
  std::size_t i = 0;
  for (auto _ : state) {
    const ProximityQuery& query = data.queries[i++ % data.queries.size()];
    const auto start = std::chrono::steady_clock::now();
    auto page = data.index->FindNearest(query);
    latencies.Add(start);
    benchmark::DoNotOptimize(page);
  }
  latencies.Report(state);
  summary.index_p50 = state.counters["p50_us"];
  summary.index_p99 = state.counters["p99_us"];
}

// The same queries through NearestByScan: checks that the index returns exactly the same
// neighbours, distances and order, and times the scan for reference.
void BM_BruteForceFiltered10Nearest(benchmark::State& state) {
  Dataset& data = Data();
  Latencies latencies;
  std::size_t i = 0;
  std::size_t mismatches = 0;
  for (auto _ : state) {
    const ProximityQuery& query = data.queries[i++ % kCheckedQueries];
    const auto start = std::chrono::steady_clock::now();
    auto scanned = NearestByScan(data.locations, query);
    latencies.Add(start);
    if (!(scanned.value().items == data.index->FindNearest(query).value().items)) ++mismatches;
  }
  latencies.Report(state);
  state.counters["mismatches"] = static_cast<double>(mismatches);
  if (mismatches != 0) state.SkipWithError("the index and the brute-force scan disagree");
}

struct PgResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

PgResult Exec(PGconn* conn, const std::string& sql) {
  PgResult result(PQexec(conn, sql.c_str()));
  const auto status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_COPY_IN) {
    throw std::runtime_error(sql.substr(0, 60) + ": " + PQerrorMessage(conn));
  }
  return result;
}

// The same locations in PostGIS: geography points with a GiST index, categories as a bit mask,
// "open now" as a column.
PGconn* PostGis() {
  static PGconn* conn = []() -> PGconn* {
    const char* url = std::getenv("PASSERELLE_TEST_PG_URL");
    if (url == nullptr || *url == '\0') return nullptr;
    PGconn* c = PQconnectdb(url);
    if (PQstatus(c) != CONNECTION_OK) throw std::runtime_error(std::string("PostgreSQL: ") + PQerrorMessage(c));
    const Dataset& data = Data();
    const auto started = std::chrono::steady_clock::now();
    Exec(c, "CREATE EXTENSION IF NOT EXISTS postgis");
    Exec(c, "DROP TABLE IF EXISTS bench_location");
    Exec(c,
         "CREATE TABLE bench_location (id BIGINT PRIMARY KEY, geog GEOGRAPHY(POINT, 4326) NOT NULL, "
         "categories BIGINT NOT NULL, open_now BOOLEAN NOT NULL)");
    Exec(c, "COPY bench_location FROM STDIN");
    std::string chunk;
    char line[160];
    for (std::size_t i = 0; i < data.locations.size(); ++i) {
      const IndexedLocation& l = data.locations[i];
      std::snprintf(line, sizeof line, "%llu\tSRID=4326;POINT(%.7f %.7f)\t%lld\t%s\n",
                    static_cast<unsigned long long>(l.id), l.lon, l.lat, static_cast<long long>(l.categories),
                    (l.flags & kOpenNow) ? "t" : "f");
      chunk += line;
      if (chunk.size() > (1 << 20) || i + 1 == data.locations.size()) {
        if (PQputCopyData(c, chunk.data(), static_cast<int>(chunk.size())) != 1) {
          throw std::runtime_error(std::string("COPY: ") + PQerrorMessage(c));
        }
        chunk.clear();
      }
    }
    if (PQputCopyEnd(c, nullptr) != 1) throw std::runtime_error(std::string("COPY: ") + PQerrorMessage(c));
    for (PgResult r(PQgetResult(c)); r; r.reset(PQgetResult(c))) {
      if (PQresultStatus(r.get()) != PGRES_COMMAND_OK)
        throw std::runtime_error(std::string("COPY: ") + PQerrorMessage(c));
    }
    Exec(c, "CREATE INDEX bench_location_geog ON bench_location USING GIST (geog)");
    Exec(c, "VACUUM ANALYZE bench_location");
    // Sphere distances (use_spheroid = false), as the index: same radius (mean, 6,371,008.8 m).
    PgResult prepared(
        PQprepare(c, "nearest",
                  "SELECT id, ST_Distance(geog, ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography, false) / 1000 "
                  "FROM bench_location WHERE (categories & $3) <> 0 AND open_now "
                  "ORDER BY geog <-> ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography LIMIT 10",
                  3, nullptr));
    if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
      throw std::runtime_error(std::string("prepare: ") + PQerrorMessage(c));
    }
    std::fprintf(stderr, "geo_bench: PostGIS table and GiST index built in %.1f s\n",
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return c;
  }();
  return conn;
}

std::vector<Neighbour> QueryPostGis(PGconn* conn, const ProximityQuery& query) {
  const std::string lat = std::to_string(query.lat);
  const std::string lon = std::to_string(query.lon);
  const std::string categories = std::to_string(static_cast<long long>(query.any_category));
  const char* values[] = {lat.c_str(), lon.c_str(), categories.c_str()};
  PgResult result(PQexecPrepared(conn, "nearest", 3, values, nullptr, nullptr, 0));
  if (PQresultStatus(result.get()) != PGRES_TUPLES_OK) throw std::runtime_error(PQerrorMessage(conn));
  std::vector<Neighbour> out;
  for (int row = 0; row < PQntuples(result.get()); ++row) {
    out.push_back({std::stoull(PQgetvalue(result.get(), row, 0)), std::stod(PQgetvalue(result.get(), row, 1))});
  }
  return out;
}

// PostGIS and the index agree when they return the same distances (to 1 m: PostGIS computes
// them its own way, and orders ties its own way) and the same ids apart from ties.
bool SameNeighbours(const std::vector<Neighbour>& postgis, const std::vector<Neighbour>& index) {
  if (postgis.size() != index.size()) return false;
  std::vector<LocationId> a, b;
  for (std::size_t i = 0; i < index.size(); ++i) {
    if (std::abs(postgis[i].distance_km - index[i].distance_km) > 0.001) return false;
    a.push_back(postgis[i].id);
    b.push_back(index[i].id);
  }
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b || std::abs(index.back().distance_km - index[index.size() - 2].distance_km) < 0.001;
}

void BM_PostGisFiltered10Nearest(benchmark::State& state) {
  PGconn* conn = PostGis();
  if (conn == nullptr) {
    state.SkipWithError("PASSERELLE_TEST_PG_URL not set: run through bench/geo/run.sh");
    return;
  }
  Dataset& data = Data();
  std::size_t disagreements = 0;
  for (std::size_t i = 0; i < kCheckedQueries; ++i) {
    const ProximityQuery& query = data.queries[i];
    if (!SameNeighbours(QueryPostGis(conn, query), data.index->FindNearest(query).value().items)) ++disagreements;
  }
  Latencies latencies;
  std::size_t i = 0;
  for (auto _ : state) {
    const ProximityQuery& query = data.queries[i++ % data.queries.size()];
    const auto start = std::chrono::steady_clock::now();
    auto rows = QueryPostGis(conn, query);
    latencies.Add(start);
    benchmark::DoNotOptimize(rows);
  }
  latencies.Report(state);
  state.counters["disagreements"] = static_cast<double>(disagreements);
  summary.postgis_p50 = state.counters["p50_us"];
  summary.postgis_p99 = state.counters["p99_us"];
}

BENCHMARK(BM_IndexFiltered10Nearest)->Iterations(50'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_BruteForceFiltered10Nearest)->Iterations(kCheckedQueries)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PostGisFiltered10Nearest)->Iterations(5'000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace passerelle::geo

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  const auto& s = passerelle::geo::summary;
  if (s.index_p99 > 0 && s.postgis_p99 > 0) {
    std::printf(
        "filtered 10-nearest: index p50 %.1f us p99 %.1f us; PostGIS p50 %.1f us p99 %.1f us; "
        "PostGIS/index p50 x%.0f, p99 x%.0f\n",
        s.index_p50, s.index_p99, s.postgis_p50, s.postgis_p99, s.postgis_p50 / s.index_p50,
        s.postgis_p99 / s.index_p99);
  }
  return 0;
}
