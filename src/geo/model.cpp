#include "geo/model.h"

#include <array>
#include <utility>

namespace passerelle::geo {

namespace {

constexpr std::array<std::pair<Precision, std::string_view>, 6> kPrecisionCodes = {{
    {Precision::kExact, "exact"},
    {Precision::kPostalCode, "postal_code"},
    {Precision::kEpciSeat, "epci_seat"},
    {Precision::kDepartementSeat, "departement_seat"},
    {Precision::kOfficial, "official"},
    {Precision::kCorrected, "corrected"},
}};

}  // namespace

std::string_view ToString(Precision precision) {
  for (const auto& [value, code] : kPrecisionCodes) {
    if (value == precision) return code;
  }
  return "exact";  // unreachable: every enumerator is listed
}

std::optional<Precision> ParsePrecision(std::string_view text) {
  for (const auto& [value, code] : kPrecisionCodes) {
    if (code == text) return value;
  }
  return std::nullopt;
}

bool IsApproximate(Precision precision) {
  return precision == Precision::kPostalCode || precision == Precision::kEpciSeat ||
         precision == Precision::kDepartementSeat;
}

}  // namespace passerelle::geo
