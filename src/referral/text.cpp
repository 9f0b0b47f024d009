#include "referral/text.h"

namespace passerelle::referral {

namespace {

// Length in bytes of the character at the start of `rest` if it is one to drop, else 0.
std::size_t InvisibleAt(std::string_view rest) {
  if (rest.size() < 3) return 0;
  const auto b0 = static_cast<unsigned char>(rest[0]);
  const auto b1 = static_cast<unsigned char>(rest[1]);
  const auto b2 = static_cast<unsigned char>(rest[2]);
  if (b0 == 0xE2 && b1 == 0x80 && (b2 == 0x8B || (b2 >= 0xAA && b2 <= 0xAE))) return 3;  // U+200B, U+202A–E
  if (b0 == 0xE2 && b1 == 0x81 && ((b2 >= 0xA0 && b2 <= 0xA4) || (b2 >= 0xA6 && b2 <= 0xA9)))
    return 3;                                            // U+2060–4, U+2066–9
  if (b0 == 0xEF && b1 == 0xBB && b2 == 0xBF) return 3;  // U+FEFF
  if (b0 == 0xE1 && b1 == 0xA0 && b2 == 0x8E) return 3;  // U+180E
  return 0;
}

}  // namespace

std::string WithoutInvisibleFormatting(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (const std::size_t n = InvisibleAt(text.substr(i))) {
      i += n;
    } else {
      out.push_back(text[i++]);
    }
  }
  return out;
}

std::string TrimText(std::string_view raw) {
  const std::string cleaned = WithoutInvisibleFormatting(raw);
  const std::string_view text = cleaned;
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
