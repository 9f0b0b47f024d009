#include "geo/distance.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace passerelle::geo {

namespace {

constexpr double kRadiansPerDegree = std::numbers::pi / 180.0;

}  // namespace

RadianPoint ToRadianPoint(double lat_deg, double lon_deg) {
  const double lat = lat_deg * kRadiansPerDegree;
  return RadianPoint{lat, lon_deg * kRadiansPerDegree, std::cos(lat)};
}

double HaversineKm(const RadianPoint& a, const RadianPoint& b) {
  const double sin_half_dlat = std::sin((b.lat - a.lat) * 0.5);
  const double sin_half_dlon = std::sin((b.lon - a.lon) * 0.5);
  const double h = sin_half_dlat * sin_half_dlat + a.cos_lat * b.cos_lat * sin_half_dlon * sin_half_dlon;
  return 2.0 * kEarthRadiusKm * std::asin(std::sqrt(std::min(1.0, h)));
}

double HaversineKm(double lat1_deg, double lon1_deg, double lat2_deg, double lon2_deg) {
  return HaversineKm(ToRadianPoint(lat1_deg, lon1_deg), ToRadianPoint(lat2_deg, lon2_deg));
}

bool IsValidCoordinate(double lat_deg, double lon_deg) {
  return std::isfinite(lat_deg) && std::isfinite(lon_deg) && lat_deg >= -90 && lat_deg <= 90 && lon_deg >= -180 &&
         lon_deg <= 180;
}

}  // namespace passerelle::geo
