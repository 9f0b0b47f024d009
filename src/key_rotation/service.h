#pragma once

#include <cstddef>
#include <string>

#include "accounts/service.h"
#include "accounts/session.h"
#include "core/result.h"
#include "storage/database.h"

// Applying an approved rotation of an organization's key (docs/adr/0010, docs/accounts.md "Key
// rotation"): the one use case that spans accounts (wraps, grants, sessions), referral (what is
// sealed to the organization), profile (the approved request) and org_keys (the public key and
// its lock). It sits above all four (docs/architecture.md "Layers"); none of them includes it.
namespace passerelle::key_rotation {

// Where an organization stands for a key rotation, for one member's session.
struct KeyRotationState {
  bool approved = false;  // a rotation approved by a coordinator waits to be applied
  bool has_key = false;   // this session holds the organization's key (needed to apply it)
};

// What applying a rotation did. The recovery code is shown once and stored nowhere in clear.
struct KeyRotated {
  std::string recovery_code;
  std::string request_id;
  std::size_t referrals = 0;       // referrals re-sealed
  std::size_t items = 0;           // reports, summaries, messages re-sealed
  std::size_t grants = 0;          // colleagues who receive the new key at their next sign-in
  std::size_t access_removed = 0;  // colleagues who had access and cannot receive a grant (disabled, no account key)
  std::size_t invitations = 0;     // open invitations that carried the old key (it is removed from them)
  std::size_t sessions_killed = 0;
};

class KeyRotationService {
 public:
  KeyRotationService(storage::Database& db, accounts::AccountService& accounts, accounts::SessionStore& sessions)
      : db_(db), accounts_(accounts), sessions_(sessions) {}

  KeyRotationState StateOf(const accounts::Principal& principal, const std::string& organization_id);
  // Whether a rotation approved by a coordinator waits for the organization.
  bool Approved(const std::string& organization_id);
  // Its name, or its id when unknown (the pages' title).
  std::string OrganizationName(const std::string& organization_id);

  // Applies it, in one transaction: a new pair; everything sealed to the organization opened
  // with the old key (from the session) and sealed to the new one; the new secret wrapped for
  // the applying member's password (checked, throttled, Argon2id within the hash bound), a
  // pending grant for every other member who had access, a new recovery code (the old one stops
  // working), the request marked applied, the other sessions holding the old key ended, audited
  // `organization.key_rotated`. kNotFound: not a member (coordinators, operators); kForbidden:
  // no key in this session; kConflict: no approved rotation, the key changed meanwhile, or an
  // item that does not open (nothing changed); kInvalidInput: wrong password.
  core::Result<KeyRotated> Rotate(const accounts::Principal& principal, const std::string& organization_id,
                                  const std::string& password);

 private:
  storage::Database& db_;
  accounts::AccountService& accounts_;
  accounts::SessionStore& sessions_;
};

}  // namespace passerelle::key_rotation
