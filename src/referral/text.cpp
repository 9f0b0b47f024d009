#include "referral/text.h"

namespace passerelle::referral {

std::string TrimText(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  return std::string(text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1));
}

std::size_t CharacterCount(std::string_view text) {
  std::size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

bool HasControlCharacters(std::string_view text, Multiline multiline) {
  const bool newlines = multiline == Multiline::kYes;
  for (unsigned char c : text) {
    if (c == 0x7F || (c < 0x20 && !(newlines && (c == '\n' || c == '\r' || c == '\t')))) return true;
  }
  return false;
}

bool IsAcceptableText(std::string_view text, std::size_t max_characters, Multiline multiline, Required required) {
  const std::size_t n = CharacterCount(text);
  if (required == Required::kYes && n == 0) return false;
  return n <= max_characters && !HasControlCharacters(text, multiline);
}

}  // namespace passerelle::referral
