#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// Checks of the free texts of a referral (her message, replies, professional messages).
namespace passerelle::referral {

enum class Multiline { kNo, kYes };
enum class Required { kNo, kYes };

// Without surrounding spaces and line breaks.
std::string TrimText(std::string_view text);
// UTF-8 characters, not bytes.
std::size_t CharacterCount(std::string_view text);
// Control characters other than line breaks and tabs (those only when multiline).
bool HasControlCharacters(std::string_view text, Multiline multiline);
// Not longer than `max_characters`, no control characters, not empty when required.
bool IsAcceptableText(std::string_view text, std::size_t max_characters, Multiline multiline, Required required);

}  // namespace passerelle::referral
