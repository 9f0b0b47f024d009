#include "accounts/password_policy.h"

#include <fstream>

#include "core/error.h"
#include "geo/folding.h"

namespace passerelle::accounts {

namespace {

// Common French passwords missing from john-data's English list.
constexpr std::string_view kFrenchWords[] = {
    "azerty",    "azertyuiop",  "motdepasse", "motdepass", "jetaime",     "jetaime1",   "loulou",
    "chouchou",  "marseille",   "doudou",     "soleil",    "bonjour",     "coucou",     "nicolas",
    "camille",   "chocolat",    "princesse",  "doudoune",  "marseille13", "olympique",  "maman",
    "papa",      "cheval",      "nounours",   "bisous",    "france",      "paris",      "amour",
    "toulouse",  "bordeaux",    "lyon",       "nantes",    "lille",       "passerelle", "victime",
    "violence",  "association", "avocat",     "justice",   "tribunal",    "police",     "gendarmerie",
    "bienvenue", "secret",      "liberte",    "egalite",   "fraternite",  "vacances",   "printemps",
};

// Keyboard rows and runs: a password that is a piece of one of these is refused.
constexpr std::string_view kSequences[] = {
    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
    "zyxwvutsrqponmlkjihgfedcbazyxwvutsrqponmlkjihgfedcba",
    "012345678901234567890123456789012345678901234567890123456789",
    "987654321098765432109876543210987654321098765432109876543210",
    "azertyuiopqsdfghjklmwxcvbnazertyuiopqsdfghjklmwxcvbn",
    "qwertyuiopasdfghjklzxcvbnmqwertyuiopasdfghjklzxcvbnm",
    "qwertzuiopasdfghjklyxcvbnmqwertzuiopasdfghjklyxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "azertyuiop1234567890",
    "qwertyuiop1234567890",
    "1234567890azertyuiop",
    "1234567890qwertyuiop",
};

std::size_t Characters(std::string_view utf8) {
  std::size_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;
  return n;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// True when `text` is one block repeated (at least twice, the last copy possibly cut short).
bool IsRepeated(const std::string& text) {
  for (std::size_t period = 1; period <= text.size() / 2; ++period) {
    bool periodic = true;
    for (std::size_t i = period; i < text.size() && periodic; ++i) periodic = text[i] == text[i - period];
    if (periodic) return true;
  }
  return false;
}

}  // namespace

std::string FoldPassword(std::string_view utf8) {
  std::string folded = geo::FoldForSearch(utf8);
  std::erase(folded, ' ');
  return folded;
}

PasswordPolicy PasswordPolicy::Load(const std::vector<std::filesystem::path>& files) {
  std::vector<std::string> words;
  for (const auto& file : files) {
    std::ifstream in(file);
    if (!in) throw core::InfrastructureError("cannot read the common passwords list " + file.string());
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("#!", 0) == 0) continue;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) words.push_back(line);
    }
  }
  return PasswordPolicy(words);
}

PasswordPolicy::PasswordPolicy(const std::vector<std::string>& words) {
  for (const std::string& word : words) {
    if (std::string folded = FoldPassword(word); !folded.empty()) common_.insert(std::move(folded));
  }
  for (std::string_view word : kFrenchWords) common_.insert(std::string(word));
}

bool PasswordPolicy::IsCommon(std::string_view password, std::string_view email) const {
  const std::string folded = FoldPassword(password);
  if (folded.empty()) {
    // Only symbols and spaces, or a script the folding does not keep (Arabic…): then only the
    // repetition rule applies, on the text as typed.
    bool ascii = true;
    for (unsigned char c : password) ascii = ascii && c < 0x80;
    return ascii || IsRepeated(std::string(password));
  }
  if (common_.count(folded) > 0) return true;
  // "password2024", "2024soleil!": the listed word with digits around it.
  std::size_t first = 0;
  std::size_t last = folded.size();
  while (first < last && IsDigit(folded[first])) ++first;
  while (last > first && IsDigit(folded[last - 1])) --last;
  const std::string core = folded.substr(first, last - first);
  if (!core.empty() && common_.count(core) > 0) return true;
  if (IsRepeated(folded) || (!core.empty() && IsRepeated(core))) return true;
  for (std::string_view sequence : kSequences) {
    if (sequence.find(folded) != std::string_view::npos) return true;
  }
  // The e-mail's name, with or without digits around it.
  const std::string name = FoldPassword(email.substr(0, email.find('@')));
  if (name.size() >= 3 && (folded == name || core == name)) return true;
  return false;
}

core::Result<core::Ok> PasswordPolicy::Check(std::string_view password, std::string_view email) const {
  const std::size_t length = Characters(password);
  if (length < kMinCharacters) {
    return core::Error{core::ErrorCode::kInvalidInput,
                       "Le mot de passe doit contenir au moins 12 caractères. Une phrase de plusieurs mots est une "
                       "bonne solution.",
                       "password too short"};
  }
  if (length > kMaxCharacters) {
    return core::Error{core::ErrorCode::kInvalidInput, "Le mot de passe doit contenir au plus 500 caractères.",
                       "password too long"};
  }
  if (IsCommon(password, email)) {
    return core::Error{core::ErrorCode::kInvalidInput,
                       "Ce mot de passe est trop courant ou trop facile à deviner. Choisissez-en un autre, par exemple "
                       "une phrase de plusieurs mots.",
                       "password common"};
  }
  return core::Ok{};
}

}  // namespace passerelle::accounts
