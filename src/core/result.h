#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "core/error.h"

namespace passerelle::core {

// Result of an operation that can fail in an expected way. Exceptions stay for infrastructure
// failures (see error.h).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : value_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(value_); }
  explicit operator bool() const { return ok(); }

  const T& value() const& {
    assert(ok());
    return std::get<T>(value_);
  }
  T& value() & {
    assert(ok());
    return std::get<T>(value_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(value_));
  }
  const Error& error() const {
    assert(!ok());
    return std::get<Error>(value_);
  }

 private:
  std::variant<T, Error> value_;
};

struct Ok {};

}  // namespace passerelle::core
