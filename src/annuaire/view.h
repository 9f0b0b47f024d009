#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <string_view>

#include "annuaire/index.h"
#include "directory/model.h"
#include "directory/opening_hours.h"
#include "directory/public_view.h"

// What the directory's pages show, as template data: French labels and phrases built from the
// public views only (no confidential address can get in: those views never hold one).
namespace passerelle::annuaire {

using TimePoint = std::chrono::system_clock::time_point;

std::string CategoryLabel(directory::Category category);
std::string AccessibilityLabel(directory::Accessibility accessibility);
std::string FeeLabel(directory::Fee fee);
// "arabe" for "ar"; the code itself when unknown.
std::string LanguageLabel(std::string_view code);
// "15 janvier 2025" ("1er" for the first day); other input unchanged.
std::string FrenchDate(std::string_view iso_date);
// "350 m", "1,2 km", "12 km".
std::string FormatDistance(double km);

struct Opening {
  enum class State { kOpen, kClosed, kTemporarilyClosed, kNotProvided } state;
  std::string label;  // "Ouvert jusqu'à 17 h 30", "Fermé · ouvre lundi à 9 h", …
};
// Open now or next opening, in Europe/Paris time, a temporary closure first.
Opening DescribeOpening(const directory::OpeningHours& hours, const directory::PublicOrganization& organization,
                        TimePoint now);

// One result of the list: `hit` at its place.
nlohmann::json ResultView(const Hit& hit, TimePoint now);
// The detail page of one service.
nlohmann::json DetailView(const directory::PublicServiceView& view, TimePoint now);

}  // namespace passerelle::annuaire
