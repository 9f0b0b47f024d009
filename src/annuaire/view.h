#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "annuaire/index.h"
#include "annuaire/phrase.h"
#include "directory/model.h"
#include "directory/opening_hours.h"
#include "directory/public_view.h"

// What the directory's pages show, as template data: labels and phrases in the visitor's
// language (French msgids through `translate`, formats of `locale`; see phrase.h), built from the
// public views only (no confidential address can get in: those views never hold one).
namespace passerelle::annuaire {

using TimePoint = std::chrono::system_clock::time_point;

// French labels: the catalogs' msgids.
std::string CategoryLabel(directory::Category category);
std::string AccessibilityLabel(directory::Accessibility accessibility);
std::string FeeLabel(directory::Fee fee);
// "arabe" for "ar"; the code itself when unknown.
std::string LanguageLabel(std::string_view code);

struct Opening {
  enum class State { kOpen, kClosed, kTemporarilyClosed, kNotProvided } state;
  // Joined with " · ": "Ouvert" + "ferme aujourd'hui à {time}", "Fermé" + "ouvre {day} à {time}", …
  std::vector<Phrase> phrases;
};
// Open now or next opening, in Europe/Paris time, a temporary closure first.
Opening DescribeOpening(const directory::OpeningHours& hours, const directory::PublicOrganization& organization,
                        TimePoint now);

// One result of the list: `hit` at its place.
nlohmann::json ResultView(const Hit& hit, TimePoint now, const TranslateFn& translate, std::string_view locale);
// The detail page of one service.
nlohmann::json DetailView(const directory::PublicServiceView& view, TimePoint now, const TranslateFn& translate,
                          std::string_view locale);

}  // namespace passerelle::annuaire
