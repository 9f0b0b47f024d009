#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/result.h"

namespace passerelle::accounts {

// What a new password must be (docs/accounts.md): at least 12 characters, at most 500, and not
// common. No composition rule. "Common" is decided on a folded form (lower case, accents and
// every non-alphanumeric character removed): listed (Debian's john-data list plus a few French
// ones), listed once leading and trailing digits are removed, made of one block repeated
// ("azertyazerty"), a run of a keyboard row or of the alphabet or digits, or the e-mail's name.
class PasswordPolicy {
 public:
  static constexpr std::size_t kMinCharacters = 12;
  static constexpr std::size_t kMaxCharacters = 500;

  // The words of `files` (one per line, lines starting with "#!" skipped) and the built-in
  // French ones. Throws InfrastructureError naming a file that cannot be read.
  static PasswordPolicy Load(const std::vector<std::filesystem::path>& files);
  explicit PasswordPolicy(const std::vector<std::string>& words);

  // kInvalidInput with the French reason when refused.
  core::Result<core::Ok> Check(std::string_view password, std::string_view email) const;

  std::size_t size() const { return common_.size(); }

 private:
  bool IsCommon(std::string_view password, std::string_view email) const;
  std::unordered_set<std::string> common_;
};

// Lower case, without accents nor any character other than ASCII letters and digits.
std::string FoldPassword(std::string_view utf8);

}  // namespace passerelle::accounts
