#pragma once

#include <chrono>

namespace passerelle::core {

// Whole seconds since 1970-01-01 UTC: how the database stores instants (BIGINT columns).
inline long long UnixSeconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace passerelle::core
