#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/crypto.h"
#include "org_keys/sealing.h"
#include "storage/database.h"

// Sessions of the professional space (issue 4 §1-2, docs/accounts.md, docs/adr/0007). Nothing
// here knows HTTP: the cookie is read and written by accounts/policy.h.
namespace passerelle::accounts {

enum class Role { kMember, kCoordinator, kOperator };

// Stored codes: "member", "coordinator", "operator".
std::string_view RoleCode(Role role);
std::optional<Role> ParseRole(std::string_view code);

using Clock = std::function<std::chrono::system_clock::time_point()>;

// Who is signed in, for one request. Built by SessionStore::Resume from the session row and the
// account's current rows (a membership removed or an account disabled takes effect at once).
struct Principal {
  std::string account_id;
  std::string email;
  Role role = Role::kMember;
  std::vector<std::string> organization_ids;  // members: every membership, with or without key access
  std::string territory_slug;                 // coordinators: their territory; "" otherwise
  std::string session_id;                     // the session's stored id (hash of the cookie token)
  std::string csrf_token;                     // put it in the `_csrf` field of every /pro form
  // Derived from the cookie token and the server key; opens the organization keys of this
  // session (docs/adr/0007). Never log it.
  std::string key_box_key;

  bool IsMemberOf(std::string_view organization_id) const;
};

struct SessionTimeouts {
  std::chrono::seconds idle{30 * 60};
  std::chrono::seconds absolute{12 * 3600};
};

// Server-side sessions: only the hash of the cookie token is stored. Organization keys of a
// member's session are stored in its row, encrypted (XChaCha20-Poly1305) with a key derived from
// the server key AND the cookie token: neither a stolen database nor the server key alone opens
// them (docs/adr/0007).
class SessionStore {
 public:
  SessionStore(storage::Database& db, const core::ServerKey& server_key, Clock clock, SessionTimeouts timeouts = {});

  // A new session in the caller's transaction; returns the cookie token (shown once, never stored).
  // `organization_keys` are kept only for a member (coordinators and operators never hold one).
  std::string Create(soci::session& sql, const std::string& account_id, Role role,
                     const std::map<std::string, org_keys::KeyPair>& organization_keys);

  // The principal of a cookie token, or nothing (unknown, idle for too long, too old, account not
  // active). Refreshes the idle timer.
  std::optional<Principal> Resume(std::string_view token);

  // THE way to get an organization's secret key: nullopt for coordinators and operators (always:
  // their sessions never hold one), for an organization the member does not belong to, and for a
  // member without key access to it (no grant yet, or password reset without a grant).
  std::optional<org_keys::KeyPair> OrganizationKey(const Principal& principal, std::string_view organization_id);

  // Whether the cookie token names a session that is neither idle for too long nor too old:
  // one read, no write, nothing about the account. For the edge (docs/security.md F7), where a
  // larger body limit is granted to a signed-in session only; Resume still decides the request.
  bool IsLive(std::string_view token) const;

  // Adds (or replaces) one organization key in a member's session (after a recovery).
  void AddOrganizationKey(const Principal& principal, const std::string& organization_id,
                          const org_keys::KeyPair& keys);
  // The same in the caller's transaction (key rotation: the applying member's session gets the
  // new key with everything else, or not at all).
  void AddOrganizationKey(soci::session& sql, const Principal& principal, const std::string& organization_id,
                          const org_keys::KeyPair& keys);

  // Ends one session (logout). Returns whether it existed.
  bool Kill(soci::session& sql, const std::string& session_id);
  // Ends every session of an account (disabling, password change, TOTP reset). Returns how many.
  std::size_t KillAllOf(soci::session& sql, const std::string& account_id);

  // The CSRF scope of the forms of the session of `token` (see http::PipelineOptions::csrf_scope).
  static std::string CsrfScopeOf(std::string_view token);
  // The stored session id of a cookie token.
  static std::string IdOf(std::string_view token);

  const SessionTimeouts& timeouts() const { return timeouts_; }

 private:
  std::string BoxKey(std::string_view token) const;

  storage::Database& db_;
  std::string box_key_;  // server sub-key "sesskeys"
  Clock clock_;
  SessionTimeouts timeouts_;
};

}  // namespace passerelle::accounts
