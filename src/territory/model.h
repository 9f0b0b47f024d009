#pragma once

#include <string>
#include <vector>

namespace passerelle::territory {

struct Commune {
  std::string insee_code;
  std::string name;
  std::string postal_code;
  friend bool operator==(const Commune&, const Commune&) = default;
};

// A service for minors of the territory (e.g. a Maison des Adolescents) or a national line.
struct YouthService {
  std::string name;
  std::string phone;        // as dialled, e.g. "0800 235 236"
  std::string description;  // French, one sentence
  friend bool operator==(const YouthService&, const YouthService&) = default;
};

struct EmergencyContact {
  std::string label;   // French, e.g. "Police / gendarmerie"
  std::string number;  // "17"
  std::string kind;    // "voice" | "sms"
  friend bool operator==(const EmergencyContact&, const EmergencyContact&) = default;
};

struct Territory {
  std::string slug;
  std::string name;
  std::vector<Commune> communes;
  double centre_lat = 0;
  double centre_lon = 0;
  double default_radius_km = 10;
  std::vector<YouthService> youth_services;
  std::vector<EmergencyContact> emergency_contacts;
  std::string neutral_exit_url;
  std::vector<std::string> languages;
  bool is_demo = false;
  // No longer offered to the public; kept for history (docs/territory-console.md).
  bool archived = false;
  // Minutes a live conversation waits unanswered before "the other ways" are offered to her
  // (docs/conversation.md), 1 to 30; set by the territory's coordinators.
  int conversation_offer_minutes = 5;
  friend bool operator==(const Territory&, const Territory&) = default;
};

}  // namespace passerelle::territory
