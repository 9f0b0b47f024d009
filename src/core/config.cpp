#include "core/config.h"

#include <charconv>

namespace passerelle::core {

namespace {

constexpr std::string_view kDbSetting = "--db (PASSERELLE_DB)";
constexpr std::string_view kListenSetting = "--listen (PASSERELLE_LISTEN)";
constexpr std::string_view kExitSetting = "--exit-url (PASSERELLE_EXIT_URL)";

[[noreturn]] void Fail(std::string_view setting, std::string reason) {
  throw ConfigException(ConfigError{std::string(setting), std::move(reason)});
}

bool StartsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

std::string PercentDecodeUrlPart(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// libpq keyword value, single-quoted with \ and \' escaped.
std::string Keyword(std::string_view key, std::string_view value) {
  std::string out(key);
  out += "='";
  for (char c : value) {
    if (c == '\\' || c == '\'') out.push_back('\\');
    out.push_back(c);
  }
  out += "' ";
  return out;
}

// "user:password@host:port/dbname?key=value&..." (the part after "://") as libpq keywords.
std::string ToConninfo(std::string_view rest) {
  std::string conninfo;
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = rest.substr(slash + 1);
  std::string_view params;
  if (const auto q = path.find('?'); q != std::string_view::npos) {
    params = path.substr(q + 1);
    path = path.substr(0, q);
  }
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const auto colon = userinfo.find(':');
    conninfo += Keyword("user", PercentDecodeUrlPart(userinfo.substr(0, colon)));
    if (colon != std::string_view::npos) {
      conninfo += Keyword("password", PercentDecodeUrlPart(userinfo.substr(colon + 1)));
    }
  }
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    host = authority.substr(1, close == std::string_view::npos ? authority.size() - 1 : close - 1);
    if (close != std::string_view::npos && close + 1 < authority.size() && authority[close + 1] == ':') {
      port = authority.substr(close + 2);
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (!host.empty()) conninfo += Keyword("host", PercentDecodeUrlPart(host));
  if (!port.empty()) conninfo += Keyword("port", port);
  conninfo += Keyword("dbname", PercentDecodeUrlPart(path));
  while (!params.empty()) {
    const auto amp = params.find('&');
    const std::string_view pair = params.substr(0, amp);
    if (const auto eq = pair.find('='); eq != std::string_view::npos) {
      conninfo += Keyword(pair.substr(0, eq), PercentDecodeUrlPart(pair.substr(eq + 1)));
    }
    params = amp == std::string_view::npos ? std::string_view() : params.substr(amp + 1);
  }
  conninfo.pop_back();
  return conninfo;
}

}  // namespace

DatabaseUrl ParseDatabaseUrl(std::string_view text) {
  if (text.empty()) Fail(kDbSetting, "is empty; expected sqlite:PATH or postgresql://...");
  if (StartsWith(text, "sqlite:")) {
    std::string path(text.substr(7));
    if (path.empty()) Fail(kDbSetting, "sqlite: needs a file path, e.g. sqlite:data/passerelle.db");
    return DatabaseUrl{DatabaseBackend::kSqlite, path, {}, {}};
  }
  if (StartsWith(text, "postgresql://") || StartsWith(text, "postgres://")) {
    const auto rest = text.substr(text.find("://") + 3);
    const auto slash = rest.find('/');
    if (rest.empty() || slash == 0) Fail(kDbSetting, "postgresql URL has no host");
    if (slash == std::string_view::npos || slash + 1 >= rest.size()) {
      Fail(kDbSetting, "postgresql URL has no database name (postgresql://user:pw@host:port/db)");
    }
    return DatabaseUrl{DatabaseBackend::kPostgresql, {}, std::string(text), ToConninfo(rest)};
  }
  const auto colon = text.find(':');
  Fail(kDbSetting, "unsupported scheme \"" + std::string(text.substr(0, colon == std::string_view::npos ? 0 : colon)) +
                       "\"; expected sqlite:PATH or postgresql://user:password@host:port/dbname");
}

ListenAddress ParseListenAddress(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    Fail(kListenSetting, "expected HOST:PORT, e.g. 127.0.0.1:8080");
  }
  std::string host(text.substr(0, colon));
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const auto port_text = text.substr(colon + 1);
  unsigned port = 0;
  const auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || ptr != port_text.data() + port_text.size() || port == 0 || port > 65535) {
    Fail(kListenSetting, "port must be a number from 1 to 65535");
  }
  return ListenAddress{host, static_cast<std::uint16_t>(port)};
}

std::string ValidateExitUrl(std::string_view text) {
  if (!StartsWith(text, "https://") && !StartsWith(text, "http://")) {
    Fail(kExitSetting, "must be an http:// or https:// URL");
  }
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == '"' || c == '<' || c == '>') {
      Fail(kExitSetting, "contains a space, quote or control character");
    }
  }
  return std::string(text);
}

std::string RedactDatabaseUrl(std::string_view text) {
  const auto scheme_end = text.find("://");
  const auto at = text.find('@');
  if (scheme_end == std::string_view::npos || at == std::string_view::npos) return std::string(text);
  const auto colon = text.find(':', scheme_end + 3);
  if (colon == std::string_view::npos || colon > at) return std::string(text);
  return std::string(text.substr(0, colon + 1)) + "***" + std::string(text.substr(at));
}

}  // namespace passerelle::core
