#include "core/config.h"

#include <gtest/gtest.h>

namespace passerelle::core {
namespace {

TEST(ParseDatabaseUrl, AcceptsSqlitePath) {
  const auto url = ParseDatabaseUrl("sqlite:data/passerelle.db");
  EXPECT_EQ(url.backend, DatabaseBackend::kSqlite);
  EXPECT_EQ(url.sqlite_path, "data/passerelle.db");
}

TEST(ParseDatabaseUrl, AcceptsPostgresqlUri) {
  const auto url = ParseDatabaseUrl("postgresql://p:secret@127.0.0.1:5432/passerelle");
  EXPECT_EQ(url.backend, DatabaseBackend::kPostgresql);
  EXPECT_EQ(url.postgresql_uri, "postgresql://p:secret@127.0.0.1:5432/passerelle");
  EXPECT_EQ(url.postgresql_conninfo, "user='p' password='secret' host='127.0.0.1' port='5432' dbname='passerelle'");
}

TEST(ParseDatabaseUrl, ConvertsEscapesQuotesAndParametersToConninfo) {
  const auto url = ParseDatabaseUrl("postgres://o%27brien:p%40ss@[::1]:5433/db?sslmode=require");
  EXPECT_EQ(url.postgresql_conninfo,
            "user='o\\'brien' password='p@ss' host='::1' port='5433' dbname='db' sslmode='require'");
  EXPECT_EQ(ParseDatabaseUrl("postgresql://localhost/db").postgresql_conninfo, "host='localhost' dbname='db'");
}

TEST(ParseDatabaseUrl, RejectsUnknownSchemeNamingTheSetting) {
  try {
    (void)ParseDatabaseUrl("mysql://x/y");
    FAIL() << "expected a ConfigException";
  } catch (const ConfigException& e) {
    EXPECT_EQ(e.error().setting, "--db (PASSERELLE_DB)");
    EXPECT_NE(e.error().reason.find("\"mysql\""), std::string::npos) << e.error().reason;
  }
}

TEST(ParseDatabaseUrl, RejectsEmptyPathsAndMissingDatabaseName) {
  EXPECT_THROW((void)ParseDatabaseUrl("sqlite:"), ConfigException);
  EXPECT_THROW((void)ParseDatabaseUrl(""), ConfigException);
  EXPECT_THROW((void)ParseDatabaseUrl("postgresql://u@host:5432"), ConfigException);
  EXPECT_THROW((void)ParseDatabaseUrl("postgresql://u@host:5432/"), ConfigException);
}

TEST(ParseListenAddress, ParsesHostAndPort) {
  const auto a = ParseListenAddress("127.0.0.1:8080");
  EXPECT_EQ(a.host, "127.0.0.1");
  EXPECT_EQ(a.port, 8080);
  const auto b = ParseListenAddress("[::1]:9000");
  EXPECT_EQ(b.host, "::1");
  EXPECT_EQ(b.port, 9000);
}

TEST(ParseListenAddress, RejectsBadPorts) {
  for (const char* bad : {"127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:80x", ":8080"}) {
    EXPECT_THROW((void)ParseListenAddress(bad), ConfigException) << bad;
  }
}

TEST(ValidateExitUrl, AcceptsHttpUrlsOnly) {
  EXPECT_EQ(ValidateExitUrl("https://meteofrance.com/"), "https://meteofrance.com/");
  EXPECT_THROW((void)ValidateExitUrl("javascript:alert(1)"), ConfigException);
  EXPECT_THROW((void)ValidateExitUrl("https://a b"), ConfigException);
  EXPECT_THROW((void)ValidateExitUrl("https://a\"onclick"), ConfigException);
}

TEST(RedactDatabaseUrl, HidesThePassword) {
  EXPECT_EQ(RedactDatabaseUrl("postgresql://user:secret@h:5432/db"), "postgresql://user:***@h:5432/db");
  EXPECT_EQ(RedactDatabaseUrl("sqlite:x.db"), "sqlite:x.db");
  EXPECT_EQ(RedactDatabaseUrl("postgresql://user@h/db"), "postgresql://user@h/db");
}

}  // namespace
}  // namespace passerelle::core
