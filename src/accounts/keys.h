#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "org_keys/sealing.h"

// Organization keys and their wraps (docs/accounts.md "Organization keys", docs/adr/0007).
namespace passerelle::accounts {

// The pair of a raw X25519 secret key (the public key is computed from it).
org_keys::KeyPair KeyPairFromSecret(std::string_view secret_key);

// Associated data binding each wrap to its row: a wrap cannot be moved to another account or
// organization.
std::string MembershipContext(std::string_view account_id, std::string_view organization_id);
std::string AccountSecretContext(std::string_view account_id);
std::string RecoveryContext(std::string_view organization_id);
std::string InvitationContext(std::string_view organization_id);
std::string TotpContext(std::string_view account_id);

// A recovery code: 25 random base32 characters (125 bits) in groups of five, and its canonical
// form (upper case, no spaces nor dashes) for derivation.
std::string NewRecoveryCode();
std::string CanonicalRecoveryCode(std::string_view typed);

}  // namespace passerelle::accounts
