#pragma once

#include <soci/soci.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "storage/database.h"

// Organization public keys as the other domains use them (raw bytes; stored base64url). The
// secret keys never reach the server in clear: members hold them (src/accounts).
namespace passerelle::org_keys {

// The organization's public key (raw 32 bytes), or nothing when it has none.
std::optional<std::string> PublicKeyOf(storage::Database& db, const std::string& organization_id);
// Sets (or replaces) the organization's public key in its own transaction (demo keys).
void SetPublicKey(storage::Database& db, const std::string& organization_id, std::string_view public_key,
                  std::chrono::system_clock::time_point now);

// In the CALLER's transaction (docs/adr/0010): locks the organization's key row until that
// transaction ends and returns its public key (base64url), or nothing when it has none. Every
// path that seals to an organization (sending, her replies, professional messages, hand-over to
// it) and every path that wraps its secret takes the same lock.
std::optional<std::string> LockOrganizationKey(soci::session& sql, const std::string& organization_id);
// Replaces the organization's public key (raw 32 bytes); call LockOrganizationKey first.
void ReplaceOrganizationKey(soci::session& sql, const std::string& organization_id, std::string_view public_key,
                            const std::string& day);

}  // namespace passerelle::org_keys
