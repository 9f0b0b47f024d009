// The follow-up code she types at /suivi (referral::NormalizeCode: any case, accents, separators).
// Properties: a canonical code normalises to itself; its words are its prefix; a code made by
// CodeFromBytes from any 20+ bytes is canonical.
#include <string>

#include "fuzz_support.h"
#include "referral/followup_code.h"

using namespace passerelle;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view typed = fuzz::Text(data, size);
  if (const auto code = referral::NormalizeCode(typed)) {
    FUZZ_CHECK(referral::NormalizeCode(*code) == *code);
    const std::string words = referral::WordsOf(*code);
    FUZZ_CHECK(!words.empty() && code->rfind(words + "-", 0) == 0);
  }
  if (size >= 20) {
    const std::string made = referral::CodeFromBytes(typed);
    FUZZ_CHECK(referral::NormalizeCode(made) == made);
  }
  return 0;
}
