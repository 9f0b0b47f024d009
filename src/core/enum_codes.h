#pragma once
// The stable codes of an enum, declared once (issue 13 §2): one table gives both directions,
// value → code (stored, exchanged) and code → value (read back, parsed), in place of a
// hand-written switch and a parsing loop that had to be kept in step.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <type_traits>

namespace passerelle::core {

template <typename Enum>
struct EnumCode {
  Enum value;
  std::string_view code;
};

template <typename Enum, std::size_t N>
class EnumCodes {
  static_assert(std::is_enum_v<Enum>);

 public:
  constexpr explicit EnumCodes(const EnumCode<Enum> (&pairs)[N]) {
    for (std::size_t i = 0; i < N; ++i) pairs_[i] = pairs[i];
  }

  // The code of `value`; empty for a value the table lacks (only a cast can make one).
  constexpr std::string_view ToCode(Enum value) const {
    for (const EnumCode<Enum>& pair : pairs_) {
      if (pair.value == value) return pair.code;
    }
    return {};
  }

  // The value whose code is exactly `code`, if any.
  constexpr std::optional<Enum> FromCode(std::string_view code) const {
    for (const EnumCode<Enum>& pair : pairs_) {
      if (pair.code == code) return pair.value;
    }
    return std::nullopt;
  }

  // Every value, in the table's order.
  constexpr std::array<Enum, N> Values() const {
    std::array<Enum, N> values{};
    for (std::size_t i = 0; i < N; ++i) values[i] = pairs_[i].value;
    return values;
  }

  // For a static_assert next to the table: the enumerators 0 … N-1 each appear once, with a
  // non-empty code that no other value shares. (An enumerator added after the last one is not
  // seen: keep new values in the table.)
  constexpr bool IsComplete() const {
    for (std::size_t i = 0; i < N; ++i) {
      if (pairs_[i].code.empty()) return false;
      bool found = false;
      for (const EnumCode<Enum>& pair : pairs_) {
        if (static_cast<std::size_t>(pair.value) == i) found = true;
      }
      if (!found) return false;
      for (std::size_t j = i + 1; j < N; ++j) {
        if (pairs_[i].value == pairs_[j].value || pairs_[i].code == pairs_[j].code) return false;
      }
    }
    return true;
  }

 private:
  std::array<EnumCode<Enum>, N> pairs_{};
};

// core::MakeEnumCodes<Fee>({{Fee::kFree, "free"}, {Fee::kPaid, "paid"}}): the size is deduced.
template <typename Enum, std::size_t N>
constexpr EnumCodes<Enum, N> MakeEnumCodes(const EnumCode<Enum> (&pairs)[N]) {
  return EnumCodes<Enum, N>(pairs);
}

}  // namespace passerelle::core
