#pragma once

#include <chrono>
#include <string>
#include <string_view>

// SMTP delivery with libcurl (docs/notifications.md). Nothing here logs an address or a server
// answer: a failure is reported as an error class.
namespace passerelle::notify {

enum class Tls {
  kNone,      // smtp://host:port: plain SMTP (a relay on the same machine or network)
  kStartTls,  // smtp://host:port?tls=required: STARTTLS mandatory, certificate verified
  kImplicit,  // smtps://host:port: TLS from the first byte, certificate verified
};

struct SmtpSettings {
  std::string curl_url;  // scheme, host and port only (credentials are kept apart)
  std::string username;  // "" = no authentication
  std::string password;
  Tls tls = Tls::kNone;
  std::string from;  // bare address (PASSERELLE_SMTP_FROM)
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds total_timeout{60};
};

// `url`: smtp://[user[:password]@]host[:port][/][?tls=required] or smtps://…; `from`: an e-mail
// address. Throws core::ConfigException naming PASSERELLE_SMTP_URL or PASSERELLE_SMTP_FROM (the
// message never quotes the password).
SmtpSettings ParseSmtpSettings(std::string_view url, std::string_view from);

// The URL without its password, for logs.
std::string RedactSmtpUrl(std::string_view url);

// The public base URL of the site (PASSERELLE_PUBLIC_URL): http(s)://host[:port][/path], without
// query, fragment or trailing slash. Throws core::ConfigException.
std::string ParsePublicUrl(std::string_view url);

// True for a plain address that is safe in a header and an SMTP command: one '@', no spaces,
// control characters, angle brackets, commas or quotes.
bool IsPlainAddress(std::string_view address);

enum class SendOutcome {
  kSent,
  kTemporary,  // not delivered; worth another try later (4xx, connection, TLS, authentication)
  kPermanent,  // refused for good by the server (5xx on this message)
  kUnknown,    // the connection broke after the message was handed over: it may have been
               // delivered, so it is never retried (never sent twice)
};

struct SendResult {
  SendOutcome outcome = SendOutcome::kSent;
  std::string error_class;       // "" when sent; else connect, timeout, tls, auth, temporary,
                                 // permanent, interrupted, other
  bool server_unusable = false;  // the failure is about the server, not this message: stop the batch
};

// One SMTP conversation delivering `message` (RFC 5322 text with CRLF line ends) to `to`.
SendResult SendMail(const SmtpSettings& settings, const std::string& to, const std::string& message);

}  // namespace passerelle::notify
