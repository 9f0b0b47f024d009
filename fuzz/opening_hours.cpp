// Opening hours (directory::OpeningHours, a subset of OpenStreetMap's syntax) as typed by a
// member in /pro or given by an import. Parse, then every evaluation the directory pages make, at
// a few moments (a weekday, a Sunday, a public holiday, a change to summer time). Properties:
// the next opening and the closing time are after the moment asked about; only an open service
// has a closing time; ranges of a day start within the day and end after they start.
#include <chrono>

#include "directory/opening_hours.h"
#include "fuzz_support.h"

using namespace passerelle;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto hours = directory::OpeningHours::Parse(fuzz::Text(data, size));
  if (!hours) {
    (void)hours.error().public_message;
    return 0;
  }
  const auto& h = hours.value();
  using std::chrono::seconds;
  for (const long long unix_seconds :
       {1700000000LL /* Tue 14 Nov 2023, 23:13 Paris */, 1700391600LL /* Sun 19 Nov 2023, 12:00 */,
        1704106800LL /* Mon 1 Jan 2024, 12:00, a holiday */,
        1711846800LL /* Sun 31 Mar 2024, 02:00 UTC: summer time */}) {
    const directory::OpeningHours::TimePoint t{seconds(unix_seconds)};
    const auto status = h.IsOpenAt(t);
    if (!h.provided()) FUZZ_CHECK(status == directory::OpenStatus::kNotProvided);
    if (const auto next = h.NextOpening(t)) FUZZ_CHECK(*next > t);
    if (const auto closes = h.ClosesAt(t)) {
      FUZZ_CHECK(status == directory::OpenStatus::kOpen);
      FUZZ_CHECK(*closes > t);
    }
  }
  for (const auto& day : h.WeeklyRanges()) {
    for (const auto& range : day) {
      FUZZ_CHECK(range.start_minutes >= 0 && range.start_minutes < 1440);
      FUZZ_CHECK(range.end_minutes > range.start_minutes);
    }
  }
  (void)h.RangesOn(2024, 5, 8);
  (void)h.RangesOn(2024, 2, 29);
  return 0;
}
