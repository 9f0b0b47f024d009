#include "storage/migrations.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "core/error.h"

namespace passerelle::storage {

namespace {

constexpr long long kPostgresMigrationLock = 7426010;

constexpr const char* kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at BIGINT NOT NULL)";

std::vector<std::string> SplitStatements(const std::string& text) {
  std::vector<std::string> statements;
  std::string current;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const auto comment = line.find("--");
    std::string code = comment == std::string::npos ? line : line.substr(0, comment);
    while (!code.empty() && std::isspace(static_cast<unsigned char>(code.back()))) code.pop_back();
    if (code.empty()) continue;
    if (code.back() == ';') {
      code.pop_back();
      current += code;
      statements.push_back(current);
      current.clear();
    } else {
      current += code + "\n";
    }
  }
  if (current.find_first_not_of(" \t\n") != std::string::npos) statements.push_back(current);
  return statements;
}

}  // namespace

std::vector<Migration> LoadMigrations(const std::filesystem::path& dir) {
  static const std::regex kName(R"(^(\d{4})_([a-z0-9_]+)\.sql$)");
  std::map<int, Migration> by_version;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string file = entry.path().filename().string();
    std::smatch match;
    if (!std::regex_match(file, match, kName)) {
      throw core::InfrastructureError("migration file " + entry.path().string() +
                                      ": name must be NNNN_lowercase_name.sql");
    }
    const int version = std::stoi(match[1]);
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    Migration migration{version, match[2], SplitStatements(text.str())};
    if (!by_version.emplace(version, std::move(migration)).second) {
      throw core::InfrastructureError("migration file " + entry.path().string() + ": duplicate version " +
                                      match[1].str());
    }
  }
  if (ec) {
    throw core::InfrastructureError("cannot read migrations directory " + dir.string() + ": " + ec.message());
  }
  std::vector<Migration> out;
  for (auto& [version, migration] : by_version) out.push_back(std::move(migration));
  return out;
}

std::vector<int> AppliedMigrations(Database& db) {
  soci::session sql(db.pool());
  sql << kCreateMigrationsTable;
  std::vector<int> versions;
  soci::rowset<int> rows = (sql.prepare << "SELECT version FROM schema_migrations ORDER BY version");
  for (int v : rows) versions.push_back(v);
  return versions;
}

std::vector<int> ApplyMigrations(Database& db, const std::vector<Migration>& migrations) {
  {
    soci::session sql(db.pool());
    sql << kCreateMigrationsTable;
  }
  std::vector<int> applied;
  for (const Migration& migration : migrations) {
    const bool did_apply = db.InTransaction([&](soci::session& sql) {
      if (db.backend() == core::DatabaseBackend::kPostgresql) {
        sql << "SELECT pg_advisory_xact_lock(:k)", soci::use(kPostgresMigrationLock);
      }
      int count = 0;
      sql << "SELECT COUNT(*) FROM schema_migrations WHERE version = :v", soci::use(migration.version),
          soci::into(count);
      if (count > 0) return false;
      for (const std::string& statement : migration.statements) sql << statement;
      const long long now = static_cast<long long>(std::time(nullptr));
      sql << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :t)",
          soci::use(migration.version), soci::use(migration.name), soci::use(now);
      return true;
    });
    if (did_apply) applied.push_back(migration.version);
  }
  return applied;
}

}  // namespace passerelle::storage
