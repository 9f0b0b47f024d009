#pragma once

#include <optional>
#include <string>
#include <vector>

// Small counts must not identify anyone in a small commune (issue 11 §4; the rule is written in
// docs/territory-console.md "Statistics", "Small counts").
namespace passerelle::stats {

inline constexpr long long kDefaultThreshold = 5;

// A figure as it may be shown: its value when at least the threshold, nothing when suppressed.
using Shown = std::optional<long long>;

// Every figure under the threshold, 0 included, is suppressed: a 0 shown beside "< 5" would tell
// that the "< 5" is at least one person.
Shown Suppress(long long count, long long threshold);

// A total of `cells` (every cell of its row or column). It is suppressed when it is itself under
// the threshold, or when the cells suppressed in the row add up to 1 … threshold-1: subtracting
// the shown cells from the total would otherwise give back a small count (one suppressed cell, or
// several whose sum is small). When the suppressed cells add up to the threshold or more, only
// their sum can be recomputed, which is itself not a small count.
Shown SuppressTotal(const std::vector<long long>& cells, long long threshold);

// "< 5" (pages) or "<5" (CSV) for a suppressed figure, the number otherwise.
std::string ShowOnPage(const Shown& shown, long long threshold);
std::string ShowInCsv(const Shown& shown, long long threshold);

// The median of `values` (the mean of the two middle ones for an even count); nothing for none.
std::optional<double> Median(std::vector<long long> values);

}  // namespace passerelle::stats
