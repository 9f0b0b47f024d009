#include "duty/booking.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "storage/testing.h"

namespace passerelle::duty {
namespace {

using namespace std::chrono;

const Instant kNow = sys_days{year{2026} / January / 12} + hours(9);

class BookingTest : public storage::testing::BackendTest {
 protected:
  void SetUp() override {
    pool_size_ = 8;
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    soci::session sql(db_->pool());
    storage::testing::InsertTerritory(sql, "t");
    storage::testing::InsertOrganization(sql, "o1", "t");
    storage::testing::InsertOrganization(sql, "o2", "t");
    for (const auto& [id, org] : {std::pair<std::string, std::string>{"s1", "o1"}, {"s2", "o2"}}) {
      sql << "INSERT INTO service (id, organization_id, name, description, genders, eligibility_description, fees, "
             "languages, accessibility, application_process, opening_hours) VALUES (:id, :o, 'S', '', '', '', '', "
             "'', '', '', '')",
          soci::use(id, "id"), soci::use(org, "o");
    }
  }
  std::string Publish(Instant starts) {
    auto id = Appointments(*db_).Publish("o1", "s1", starts, minutes(45), "phone", "", kNow);
    EXPECT_TRUE(id.ok());
    return id.ok() ? id.value() : "";
  }
};

TEST_P(BookingTest, PublishRefusesBadInputNamingTheField) {
  if (IsSkipped() || HasFatalFailure()) return;
  Appointments appointments(*db_);
  const auto field = [](const core::Result<std::string>& r) { return r.ok() ? "" : r.error().internal_detail; };
  EXPECT_EQ(field(appointments.Publish("o1", "s1", kNow - hours(1), minutes(30), "phone", "", kNow)),
            "duty: invalid starts");
  EXPECT_EQ(field(appointments.Publish("o1", "s1", kNow + hours(1), minutes(2), "phone", "", kNow)),
            "duty: invalid length");
  EXPECT_EQ(field(appointments.Publish("o1", "s1", kNow + hours(1), minutes(30), "visio", "", kNow)),
            "duty: invalid mode");
  EXPECT_EQ(field(appointments.Publish("o1", "s1", kNow + hours(1), minutes(30), "video", "http://x", kNow)),
            "duty: invalid place");
  EXPECT_EQ(field(appointments.Publish("o1", "s1", kNow + hours(1), minutes(30), "in_person", "", kNow)),
            "duty: invalid place");
  const auto other = appointments.Publish("o1", "s2", kNow + hours(1), minutes(30), "phone", "", kNow);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, core::ErrorCode::kNotFound);
  EXPECT_TRUE(appointments.OpenSlots({"s1", "s2"}, kNow, kNow + days(30)).empty());
}

TEST_P(BookingTest, OneBookingPerSlotAndOneSlotPerBooking) {
  if (IsSkipped() || HasFatalFailure()) return;
  Appointments appointments(*db_);
  const std::string a = Publish(kNow + hours(2));
  const std::string b = Publish(kNow + hours(1));
  auto open = appointments.OpenSlots({"s1"}, kNow, kNow + days(1));
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[0].id, b);  // by start
  ASSERT_TRUE(appointments.Book(a, "ref-1", kNow).ok());
  const auto taken = appointments.Book(a, "ref-2", kNow);
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, core::ErrorCode::kConflict);
  const auto twice = appointments.Book(b, "ref-1", kNow);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, core::ErrorCode::kConflict);
  EXPECT_EQ(appointments.Book("rdv-unknown", "ref-3", kNow).error().code, core::ErrorCode::kNotFound);
  // Past slots cannot be booked.
  EXPECT_EQ(appointments.Book(b, "ref-3", kNow + hours(3)).error().code, core::ErrorCode::kConflict);
  EXPECT_EQ(appointments.OfBooking("ref-1")->id, a);
  EXPECT_EQ(appointments.OpenSlots({"s1"}, kNow, kNow + days(1)).size(), 1u);
}

TEST_P(BookingTest, CancelFromEitherSide) {
  if (IsSkipped() || HasFatalFailure()) return;
  Appointments appointments(*db_);
  const std::string a = Publish(kNow + hours(2));
  ASSERT_TRUE(appointments.Book(a, "ref-1", kNow).ok());
  const auto cancel_mails = [this] {
    soci::session sql(db_->pool());
    int count = 0;
    std::string to;
    sql << "SELECT COUNT(*), MIN(recipient) FROM outbox WHERE kind = 'appointment_cancelled'", soci::into(count),
        soci::into(to);
    return std::pair{count, to};
  };
  // Hers: the slot opens again for someone else; the organization gets the content-free e-mail
  // (nobody is on duty: its address only).
  ASSERT_TRUE(appointments.CancelByPerson("ref-1", kNow).ok());
  EXPECT_FALSE(appointments.OfBooking("ref-1"));
  EXPECT_EQ(cancel_mails(), (std::pair{1, std::string("contact@example.org")}));
  EXPECT_EQ(appointments.CancelByPerson("ref-1", kNow).error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(cancel_mails().first, 1) << "nothing cancelled, nothing sent";
  ASSERT_TRUE(appointments.Book(a, "ref-2", kNow).ok());
  // The organization's: gone for everyone, and it learns whose booking it was.
  EXPECT_EQ(appointments.CancelByOrganization("o2", a).error().code, core::ErrorCode::kNotFound);
  const auto cancelled = appointments.CancelByOrganization("o1", a);
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled.value(), std::optional<std::string>("ref-2"));
  EXPECT_EQ(appointments.CancelByOrganization("o1", a).error().code, core::ErrorCode::kConflict);
  EXPECT_EQ(appointments.Book(a, "ref-3", kNow).error().code, core::ErrorCode::kConflict);
  EXPECT_TRUE(appointments.OpenSlots({"s1"}, kNow, kNow + days(1)).empty());
  const auto day = appointments.Day("o1", sys_days{year{2026} / January / 12});
  ASSERT_EQ(day.size(), 1u);
  EXPECT_EQ(day[0].status, "cancelled");
}

TEST_P(BookingTest, TheOrganizationsCancelStaysVisibleToHerAndSheMayBookAgain) {
  if (IsSkipped() || HasFatalFailure()) return;
  Appointments appointments(*db_);
  const std::string a = Publish(kNow + hours(2));
  const std::string b = Publish(kNow + hours(3));
  EXPECT_FALSE(appointments.LastOfBooking("ref-1"));
  ASSERT_TRUE(appointments.Book(a, "ref-1", kNow).ok());
  ASSERT_TRUE(appointments.CancelByOrganization("o1", a).ok());
  auto last = appointments.LastOfBooking("ref-1");
  ASSERT_TRUE(last);
  EXPECT_EQ(last->id, a);
  EXPECT_EQ(last->status, "cancelled");
  EXPECT_FALSE(appointments.OfBooking("ref-1"));
  // Hers to cancel no more; another slot may be hers.
  EXPECT_EQ(appointments.CancelByPerson("ref-1", kNow).error().code, core::ErrorCode::kNotFound);
  ASSERT_TRUE(appointments.Book(b, "ref-1", kNow).ok());
  last = appointments.LastOfBooking("ref-1");
  ASSERT_TRUE(last);
  EXPECT_EQ(last->id, b);
  EXPECT_EQ(last->status, "booked");
}

TEST_P(BookingTest, OnlyABookedSlotThatStartedIsMarkedAndHonouredCountsOnce) {
  if (IsSkipped() || HasFatalFailure()) return;
  Appointments appointments(*db_);
  const std::string a = Publish(kNow + hours(2));
  const std::string open = Publish(kNow + hours(3));
  ASSERT_TRUE(appointments.Book(a, "ref-1", kNow).ok());
  const auto code = [](const core::Result<bool>& r) {
    return r.ok() ? std::optional<core::ErrorCode>() : std::optional<core::ErrorCode>(r.error().code);
  };
  EXPECT_EQ(code(appointments.MarkOutcome("o1", a, "venue", kNow + hours(2))), core::ErrorCode::kInvalidInput);
  EXPECT_EQ(code(appointments.MarkOutcome("o1", a, "honoured", kNow)), core::ErrorCode::kConflict);  // not started
  EXPECT_EQ(code(appointments.MarkOutcome("o2", a, "honoured", kNow + hours(2))), core::ErrorCode::kNotFound);
  EXPECT_EQ(code(appointments.MarkOutcome("o1", open, "honoured", kNow + hours(4))), core::ErrorCode::kConflict);
  auto first = appointments.MarkOutcome("o1", a, "honoured", kNow + hours(2));
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first.value());
  auto again = appointments.MarkOutcome("o1", a, "honoured", kNow + hours(2));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again.value());
  ASSERT_TRUE(appointments.MarkOutcome("o1", a, "missed", kNow + hours(2)).ok());
  EXPECT_EQ(appointments.OfBooking("ref-1")->outcome, std::optional<std::string>("missed"));
  EXPECT_EQ(appointments.TerritoryOf("o1"), "t");
  EXPECT_EQ(appointments.TerritoryOf("nobody"), "");
  EXPECT_EQ(appointments.OfOrganization("o1", kNow, kNow + hours(24)).size(), 2u);
}

TEST(ParisInstant, ReadsTheParisWallClockAndNamesTheField) {
  // 13 January 2026 is in winter time (UTC+1).
  auto t = ParisInstant("2026-01-13", "14:30");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t.value(), Instant{sys_days{year{2026} / January / 13} + hours(13) + minutes(30)});
  EXPECT_EQ(ParisInstant("2026-02-30", "14:30").error().internal_detail, "duty: invalid day");
  EXPECT_EQ(ParisInstant("13/01/2026", "14:30").error().internal_detail, "duty: invalid day");
  EXPECT_EQ(ParisInstant("2026-01-13", "25:00").error().internal_detail, "duty: invalid starts");
  // The spring gap: 02:30 does not exist on 29 March 2026.
  EXPECT_EQ(ParisInstant("2026-03-29", "02:30").error().internal_detail, "duty: invalid starts");
}

TEST_P(BookingTest, ConcurrentBookingsOfOneSlotHaveExactlyOneWinner) {
  if (IsSkipped() || HasFatalFailure()) return;
  for (int round = 0; round < 5; ++round) {
    const std::string slot = Publish(kNow + hours(1 + round));
    constexpr int kThreads = 8;
    std::atomic<int> ready{0}, won{0}, conflicts{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        Appointments appointments(*db_);
        ready.fetch_add(1);
        while (ready.load() < kThreads) std::this_thread::yield();
        const auto booked = appointments.Book(slot, "ref-" + std::to_string(round) + "-" + std::to_string(i), kNow);
        if (booked.ok()) {
          won.fetch_add(1);
        } else if (booked.error().code == core::ErrorCode::kConflict) {
          conflicts.fetch_add(1);
        }
      });
    }
    for (std::thread& t : threads) t.join();
    EXPECT_EQ(won.load(), 1) << "round " << round;
    EXPECT_EQ(conflicts.load(), kThreads - 1) << "round " << round;
    soci::session sql(db_->pool());
    int booked = 0;
    sql << "SELECT COUNT(*) FROM appointment_slot WHERE id = :id AND status = 'booked' AND booking IS NOT NULL",
        soci::into(booked), soci::use(slot);
    EXPECT_EQ(booked, 1);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, BookingTest,
                         ::testing::Values(core::DatabaseBackend::kSqlite, core::DatabaseBackend::kPostgresql),
                         storage::testing::BackendName);

}  // namespace
}  // namespace passerelle::duty
