#include <gtest/gtest.h>

#include <regex>

#include "stats/period.h"
#include "stats/repository.h"
#include "stats/suppression.h"
#include "stats/svg.h"
#include "stats/visits.h"
#include "storage/testing.h"

namespace passerelle::stats {
namespace {

using namespace std::chrono;

sys_days Day(const char* iso) {
  sys_days day{};
  EXPECT_TRUE(ParseIsoDay(iso, day)) << iso;
  return day;
}

Period Parse(PeriodForm form, const char* today) {
  const auto parsed = ParsePeriod(form, Day(today));
  EXPECT_TRUE(std::holds_alternative<Period>(parsed));
  return std::get<Period>(parsed);
}

std::string FieldOf(PeriodForm form, const char* today) {
  const auto parsed = ParsePeriod(form, Day(today));
  return std::holds_alternative<PeriodError>(parsed) ? std::get<PeriodError>(parsed).field : "";
}

TEST(Period, CalendarPeriodsEndToday) {
  const Period month = Parse({"month", "", ""}, "2026-03-29");
  EXPECT_EQ(month.FirstIso(), "2026-03-01");
  EXPECT_EQ(month.LastIso(), "2026-03-29");
  EXPECT_EQ(Parse({"", "", ""}, "2026-03-29").kind, "month");
  EXPECT_EQ(Parse({"quarter", "", ""}, "2026-12-31").FirstIso(), "2026-10-01");
  EXPECT_EQ(Parse({"quarter", "", ""}, "2026-01-01").FirstIso(), "2026-01-01");
  EXPECT_EQ(Parse({"year", "", ""}, "2026-12-31").FirstIso(), "2026-01-01");
  EXPECT_EQ(Parse({"year", "", ""}, "2026-12-31").days(), 365);
  EXPECT_EQ(Parse({"year", "", ""}, "2028-12-31").days(), 366);
  // The week across a year end, and across the change to summer time (29 March 2026): days only.
  const Period new_year = Parse({"week", "", ""}, "2027-01-02");
  EXPECT_EQ(new_year.FirstIso(), "2026-12-27");
  EXPECT_EQ(new_year.days(), 7);
  EXPECT_EQ(Parse({"week", "", ""}, "2026-03-31").FirstIso(), "2026-03-25");
  EXPECT_EQ(Parse({"week", "", ""}, "2026-10-27").days(), 7);
}

TEST(Period, CustomDatesAreCheckedAndNamed) {
  const Period custom = Parse({"custom", "2025-12-30", "2026-01-02"}, "2026-06-01");
  EXPECT_EQ(custom.days(), 4);
  EXPECT_EQ(FieldOf({"custom", "2026-02-30", "2026-03-01"}, "2026-06-01"), "du");
  EXPECT_EQ(FieldOf({"custom", "", "2026-03-01"}, "2026-06-01"), "du");
  EXPECT_EQ(FieldOf({"custom", "2026-01-01", "01/03/2026"}, "2026-06-01"), "au");
  EXPECT_EQ(FieldOf({"custom", "2026-03-02", "2026-03-01"}, "2026-06-01"), "au");
  EXPECT_EQ(FieldOf({"custom", "2026-03-02", "2026-06-02"}, "2026-06-01"), "au");
  EXPECT_EQ(FieldOf({"custom", "2020-01-01", "2026-06-01"}, "2026-06-01"), "au");
  EXPECT_EQ(FieldOf({"decade", "", ""}, "2026-06-01"), "period");
  EXPECT_EQ(FieldOf({"custom", "2024-02-29", "2024-02-29"}, "2026-06-01"), "");
  EXPECT_EQ(FieldOf({"custom", "2025-02-29", "2025-03-01"}, "2026-06-01"), "du");
  EXPECT_EQ(FieldOf({"custom", "2025-1-01", "2025-03-01"}, "2026-06-01"), "du");
}

TEST(Period, BucketsFollowTheLength) {
  EXPECT_EQ(Parse({"week", "", ""}, "2026-06-10").bucket(), Bucket::kDay);
  EXPECT_EQ(BucketStarts(Parse({"month", "", ""}, "2026-06-10")).size(), 10u);
  const Period quarter = Parse({"custom", "2026-01-01", "2026-03-31"}, "2026-06-01");
  ASSERT_EQ(quarter.bucket(), Bucket::kWeek);
  const auto weeks = BucketStarts(quarter);
  EXPECT_EQ(IsoDay(weeks.front()), "2025-12-29");  // the Monday of the week of 1 January
  EXPECT_EQ(IsoDay(weeks.back()), "2026-03-30");
  const Period year = Parse({"custom", "2025-11-15", "2027-02-01"}, "2027-06-01");
  const auto months = BucketStarts(year);
  EXPECT_EQ(IsoDay(months.front()), "2025-11-01");
  EXPECT_EQ(IsoDay(months[2]), "2026-01-01");
  EXPECT_EQ(months.size(), 16u);
}

// A commune with 1, 4, 5 and 6 events (issue 11 §4).
TEST(Suppression, HidesEveryFigureUnderTheThreshold) {
  EXPECT_EQ(ShowOnPage(Suppress(1, 5), 5), "< 5");
  EXPECT_EQ(ShowOnPage(Suppress(4, 5), 5), "< 5");
  EXPECT_EQ(ShowOnPage(Suppress(5, 5), 5), "5");
  EXPECT_EQ(ShowOnPage(Suppress(6, 5), 5), "6");
  EXPECT_EQ(ShowOnPage(Suppress(0, 5), 5), "< 5");
  EXPECT_EQ(ShowInCsv(Suppress(4, 5), 5), "<5");
  EXPECT_EQ(ShowInCsv(Suppress(6, 5), 5), "6");
  EXPECT_EQ(ShowOnPage(Suppress(6, 10), 10), "< 10");
}

TEST(Suppression, ATotalNeverGivesBackAHiddenCell) {
  // One hidden cell (1) beside shown ones: the total would give it back.
  EXPECT_FALSE(SuppressTotal({1, 5, 6}, 5));
  EXPECT_FALSE(SuppressTotal({4, 5, 6}, 5));
  // Hidden cells adding up to the threshold or more: only their sum can be recomputed.
  EXPECT_EQ(SuppressTotal({1, 4, 5, 6}, 5), 16);
  // Hidden zeros give back nothing.
  EXPECT_EQ(SuppressTotal({0, 5, 6}, 5), 11);
  EXPECT_EQ(SuppressTotal({5, 6}, 5), 11);
  // A small total is hidden like any figure.
  EXPECT_FALSE(SuppressTotal({1, 1, 2}, 5));
  EXPECT_EQ(SuppressTotal({2, 3}, 5), 5);
}

TEST(Median, OddEvenAndNone) {
  EXPECT_FALSE(Median({}));
  EXPECT_EQ(*Median({3}), 3.0);
  EXPECT_EQ(*Median({5, 1, 3}), 3.0);
  EXPECT_EQ(*Median({4, 1, 2, 10}), 3.0);
  EXPECT_EQ(*Median({0, 1}), 0.5);
}

// Every tag closed, no stray "<" or "&": a cheap well-formedness check for the writer's output.
bool LooksWellFormed(const std::string& xml) {
  std::vector<std::string> open;
  const std::regex tag(R"(<(/?)([a-z]+)[^<>]*?(/?)>)");
  std::size_t last = 0;
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), tag); it != std::sregex_iterator(); ++it) {
    const std::string between = xml.substr(last, static_cast<std::size_t>(it->position()) - last);
    if (between.find('<') != std::string::npos || between.find('>') != std::string::npos) return false;
    if (std::regex_search(between, std::regex("&(?!(amp|lt|gt|quot|#39);)"))) return false;
    last = static_cast<std::size_t>(it->position() + it->length());
    if ((*it)[3] == "/") continue;
    if ((*it)[1] == "/") {
      if (open.empty() || open.back() != (*it)[2]) return false;
      open.pop_back();
    } else {
      open.push_back((*it)[2]);
    }
  }
  return open.empty() && last == xml.size();
}

TEST(Svg, ChartsAreAccessibleEscapedAndWellFormed) {
  Chart chart{"gaps", "Besoins <non> couverts & \"autres\"", "Par commune", {}, 5};
  chart.points = {{"Saint-Denis <93>", 12}, {"L'Île & co", std::nullopt}, {"Montreuil", 7}};
  for (const std::string& svg : {BarChart(chart), LineChart(chart)}) {
    EXPECT_TRUE(LooksWellFormed(svg)) << svg;
    EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
    EXPECT_NE(svg.find("aria-labelledby=\"gaps-title gaps-desc\""), std::string::npos);
    EXPECT_NE(svg.find("<title id=\"gaps-title\">Besoins &lt;non&gt; couverts &amp; &quot;autres&quot;</title>"),
              std::string::npos);
    EXPECT_EQ(svg.find("style="), std::string::npos) << "the CSP forbids inline styles";
    EXPECT_EQ(svg.find("<script"), std::string::npos);
  }
  EXPECT_NE(BarChart(chart).find("L&#39;Île &amp; co"), std::string::npos);
  EXPECT_NE(BarChart(chart).find(">&lt; 5</text>"), std::string::npos) << "a hidden bar says \"< 5\"";
  EXPECT_EQ(BarChart(chart).find(">4<"), std::string::npos);
  EXPECT_TRUE(LooksWellFormed(LineChart(Chart{"empty", "Vide", "Rien", {}, 5})));
}

class StatsSumsTest : public storage::testing::BackendTest {};

TEST_P(StatsSumsTest, SumsAPeriodByDayAndNoMatchByDetail) {
  StatsRepository stats(*db_);
  const auto noon = [](const char* iso) { return sys_days(Day(iso)) + hours(11); };
  stats.Increment(StatEvent::kFlowStarted, "a", "", noon("2026-02-28"));
  stats.Increment(StatEvent::kFlowStarted, "a", "", noon("2026-03-01"));
  stats.Add(StatEvent::kFlowStarted, "a", "", 4, noon("2026-03-01"));
  stats.Increment(StatEvent::kFlowStarted, "b", "", noon("2026-03-02"));
  stats.Increment(StatEvent::kFlowStarted, "a", "", noon("2026-04-01"));
  stats.Increment(StatEvent::kNoMatch, "a", "need:housing|93048", noon("2026-03-05"));
  stats.Increment(StatEvent::kNoMatch, "a", "need:housing|93048", noon("2026-03-06"));
  const CounterSums a = stats.Sums(std::string("a"), "2026-03-01", "2026-03-31", "2026-03-31");
  ASSERT_EQ(a.by_day.size(), 1u);
  EXPECT_EQ(a.by_day[0].day, "2026-03-01");
  EXPECT_EQ(a.by_day[0].count, 5);
  ASSERT_EQ(a.no_match.size(), 1u);
  EXPECT_EQ(a.no_match[0].detail, "need:housing|93048");
  EXPECT_EQ(a.no_match[0].count, 2);
  const CounterSums all = stats.Sums(std::nullopt, "2026-03-01", "2026-03-31", "2026-03-31");
  EXPECT_EQ(all.by_day.size(), 2u);
}

// Whole months that are over come from the monthly sums, summed once; the partial ends from the
// days; the figures are the same either way.
TEST_P(StatsSumsTest, MonthsThatAreOverAreReadFromTheirMonthlySums) {
  StatsRepository stats(*db_);
  const auto noon = [](const char* iso) { return sys_days(Day(iso)) + hours(11); };
  for (const char* day : {"2026-01-31", "2026-02-01", "2026-02-15", "2026-02-28", "2026-03-01", "2026-03-20"}) {
    stats.Increment(StatEvent::kFlowStarted, "a", "", noon(day));
    stats.Increment(StatEvent::kNoMatch, "a", "need:housing|93048", noon(day));
    stats.Increment(StatEvent::kFlowStarted, "b", "", noon(day));
  }
  const auto total = [](const CounterSums& sums) {
    long long flows = 0, gaps = 0;
    for (const DayCount& row : sums.by_day) flows += row.count;
    for (const DetailCount& row : sums.no_match) gaps += row.count;
    return std::pair{flows, gaps};
  };
  soci::session sql(db_->pool());
  long long rolled = 0;
  // Today in March: January and February are over; the period's ends are partial.
  const CounterSums days = stats.Sums(std::string("a"), "2026-01-31", "2026-03-20", "2026-03-25");
  EXPECT_EQ(total(days), (std::pair{6LL, 6LL}));
  EXPECT_EQ(days.by_day.size(), 6u) << "by day, February read from the days";
  sql << "SELECT COUNT(*) FROM stat_month_rolled", soci::into(rolled);
  EXPECT_EQ(rolled, 1) << "February only: January is not whole in the period, March is not over";
  const CounterSums months =
      stats.Sums(std::string("a"), "2026-01-31", "2026-03-20", "2026-03-25", StatsRepository::Resolution::kMonths);
  EXPECT_EQ(total(months), (std::pair{6LL, 6LL}));
  ASSERT_EQ(months.by_day.size(), 4u);  // 31 January, February (dated 1st), 1 and 20 March
  EXPECT_EQ(
      total(stats.Sums(std::nullopt, "2026-01-01", "2026-03-31", "2026-04-02", StatsRepository::Resolution::kMonths)),
      (std::pair{12LL, 6LL}));
  sql << "SELECT COUNT(*) FROM stat_month_rolled", soci::into(rolled);
  EXPECT_EQ(rolled, 3);
  // A second roll-up of a month changes nothing.
  stats.RollUp("2026-02");
  EXPECT_EQ(total(stats.Sums(std::string("a"), "2026-02-01", "2026-02-28", "2026-03-25")), (std::pair{3LL, 3LL}));
}

TEST_P(StatsSumsTest, VisitsAreWrittenByTheFlushNotByTheCount) {
  StatsRepository stats(*db_);
  const auto now = sys_days(Day("2026-03-29")) + hours(1) + minutes(30);  // the night of the change
  {
    PageVisits visits(
        stats, "a", [now] { return now; }, hours(1));
    visits.Start();
    visits.Count(PageKind::kHome);
    visits.Count(PageKind::kHome);
    visits.Count(PageKind::kDirectory);
    EXPECT_EQ(stats.Count(StatEvent::kVisitHome, "a", "2026-03-29"), 0) << "nothing written on the request path";
    visits.Flush();
    EXPECT_EQ(stats.Count(StatEvent::kVisitHome, "a", "2026-03-29"), 2);
    visits.Count(PageKind::kHome);
  }  // the last visit is written at shutdown
  EXPECT_EQ(stats.Count(StatEvent::kVisitHome, "a", "2026-03-29"), 3);
  EXPECT_EQ(stats.Count(StatEvent::kVisitDirectory, "a", "2026-03-29"), 1);
  EXPECT_EQ(stats.Count(StatEvent::kVisitSheets, "a", "2026-03-29"), 0);
}

// The national site: a page about a territory (an annuaire commune or service of it) counts for
// that territory; others, and unknown territories, for the national site. A territory's site
// counts every visit for itself.
TEST_P(StatsSumsTest, VisitsOfTheNationalSiteCountForThePagesTerritory) {
  StatsRepository stats(*db_);
  const auto now = sys_days(Day("2026-03-20")) + hours(10);
  {
    PageVisits national(stats, "", [now] { return now; }, hours(1), {"a", "b"});
    national.Count(PageKind::kDirectory, "a");
    national.Count(PageKind::kDirectory, "a");
    national.Count(PageKind::kDirectory, "b");
    national.Count(PageKind::kDirectory, "inconnu");
    national.Count(PageKind::kHome);
    PageVisits site(stats, "b", [now] { return now; }, hours(1), {"a", "b"});
    site.Count(PageKind::kDirectory, "a");
  }
  EXPECT_EQ(stats.Count(StatEvent::kVisitDirectory, "a", "2026-03-20"), 2);
  EXPECT_EQ(stats.Count(StatEvent::kVisitDirectory, "b", "2026-03-20"), 2);
  EXPECT_EQ(stats.Count(StatEvent::kVisitDirectory, "", "2026-03-20"), 1);
  EXPECT_EQ(stats.Count(StatEvent::kVisitHome, "", "2026-03-20"), 1);
}

// A territory created while the server runs (docs/territory-console.md "Live territories"): its
// visits count for it once `known` says it is one, also across two flushes; an unknown slug
// still counts for the national site.
TEST_P(StatsSumsTest, VisitsOfATerritoryCreatedSinceTheStartCountForIt) {
  StatsRepository stats(*db_);
  const auto now = sys_days(Day("2026-03-21")) + hours(10);
  {
    PageVisits national(
        stats, "", [now] { return now; }, hours(1), {"a"}, [](std::string_view slug) { return slug == "nouveau-18"; });
    national.Count(PageKind::kDirectory, "nouveau-18");
    national.Count(PageKind::kDirectory, "a");
    national.Flush();
    national.Count(PageKind::kDirectory, "nouveau-18");
    national.Count(PageKind::kDirectory, "inconnu");
  }
  EXPECT_EQ(stats.Count(StatEvent::kVisitDirectory, "nouveau-18", "2026-03-21"), 2);
  EXPECT_EQ(stats.Count(StatEvent::kVisitDirectory, "a", "2026-03-21"), 1);
  EXPECT_EQ(stats.Count(StatEvent::kVisitDirectory, "inconnu", "2026-03-21"), 0);
  EXPECT_EQ(stats.Count(StatEvent::kVisitDirectory, "", "2026-03-21"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, StatsSumsTest,
                         ::testing::Values(core::DatabaseBackend::kSqlite, core::DatabaseBackend::kPostgresql),
                         storage::testing::BackendName);

}  // namespace
}  // namespace passerelle::stats
