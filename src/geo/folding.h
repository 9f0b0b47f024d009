#pragma once

#include <string>
#include <string_view>

namespace passerelle::geo {

// Folds a name or a typed query for accent- and case-insensitive matching: Latin letters lose
// their accents ("É" → "e", "œ" → "oe"), ASCII is lower-cased, and every run of other characters
// (spaces, hyphens, apostrophes, punctuation, invalid UTF-8) becomes one space, trimmed at both
// ends. "Saint-Étienne-du-Rouvray" → "saint etienne du rouvray".
std::string FoldForSearch(std::string_view utf8);

}  // namespace passerelle::geo
