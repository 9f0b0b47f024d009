#include "geo/folding.h"

#include <array>
#include <cstdint>

namespace passerelle::geo {

namespace {

// ASCII spelling of U+00C0 … U+00FF; empty for the two non-letters (× and ÷).
constexpr std::array<std::string_view, 64> kLatin1Letters = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",   // À…Ï
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",  // Ð…ß
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",   // à…ï
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y",   // ð…ÿ
};

// Decodes one UTF-8 sequence at `i`; returns the code point (or 0xFFFD when malformed) and
// advances `i` past it.
char32_t DecodeOne(std::string_view text, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  char32_t code = 0;
  if (lead < 0x80) {
    ++i;
    return lead;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2;
    code = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    code = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    code = lead & 0x07;
  } else {
    ++i;
    return 0xFFFD;
  }
  if (i + length > text.size()) {
    ++i;
    return 0xFFFD;
  }
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  i += length;
  return code;
}

// The ASCII letters for `code`, or empty when it separates words.
std::string_view Fold(char32_t code, char& ascii) {
  if (code < 0x80) {
    if (code >= 'A' && code <= 'Z') code = code - 'A' + 'a';
    if ((code >= 'a' && code <= 'z') || (code >= '0' && code <= '9')) {
      ascii = static_cast<char>(code);
      return std::string_view(&ascii, 1);
    }
    return {};
  }
  if (code >= 0xC0 && code <= 0xFF) return kLatin1Letters[code - 0xC0];
  switch (code) {
    case 0x152:  // Œ
    case 0x153:  // œ
      return "oe";
    case 0x178:  // Ÿ
      return "y";
    default:
      return {};
  }
}

}  // namespace

std::string FoldForSearch(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < utf8.size();) {
    char ascii = 0;
    const std::string_view letters = Fold(DecodeOne(utf8, i), ascii);
    if (letters.empty()) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.append(letters);
  }
  return out;
}

}  // namespace passerelle::geo
