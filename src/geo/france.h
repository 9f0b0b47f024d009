#pragma once

#include <string>
#include <string_view>

namespace passerelle::geo {

// A well-formed INSEE commune code: five digits, or 2A/2B and three digits (Corsica).
bool IsInseeCode(std::string_view code);

// Five digits.
bool IsPostalCode(std::string_view code);

// The département (or overseas collectivity) of a well-formed INSEE code: "62", "2A", "974".
std::string DepartementOf(std::string_view insee_code);

// True when the point lies in the area of the département: metropolitan France with Corsica, or
// the overseas département or collectivity. Boxes with a margin of about 10 km; they catch
// swapped, truncated or foreign coordinates, not a commune placed in the wrong town.
bool IsInDepartementArea(std::string_view departement, double lat_deg, double lon_deg);

// French name of that area for messages: "la France métropolitaine", "La Réunion".
std::string_view AreaName(std::string_view departement);

}  // namespace passerelle::geo
