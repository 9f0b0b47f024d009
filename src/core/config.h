#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"

namespace passerelle::core {

enum class DatabaseBackend { kSqlite, kPostgresql };

// `sqlite:PATH` or `postgresql://user:password@host:port/dbname`.
struct DatabaseUrl {
  DatabaseBackend backend;
  std::string sqlite_path;          // for kSqlite
  std::string postgresql_uri;       // for kPostgresql, as given
  std::string postgresql_conninfo;  // the same as libpq keywords (SOCI mangles URIs)
};

struct ListenAddress {
  std::string host;
  std::uint16_t port;
};

// A configuration value that is wrong. `setting` names the flag and the environment variable.
struct ConfigError {
  std::string setting;
  std::string reason;
  std::string OneLine() const { return "invalid configuration: " + setting + ": " + reason; }
};

class ConfigException : public std::runtime_error {
 public:
  explicit ConfigException(ConfigError error) : std::runtime_error(error.OneLine()), error_(std::move(error)) {}
  const ConfigError& error() const { return error_; }

 private:
  ConfigError error_;
};

// Parsers throw ConfigException; they never log the value of a secret (the database password).
DatabaseUrl ParseDatabaseUrl(std::string_view text);
ListenAddress ParseListenAddress(std::string_view text);
std::string ValidateExitUrl(std::string_view text);

// The database URL with its password replaced by "***", for logs.
std::string RedactDatabaseUrl(std::string_view text);

}  // namespace passerelle::core
