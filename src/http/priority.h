#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace passerelle::http {

// Priorities under load (DESIGN §9, docs/load-shedding.md), highest first. Each route declares
// its class when it is registered (Router::Add); what no route names (static files, unknown
// paths) is kPublic.
enum class Priority : std::uint8_t {
  kHelp,    // the help flow, the referral, her follow-up, the quick exit, /healthz
  kInbox,   // the professional space once signed in
  kPublic,  // the other public pages and static files
  kSearch,  // the directory: /annuaire, its JSON API, the communes autocomplete
  kLogin,   // sign-in, invitations, password changes, recovery codes (Argon2id, itself bounded)
  kExport,  // exports (none over HTTP yet: the class exists so that one lands last)
};
inline constexpr std::size_t kPriorityCount = 6;

// How the server admits a request (Pipeline::AdmissionOf): its class, and whether its handler
// may run on the I/O thread when no request waits (ADR 0017).
struct Admission {
  Priority priority = Priority::kPublic;
  bool may_run_inline = false;
};

constexpr std::string_view PriorityName(Priority priority) {
  switch (priority) {
    case Priority::kHelp:
      return "help";
    case Priority::kInbox:
      return "inbox";
    case Priority::kPublic:
      return "public";
    case Priority::kSearch:
      return "search";
    case Priority::kLogin:
      return "login";
    case Priority::kExport:
      return "export";
  }
  return "public";
}

}  // namespace passerelle::http
