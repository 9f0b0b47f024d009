#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "notify/outbox.h"

// The wording of the notifications and the e-mail built from it. Every message is
// content-free: a fixed sentence per kind and a link to the professional space, nothing about a
// person, a need or an organization (docs/notifications.md).
namespace passerelle::notify {

// Stable codes stored in outbox.kind: "new_referral", "new_message", "handover", "reminder",
// "escalation", "address_change", "freshness".
std::string KindCode(Kind kind);
std::optional<Kind> KindFromCode(std::string_view code);

struct Wording {
  std::string subject;  // UTF-8
  std::string body;     // UTF-8, '\n' line ends, ending with the link
};

// `public_url`: base URL of the site without trailing slash; the link is `<public_url>/pro`, or
// `<public_url><link_path>` when the outbox row has a link path (a freshness question).
Wording WordingFor(Kind kind, const std::string& public_url, const std::string& link_path = "/pro");

// The whole RFC 5322 message (CRLF line ends; UTF-8 subject encoded as RFC 2047, body in
// quoted-printable). `message_id_left` is the unique left part of the Message-ID.
std::string BuildMessage(const std::string& from, const std::string& to, Kind kind, const std::string& public_url,
                         std::chrono::system_clock::time_point now, const std::string& message_id_left,
                         const std::string& link_path = "/pro");

// Quoted-printable (RFC 2045) of UTF-8 text with '\n' line ends; lines end with CRLF.
std::string QuotedPrintable(std::string_view text);

}  // namespace passerelle::notify
