#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace passerelle::core {

// Expected failures a caller can act on. The HTTP layer maps each code to one status.
enum class ErrorCode {
  kInvalidInput,  // 400
  kForbidden,     // 403
  kNotFound,      // 404
  kConflict,      // 409
  kTooLarge,      // 413
  kRateLimited,   // 429
  kUnavailable,   // 503
};

// What the client may see (public_message, in French) is kept apart from what the logs get
// (internal_detail, never personal data).
struct Error {
  ErrorCode code;
  std::string public_message;
  std::string internal_detail;
};

// Infrastructure failure (database, I/O, crypto): thrown, caught once at the top of a request
// handler or per item in a job.
class InfrastructureError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace passerelle::core
