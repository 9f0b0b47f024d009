#pragma once

namespace passerelle::geo {

// Mean Earth radius (IUGG), the sphere PostGIS also uses for geography KNN.
inline constexpr double kEarthRadiusKm = 6371.0088;

// A point in radians with the cosine of its latitude, precomputed once per stored location.
struct RadianPoint {
  double lat;
  double lon;
  double cos_lat;
};

RadianPoint ToRadianPoint(double lat_deg, double lon_deg);

// Great-circle distance on the sphere (haversine). The spatial index and its brute-force
// reference both use this function, so that their distances are bit-for-bit equal.
double HaversineKm(const RadianPoint& a, const RadianPoint& b);
double HaversineKm(double lat1_deg, double lon1_deg, double lat2_deg, double lon2_deg);

// Latitude in [-90, 90], longitude in [-180, 180], both finite.
bool IsValidCoordinate(double lat_deg, double lon_deg);

}  // namespace passerelle::geo
