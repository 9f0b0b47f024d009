#include "stats/suppression.h"

#include <algorithm>

namespace passerelle::stats {

Shown Suppress(long long count, long long threshold) {
  if (count < threshold) return std::nullopt;
  return count;
}

Shown SuppressTotal(const std::vector<long long>& cells, long long threshold) {
  long long total = 0, hidden = 0;
  for (long long cell : cells) {
    total += cell;
    if (!Suppress(cell, threshold)) hidden += cell;
  }
  if (total < threshold) return std::nullopt;
  if (hidden > 0 && hidden < threshold) return std::nullopt;
  return total;
}

std::string ShowOnPage(const Shown& shown, long long threshold) {
  return shown ? std::to_string(*shown) : "< " + std::to_string(threshold);
}

std::string ShowInCsv(const Shown& shown, long long threshold) {
  return shown ? std::to_string(*shown) : "<" + std::to_string(threshold);
}

std::optional<double> Median(std::vector<long long> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  if (n % 2 == 1) return static_cast<double>(values[n / 2]);
  return (static_cast<double>(values[n / 2 - 1]) + static_cast<double>(values[n / 2])) / 2.0;
}

}  // namespace passerelle::stats
