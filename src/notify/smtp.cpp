#include "notify/smtp.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>
#include <optional>

#include "core/config.h"
#include "core/error.h"

namespace passerelle::notify {

namespace {

constexpr const char* kUrlSetting = "--smtp-url (PASSERELLE_SMTP_URL)";
constexpr const char* kFromSetting = "--smtp-from (PASSERELLE_SMTP_FROM)";
constexpr const char* kPublicUrlSetting = "--public-url (PASSERELLE_PUBLIC_URL)";

[[noreturn]] void Fail(const char* setting, std::string reason) {
  throw core::ConfigException(core::ConfigError{setting, std::move(reason)});
}

std::optional<std::string> PercentDecode(std::string_view text) {
  const auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int hi = hex(text[i + 1]);
    const int lo = hex(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

bool ValidPort(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  const int value = std::stoi(std::string(port));
  return value >= 1 && value <= 65535;
}

// Splits "host[:port]" (host may be "[v6]"); false when malformed.
bool SplitHostPort(std::string_view authority, std::string& host, std::string& port) {
  if (authority.empty()) return false;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return false;
    host = std::string(authority.substr(0, close + 1));
    const std::string_view rest = authority.substr(close + 1);
    if (rest.empty()) return true;
    if (rest.front() != ':') return false;
    port = std::string(rest.substr(1));
    return ValidPort(port);
  }
  const auto colon = authority.rfind(':');
  host = std::string(authority.substr(0, colon));
  if (colon != std::string_view::npos) {
    port = std::string(authority.substr(colon + 1));
    if (!ValidPort(port)) return false;
  }
  if (host.empty()) return false;
  return std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
  });
}

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw core::InfrastructureError("libcurl initialisation failed");
    }
  });
}

struct Upload {
  const std::string& data;
  std::size_t offset = 0;
};

std::size_t ReadUpload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t room = size * count;
  const std::size_t left = upload->data.size() - upload->offset;
  const std::size_t n = std::min(room, left);
  std::memcpy(buffer, upload->data.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

// Discards what the server says (it may quote the address; nothing of it reaches the logs).
std::size_t Discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

SendResult Classify(CURLcode code, long response) {
  SendResult r;
  r.outcome = SendOutcome::kTemporary;
  r.server_unusable = true;
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
      r.error_class = "connect";
      return r;
    case CURLE_OPERATION_TIMEDOUT:
      // A timeout after the message was handed over (354 then silence) may hide a delivery.
      if (response == 354) break;
      r.error_class = "timeout";
      return r;
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
      r.error_class = "tls";
      return r;
    case CURLE_LOGIN_DENIED:
    case CURLE_AUTH_ERROR:
      r.error_class = "auth";
      return r;
    default:
      break;
  }
  if (response == 354) {
    // The server had said "go ahead" to the message and no final answer came back: it may have
    // been delivered. Never retried (docs/notifications.md).
    r.outcome = SendOutcome::kUnknown;
    r.error_class = "interrupted";
    r.server_unusable = true;
    return r;
  }
  if (response >= 500 && response < 600) {
    r.outcome = SendOutcome::kPermanent;
    r.error_class = "permanent";
    r.server_unusable = false;
    return r;
  }
  if (response >= 400 && response < 500) {
    r.error_class = "temporary";
    return r;
  }
  r.error_class = "other";
  return r;
}

}  // namespace

bool IsPlainAddress(std::string_view address) {
  if (address.empty() || address.size() > 254) return false;
  const auto at = address.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size()) return false;
  if (address.find('@', at + 1) != std::string_view::npos) return false;
  return std::none_of(address.begin(), address.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7F || c == '<' || c == '>' || c == ',' || c == '"' || c == '(' || c == ')' || c == ';' ||
           c == '\\' || c == '[' || c == ']';
  });
}

SmtpSettings ParseSmtpSettings(std::string_view url, std::string_view from) {
  SmtpSettings s;
  std::string_view rest;
  std::string scheme;
  if (url.rfind("smtp://", 0) == 0) {
    scheme = "smtp";
    rest = url.substr(7);
  } else if (url.rfind("smtps://", 0) == 0) {
    scheme = "smtps";
    rest = url.substr(8);
    s.tls = Tls::kImplicit;
  } else {
    Fail(kUrlSetting, "must start with smtp:// or smtps://");
  }
  std::string_view query;
  if (const auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string_view path;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    path = rest.substr(slash);
    rest = rest.substr(0, slash);
  }
  if (!path.empty() && path != "/") Fail(kUrlSetting, "must not have a path (smtp://host:port)");
  std::string_view authority = rest;
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const auto colon = userinfo.find(':');
    const auto user = PercentDecode(userinfo.substr(0, colon));
    const auto password =
        colon == std::string_view::npos ? std::optional<std::string>("") : PercentDecode(userinfo.substr(colon + 1));
    if (!user || !password || user->empty()) {
      Fail(kUrlSetting, "the user and password must be percent-encoded (user:password@host)");
    }
    s.username = *user;
    s.password = *password;
  }
  std::string host;
  std::string port;
  if (!SplitHostPort(authority, host, port)) Fail(kUrlSetting, "needs a host and an optional port (1-65535)");
  if (!query.empty()) {
    if (query != "tls=required") Fail(kUrlSetting, "the only option is ?tls=required");
    if (s.tls == Tls::kNone) s.tls = Tls::kStartTls;
  }
  s.curl_url = scheme + "://" + host + (port.empty() ? "" : ":" + port);
  if (from.empty()) {
    Fail(kFromSetting, "is required when e-mail is configured (an address such as passerelle@example.org)");
  }
  if (!IsPlainAddress(from)) Fail(kFromSetting, "must be a plain e-mail address such as passerelle@example.org");
  s.from = std::string(from);
  return s;
}

std::string RedactSmtpUrl(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  const auto authority_start = scheme_end + 3;
  const auto authority_end = url.find_first_of("/?", authority_start);
  const std::string_view authority = url.substr(authority_start, authority_end - authority_start);
  const auto at = authority.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  const std::string_view userinfo = authority.substr(0, at);
  const auto colon = userinfo.find(':');
  if (colon == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, authority_start)) + std::string(userinfo.substr(0, colon)) + ":***" +
         std::string(url.substr(authority_start + at));
}

std::string ParsePublicUrl(std::string_view url) {
  std::string_view rest;
  if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else if (url.rfind("https://", 0) == 0) {
    rest = url.substr(8);
  } else {
    Fail(kPublicUrlSetting, "must start with http:// or https://");
  }
  if (url.find_first_of("?#@ \t\r\n") != std::string_view::npos) {
    Fail(kPublicUrlSetting, "must be a plain base URL such as https://passerelle.example.org");
  }
  const auto slash = rest.find('/');
  std::string host;
  std::string port;
  if (!SplitHostPort(rest.substr(0, slash), host, port)) {
    Fail(kPublicUrlSetting, "needs a host and an optional port");
  }
  std::string out(url);
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out;
}

SendResult SendMail(const SmtpSettings& settings, const std::string& to, const std::string& message) {
  InitCurlOnce();
  CURL* curl = curl_easy_init();
  if (curl == nullptr) throw core::InfrastructureError("libcurl: cannot create a handle");
  curl_slist* recipients = nullptr;
  const std::string mail_from = "<" + settings.from + ">";
  const std::string rcpt = "<" + to + ">";
  recipients = curl_slist_append(recipients, rcpt.c_str());
  Upload upload{message};

  curl_easy_setopt(curl, CURLOPT_URL, settings.curl_url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(settings.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(settings.total_timeout.count()));
  if (!settings.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, settings.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, settings.password.c_str());
  }
  switch (settings.tls) {
    case Tls::kNone:
      curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_NONE));
      break;
    case Tls::kStartTls:
    case Tls::kImplicit:
      curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
      curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
      curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
      break;
  }
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);

  const CURLcode code = curl_easy_perform(curl);
  long response = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response);
  curl_slist_free_all(recipients);
  curl_easy_cleanup(curl);
  if (code == CURLE_OK) return SendResult{};
  return Classify(code, response);
}

}  // namespace passerelle::notify
