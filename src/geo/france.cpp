#include "geo/france.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace passerelle::geo {

namespace {

struct Area {
  std::string_view departement;  // empty: metropolitan France and Corsica
  std::string_view name;
  double min_lat, max_lat, min_lon, max_lon;
};

constexpr std::array<Area, 12> kAreas = {{
    {"", "la France métropolitaine", 41.2, 51.2, -5.3, 9.7},
    {"971", "la Guadeloupe", 15.7, 16.6, -62.0, -60.9},
    {"972", "la Martinique", 14.3, 15.0, -61.35, -60.7},
    {"973", "la Guyane", 2.0, 6.0, -54.7, -51.5},
    {"974", "La Réunion", -21.5, -20.75, 55.1, 55.95},
    {"975", "Saint-Pierre-et-Miquelon", 46.65, 47.2, -56.5, -56.05},
    {"976", "Mayotte", -13.1, -12.55, 44.9, 45.4},
    {"977", "Saint-Barthélemy", 17.8, 18.0, -62.95, -62.75},
    {"978", "Saint-Martin", 18.0, 18.15, -63.2, -62.95},
    {"986", "Wallis-et-Futuna", -14.5, -13.1, -178.4, -176.0},
    {"987", "la Polynésie française", -28.0, -7.5, -155.0, -134.0},
    {"988", "la Nouvelle-Calédonie", -23.0, -18.5, 158.0, 169.0},
}};

const Area& AreaOf(std::string_view departement) {
  if (departement.size() == 3) {
    for (const Area& area : kAreas) {
      if (area.departement == departement) return area;
    }
  }
  return kAreas[0];
}

bool AllDigits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

}  // namespace

bool IsInseeCode(std::string_view code) {
  if (code.size() != 5) return false;
  if (code[0] == '2' && (code[1] == 'A' || code[1] == 'B')) return AllDigits(code.substr(2));
  return AllDigits(code);
}

bool IsPostalCode(std::string_view code) { return code.size() == 5 && AllDigits(code); }

std::string DepartementOf(std::string_view insee_code) {
  // Overseas codes are 97xxx and 98xxx with a three-character département.
  const bool overseas =
      insee_code.size() >= 3 && insee_code[0] == '9' && (insee_code[1] == '7' || insee_code[1] == '8');
  return std::string(insee_code.substr(0, overseas ? 3 : 2));
}

bool IsInDepartementArea(std::string_view departement, double lat_deg, double lon_deg) {
  const Area& area = AreaOf(departement);
  return lat_deg >= area.min_lat && lat_deg <= area.max_lat && lon_deg >= area.min_lon && lon_deg <= area.max_lon;
}

std::string_view AreaName(std::string_view departement) { return AreaOf(departement).name; }

}  // namespace passerelle::geo
