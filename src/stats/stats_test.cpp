#include <gtest/gtest.h>

#include <filesystem>

#include "core/crypto.h"
#include "stats/repository.h"
#include "storage/migrations.h"

namespace passerelle::stats {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono;

TEST(StatsRepository, CountsPerParisDayTerritoryAndEvent) {
  core::InitCrypto();
  const fs::path dir = fs::temp_directory_path() / ("passerelle-stats-" + core::RandomHex(6));
  fs::create_directories(dir);
  {
    auto db = storage::Database::Open(core::ParseDatabaseUrl("sqlite:" + (dir / "s.db").string()), 2);
    const char* assets = std::getenv("PASSERELLE_ASSETS_DIR");
    storage::ApplyMigrations(*db, storage::LoadMigrations(fs::path(assets ? assets : ".") / "migrations"));
    StatsRepository stats(*db);
    // 23:30 UTC on 23 November is already 24 November in Paris.
    const auto late = sys_days{2026y / November / 23} + hours(23) + minutes(30);
    const auto noon = sys_days{2026y / November / 23} + hours(12);
    stats.Increment(StatEvent::kHelpButtonClick, "montreuillois", "", noon);
    stats.Increment(StatEvent::kHelpButtonClick, "montreuillois", "", noon);
    stats.Increment(StatEvent::kHelpButtonClick, "paris-10", "", noon);
    stats.Increment(StatEvent::kHelpButtonClick, "montreuillois", "", late);
    stats.Increment(StatEvent::kNoMatch, "montreuillois", "need:housing|62588", noon);
    EXPECT_EQ(stats.Count(StatEvent::kHelpButtonClick, "montreuillois", "2026-11-23"), 2);
    EXPECT_EQ(stats.Count(StatEvent::kHelpButtonClick, "montreuillois", "2026-11-24"), 1);
    EXPECT_EQ(stats.Count(StatEvent::kHelpButtonClick, "paris-10", "2026-11-23"), 1);
    EXPECT_EQ(stats.Count(StatEvent::kNoMatch, "montreuillois", "2026-11-23"), 1);
    EXPECT_EQ(stats.Count(StatEvent::kReferralSent, "montreuillois", "2026-11-23"), 0);
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace passerelle::stats
