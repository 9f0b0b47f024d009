#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace passerelle::geo {

// Where a commune's coordinates come from. Stored as the stable codes of ToString().
enum class Precision {
  kExact,            // a GeoNames point of the commune (default gazetteer)
  kPostalCode,       // borrowed from the most populous exact commune sharing a postal code
  kEpciSeat,         // borrowed from the seat of its EPCI (its most populous located member)
  kDepartementSeat,  // borrowed from the most populous exact commune of its département
  kOfficial,         // from an imported official file
  kCorrected,        // set by a coordinator
};

std::string_view ToString(Precision precision);
std::optional<Precision> ParsePrecision(std::string_view text);

// True for the borrowed coordinates of the default gazetteer.
bool IsApproximate(Precision precision);

struct Commune {
  std::string insee_code;  // "62318", "2A004", "75110"
  std::string name;        // official spelling with its article: "L'Abergement-Clémenciat"
  std::vector<std::string> postal_codes;
  std::int64_t population = 0;
  double lat = 0;
  double lon = 0;
  Precision precision = Precision::kExact;
  std::string departement;                // "62", "2A", "974"
  std::string epci_code;                  // SIREN of its EPCI; empty when unknown or none
  std::string parent_insee_code;          // an arrondissement municipal's commune; empty otherwise
  std::vector<std::string> former_names;  // communes déléguées and associées it absorbed

  bool IsArrondissement() const { return !parent_insee_code.empty(); }
};

}  // namespace passerelle::geo
