#include "duty/schedule.h"

#include <gtest/gtest.h>

#include "core/unix_time.h"
#include "storage/testing.h"

namespace passerelle::duty {
namespace {

using namespace std::chrono;

// An instant given in UTC.
Instant Utc(int y, unsigned mo, unsigned d, int h, int mi = 0) {
  return sys_days{year{y} / month{mo} / day{d}} + hours(h) + minutes(mi);
}
sys_days Day(int y, unsigned mo, unsigned d) { return sys_days{year{y} / month{mo} / day{d}}; }

constexpr int kMonday = 0, kTuesday = 1, kSaturday = 5, kSunday = 6;

ServiceRules Rules(std::vector<WeeklySlot> weekly) {
  ServiceRules rules;
  rules.service_id = "s1";
  rules.organization_id = "o1";
  rules.weekly = std::move(weekly);
  return rules;
}

TEST(LocalSpan, AnOrdinaryWinterAndSummerDay) {
  // Tuesday 2026-01-13, UTC+1; Tuesday 2026-06-16, UTC+2.
  auto winter = LocalSpan(Day(2026, 1, 13), 14 * 60, 17 * 60);
  ASSERT_EQ(winter.size(), 1u);
  EXPECT_EQ(winter[0].start, Utc(2026, 1, 13, 13));
  EXPECT_EQ(winter[0].end, Utc(2026, 1, 13, 16));
  auto summer = LocalSpan(Day(2026, 6, 16), 14 * 60, 17 * 60);
  ASSERT_EQ(summer.size(), 1u);
  EXPECT_EQ(summer[0].start, Utc(2026, 6, 16, 12));
  EXPECT_EQ(summer[0].end, Utc(2026, 6, 16, 15));
}

TEST(LocalSpan, SpringForwardSlotAcrossTheGapLastsOneHour) {
  // Sunday 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
  auto spans = LocalSpan(Day(2026, 3, 29), 90, 210);  // 01:30–03:30
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].start, Utc(2026, 3, 29, 0, 30));  // 01:30 CET
  EXPECT_EQ(spans[0].end, Utc(2026, 3, 29, 1, 30));    // 03:30 CEST
}

TEST(LocalSpan, SpringForwardSlotInsideTheGapNeverHappens) {
  EXPECT_TRUE(LocalSpan(Day(2026, 3, 29), 2 * 60 + 15, 2 * 60 + 45).empty());
  // Ending in the gap: cut at the change.
  auto spans = LocalSpan(Day(2026, 3, 29), 60, 2 * 60 + 30);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].start, Utc(2026, 3, 29, 0));
  EXPECT_EQ(spans[0].end, Utc(2026, 3, 29, 1));
}

TEST(LocalSpan, FallBackSlotAcrossTheChangeLastsThreeHours) {
  // Sunday 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00 UTC.
  auto spans = LocalSpan(Day(2026, 10, 25), 90, 210);  // 01:30–03:30
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].start, Utc(2026, 10, 24, 23, 30));  // 01:30 CEST
  EXPECT_EQ(spans[0].end, Utc(2026, 10, 25, 2, 30));     // 03:30 CET
}

TEST(LocalSpan, FallBackSlotInsideTheRepeatedHourHappensTwice) {
  auto spans = LocalSpan(Day(2026, 10, 25), 2 * 60 + 15, 2 * 60 + 45);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].start, Utc(2026, 10, 25, 0, 15));
  EXPECT_EQ(spans[0].end, Utc(2026, 10, 25, 0, 45));
  EXPECT_EQ(spans[1].start, Utc(2026, 10, 25, 1, 15));
  EXPECT_EQ(spans[1].end, Utc(2026, 10, 25, 1, 45));
}

TEST(LocalSpan, RejectsEmptyOrOutOfRangeTimes) {
  EXPECT_TRUE(LocalSpan(Day(2026, 1, 13), 600, 600).empty());
  EXPECT_TRUE(LocalSpan(Day(2026, 1, 13), 700, 600).empty());
  EXPECT_TRUE(LocalSpan(Day(2026, 1, 13), -1, 600).empty());
  EXPECT_TRUE(LocalSpan(Day(2026, 1, 13), 0, 24 * 60 + 1).empty());
  EXPECT_EQ(LocalSpan(Day(2026, 1, 13), 0, 24 * 60).size(), 1u);
}

TEST(Schedule, OnDutyUntilTheEndOfTheSlot) {
  const auto rules = Rules({WeeklySlot{kTuesday, 14 * 60, 17 * 60, std::nullopt}});
  EXPECT_EQ(OnDutyUntil(rules, Utc(2026, 1, 13, 13)), Utc(2026, 1, 13, 16));
  EXPECT_EQ(OnDutyUntil(rules, Utc(2026, 1, 13, 15, 59)), Utc(2026, 1, 13, 16));
  EXPECT_FALSE(OnDutyUntil(rules, Utc(2026, 1, 13, 16)));  // the end is excluded
  EXPECT_FALSE(OnDutyUntil(rules, Utc(2026, 1, 13, 12, 59)));
  EXPECT_FALSE(OnDutyUntil(rules, Utc(2026, 1, 12, 14)));  // a Monday
}

TEST(Schedule, TouchingSlotsAcrossMidnightAndTheSpringChangeAreOnePeriod) {
  // Saturday 22:00–24:00 and Sunday 00:00–04:00 local, the night clocks go forward.
  const auto rules =
      Rules({WeeklySlot{kSaturday, 22 * 60, 24 * 60, std::nullopt}, WeeklySlot{kSunday, 0, 4 * 60, std::nullopt}});
  // Saturday 23:00 CET = 22:00 UTC; the period ends Sunday 04:00 CEST = 02:00 UTC.
  EXPECT_EQ(OnDutyUntil(rules, Utc(2026, 3, 28, 22)), Utc(2026, 3, 29, 2));
  // The same night in autumn ends at 04:00 CET = 03:00 UTC, and begins 22:00 CEST = 20:00 UTC.
  EXPECT_EQ(OnDutyUntil(rules, Utc(2026, 10, 24, 20)), Utc(2026, 10, 25, 3));
  EXPECT_FALSE(OnDutyUntil(rules, Utc(2026, 10, 24, 19, 59)));
}

TEST(Schedule, NextStartIsTheNextSlotInUtc) {
  const auto rules = Rules({WeeklySlot{kTuesday, 14 * 60, 17 * 60, std::nullopt}});
  // Monday night in January: Tuesday 14:00 CET.
  EXPECT_EQ(NextStart(rules, Utc(2026, 1, 12, 22)), Utc(2026, 1, 13, 13));
  // During the slot: the one of the next week.
  EXPECT_EQ(NextStart(rules, Utc(2026, 1, 13, 14)), Utc(2026, 1, 20, 13));
  // Across the spring change: Tuesday 2026-03-31 14:00 CEST = 12:00 UTC.
  EXPECT_EQ(NextStart(rules, Utc(2026, 3, 28, 12)), Utc(2026, 3, 31, 12));
  // No slot at all.
  EXPECT_FALSE(NextStart(Rules({}), Utc(2026, 1, 12, 22)));
}

TEST(Schedule, ClosedDaysRemoveTheWeeklySlotsButNotExtraOrLiveDuty) {
  auto rules = Rules({WeeklySlot{kTuesday, 14 * 60, 17 * 60, std::nullopt}});
  rules.closed.push_back(ClosedDays{Day(2026, 1, 13), Day(2026, 1, 20)});
  EXPECT_FALSE(OnDutyUntil(rules, Utc(2026, 1, 13, 14)));
  EXPECT_FALSE(OnDutyUntil(rules, Utc(2026, 1, 20, 14)));
  // Beyond kLookAhead (14 days): Tuesday the 27th is not promised.
  EXPECT_FALSE(NextStart(rules, Utc(2026, 1, 12, 0)));
  EXPECT_EQ(NextStart(rules, Utc(2026, 1, 14, 0)), Utc(2026, 1, 27, 13));
  rules.extra.push_back(ExtraSlot{Day(2026, 1, 14), 9 * 60, 12 * 60, std::string("a1")});
  EXPECT_EQ(NextStart(rules, Utc(2026, 1, 12, 0)), Utc(2026, 1, 14, 8));
  EXPECT_TRUE(OnDutyUntil(rules, Utc(2026, 1, 14, 10)));
  EXPECT_EQ(OnDutyUntil(rules, Utc(2026, 1, 14, 10)), Utc(2026, 1, 14, 11));
  rules.live.push_back(LiveDuty{"a2", Utc(2026, 1, 13, 14), Utc(2026, 1, 13, 15)});
  EXPECT_EQ(OnDutyUntil(rules, Utc(2026, 1, 13, 14, 30)), Utc(2026, 1, 13, 15));
  EXPECT_FALSE(OnDutyUntil(rules, Utc(2026, 1, 13, 15)));  // the automatic end
}

TEST(Schedule, LiveDutyThatRunsIntoASlotExtendsIt) {
  auto rules = Rules({WeeklySlot{kMonday, 9 * 60, 12 * 60, std::nullopt}});
  rules.live.push_back(LiveDuty{"a1", Utc(2026, 1, 12, 7), Utc(2026, 1, 12, 8, 30)});
  EXPECT_EQ(OnDutyUntil(rules, Utc(2026, 1, 12, 7, 10)), Utc(2026, 1, 12, 11));
}

// ---- With the database ----

class ScheduleDb : public storage::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    soci::session sql(db_->pool());
    storage::testing::InsertTerritory(sql, "t");
    storage::testing::InsertOrganization(sql, "o1", "t");
    storage::testing::InsertOrganization(sql, "o2", "t");
    InsertService(sql, "s1", "o1");
    InsertService(sql, "s2", "o1");
    InsertService(sql, "s3", "o2");
    InsertMember(sql, "a1", "o1", "active");
    InsertMember(sql, "a2", "o1", "active");
    InsertMember(sql, "a3", "o1", "disabled");
    InsertMember(sql, "a4", "o1", "active");
  }
  static void InsertService(soci::session& sql, const std::string& id, const std::string& org) {
    sql << "INSERT INTO service (id, organization_id, name, description, genders, eligibility_description, fees, "
           "languages, accessibility, application_process, opening_hours) VALUES (:id, :o, 'S', '', '', '', '', '', "
           "'', '', '')",
        soci::use(id, "id"), soci::use(org, "o");
  }
  static void InsertMember(soci::session& sql, const std::string& id, const std::string& org,
                           const std::string& status) {
    const std::string email = id + "@example.org";
    sql << "INSERT INTO account (id, email, role, status, created_at, updated_at) VALUES (:id, :e, 'member', :st, 0, "
           "0)",
        soci::use(id, "id"), soci::use(email, "e"), soci::use(status, "st");
    sql << "INSERT INTO membership (account_id, organization_id, created_at) VALUES (:a, :o, 0)", soci::use(id, "a"),
        soci::use(org, "o");
  }
  void Slot(const std::string& id, const std::string& service, const std::string& org, int weekday, int start,
            int end, std::optional<std::string> account) {
    soci::session sql(db_->pool());
    sql << "INSERT INTO duty_slot (id, service_id, organization_id, account_id, weekday, start_minute, end_minute, "
           "created_at) VALUES (:id, :s, :o, :a, :w, :b, :e, 0)",
        soci::use(id, "id"), soci::use(service, "s"), soci::use(org, "o"), soci::use(account, "a"),
        soci::use(weekday, "w"), soci::use(start, "b"), soci::use(end, "e");
  }
  void Live(const std::string& account, const std::string& service, const std::string& org, Instant start,
            Instant end) {
    soci::session sql(db_->pool());
    const long long s = core::UnixSeconds(start), e = core::UnixSeconds(end);
    sql << "INSERT INTO duty_live (account_id, service_id, organization_id, started_at, ends_at) VALUES (:a, :s, :o, "
           ":b, :e)",
        soci::use(account, "a"), soci::use(service, "s"), soci::use(org, "o"), soci::use(s, "b"), soci::use(e, "e");
  }
  void Exception(const std::string& id, const std::string& kind, const std::string& from, const std::string& to,
                 std::optional<int> start, std::optional<int> end) {
    soci::session sql(db_->pool());
    sql << "INSERT INTO duty_exception (id, service_id, organization_id, kind, from_day, to_day, start_minute, "
           "end_minute, created_at) VALUES (:id, 's1', 'o1', :k, :f, :t, :b, :e, 0)",
        soci::use(id, "id"), soci::use(kind, "k"), soci::use(from, "f"), soci::use(to, "t"), soci::use(start, "b"),
        soci::use(end, "e");
  }
};

TEST_P(ScheduleDb, ServicesAndOrganizationsOnDuty) {
  if (IsSkipped() || HasFatalFailure()) return;
  Slot("d1", "s1", "o1", kTuesday, 14 * 60, 17 * 60, std::nullopt);
  Slot("d2", "s3", "o2", kTuesday, 15 * 60, 18 * 60, std::nullopt);
  const Schedule schedule(*db_);
  const auto at = Utc(2026, 1, 13, 14, 30);  // Tuesday 15:30 in Paris
  auto on = schedule.OnDutyServices({"s3", "s2", "s1", "missing"}, at);
  ASSERT_EQ(on.size(), 2u);
  EXPECT_EQ(on[0].service_id, "s3");
  EXPECT_EQ(on[0].organization_id, "o2");
  EXPECT_EQ(on[0].until, Utc(2026, 1, 13, 17));
  EXPECT_EQ(on[1].service_id, "s1");
  EXPECT_EQ(on[1].until, Utc(2026, 1, 13, 16));
  auto orgs = schedule.OnDutyOrganizations({"o1", "o1"}, at);
  ASSERT_EQ(orgs.size(), 1u);
  EXPECT_EQ(orgs[0].service_id, "s1");
  EXPECT_TRUE(schedule.OnDutyServices({"s1", "s3"}, Utc(2026, 1, 13, 20)).empty());
}

TEST_P(ScheduleDb, NextStartAcrossServicesAndExceptions) {
  if (IsSkipped() || HasFatalFailure()) return;
  Slot("d1", "s1", "o1", kTuesday, 14 * 60, 17 * 60, std::nullopt);
  Slot("d2", "s3", "o2", kSaturday, 10 * 60, 12 * 60, std::nullopt);
  const Schedule schedule(*db_);
  const auto monday_night = Utc(2026, 1, 12, 22);
  EXPECT_EQ(schedule.NextOnDutyStart({"s1", "s3"}, monday_night), Utc(2026, 1, 13, 13));
  EXPECT_EQ(schedule.NextOnDutyStart({"s3"}, monday_night), Utc(2026, 1, 17, 9));
  EXPECT_FALSE(schedule.NextOnDutyStart({"s2"}, monday_night));
  EXPECT_FALSE(schedule.NextOnDutyStart({}, monday_night));
  Exception("x1", "closed", "2026-01-13", "2026-01-13", std::nullopt, std::nullopt);
  EXPECT_EQ(schedule.NextOnDutyStart({"s1", "s3"}, monday_night), Utc(2026, 1, 17, 9));
  Exception("x2", "extra", "2026-01-14", "2026-01-14", 8 * 60, 9 * 60);
  EXPECT_EQ(schedule.NextOnDutyStart({"s1", "s3"}, monday_night), Utc(2026, 1, 14, 7));
}

TEST_P(ScheduleDb, MembersOnDuty) {
  if (IsSkipped() || HasFatalFailure()) return;
  const Schedule schedule(*db_);
  const auto at = Utc(2026, 1, 13, 14, 30);
  EXPECT_TRUE(schedule.MembersOnDuty("o1", at).empty());
  Live("a2", "s2", "o1", at - minutes(10), at + minutes(50));
  Live("a1", "s2", "o1", at - minutes(60), at - minutes(1));  // ended
  EXPECT_EQ(schedule.MembersOnDuty("o1", at), std::vector<std::string>{"a2"});
  Slot("d1", "s1", "o1", kTuesday, 14 * 60, 17 * 60, std::string("a1"));
  EXPECT_EQ(schedule.MembersOnDuty("o1", at), (std::vector<std::string>{"a1", "a2"}));
  // A disabled member holding a slot is not notified.
  Slot("d2", "s1", "o1", kTuesday, 14 * 60, 17 * 60, std::string("a3"));
  EXPECT_EQ(schedule.MembersOnDuty("o1", at), (std::vector<std::string>{"a1", "a2"}));
  // A slot of the whole team: every active member.
  Slot("d3", "s2", "o1", kTuesday, 15 * 60, 16 * 60, std::nullopt);
  EXPECT_EQ(schedule.MembersOnDuty("o1", at), (std::vector<std::string>{"a1", "a2", "a4"}));
  EXPECT_TRUE(schedule.MembersOnDuty("o2", at).empty());
  EXPECT_TRUE(schedule.MembersOnDuty("o1", Utc(2026, 1, 13, 20)).empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, ScheduleDb,
                         ::testing::Values(core::DatabaseBackend::kSqlite, core::DatabaseBackend::kPostgresql),
                         storage::testing::BackendName);

}  // namespace
}  // namespace passerelle::duty
