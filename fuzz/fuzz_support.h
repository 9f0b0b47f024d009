#pragma once
// Shared by the libFuzzer targets of fuzz/ (test code, never linked into the server).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

namespace passerelle::fuzz {

// The repository (content/, migrations/): PASSERELLE_ASSETS_DIR, else the source folder the
// target was built from.
inline std::filesystem::path AssetsDir() {
  const char* assets = std::getenv("PASSERELLE_ASSETS_DIR");
  return std::filesystem::path(assets != nullptr && *assets != '\0' ? assets : PASSERELLE_SOURCE_DIR);
}

inline std::string_view Text(const std::uint8_t* data, std::size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

}  // namespace passerelle::fuzz

// Abort with the message on stderr when `condition` does not hold (asserts are not for this:
// the property must hold in every build).
#define FUZZ_CHECK(condition)                                                                  \
  do {                                                                                         \
    if (!(condition)) {                                                                        \
      std::fprintf(stderr, "FUZZ_CHECK failed: %s (%s:%d)\n", #condition, __FILE__, __LINE__); \
      std::abort();                                                                            \
    }                                                                                          \
  } while (false)
