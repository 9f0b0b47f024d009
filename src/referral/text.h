#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// Checks of the free texts of a referral (her message, replies, professional messages).
namespace passerelle::referral {

enum class Multiline { kNo, kYes };
enum class Required { kNo, kYes };

// Without the invisible characters that have no use in these texts and can disguise them:
// bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069, so that
// "abc" U+202E "gnp.exe" cannot read "abcexe.png"), zero-width spaces and joiners of words
// (U+200B, U+2060–U+2064, U+FEFF, U+180E). Kept: U+200C/U+200D (needed by some scripts and by
// emoji sequences) and the marks U+200E, U+200F, U+061C (they reorder nothing by themselves).
std::string WithoutInvisibleFormatting(std::string_view text);
// WithoutInvisibleFormatting, then without surrounding spaces and line breaks: every free text
// of a referral goes through it before it is checked and stored.
std::string TrimText(std::string_view text);
// UTF-8 characters, not bytes.
std::size_t CharacterCount(std::string_view text);
// Control characters other than line breaks and tabs (those only when multiline).
bool HasControlCharacters(std::string_view text, Multiline multiline);
// Not longer than `max_characters`, no control characters, not empty when required.
bool IsAcceptableText(std::string_view text, std::size_t max_characters, Multiline multiline, Required required);

}  // namespace passerelle::referral
