#pragma once

#include <soci/soci.h>

#include <cstddef>
#include <optional>
#include <string>

// What applying an approved key rotation needs from the profile's requests
// (docs/adr/0010). src/accounts re-keys the organization; these read and mark
// the approval in the CALLER's session and transaction, so that the new key
// and `applied_at` commit together.
namespace passerelle::profile {

// The id of the most recently approved key rotation of the organization that
// is not applied yet, or nothing.
std::optional<std::string> ApprovedKeyRotation(soci::session& sql, const std::string& organization_id);

// Marks every approved, unapplied key rotation of the organization applied at
// `applied_at` (one rotation answers them all); returns how many.
std::size_t MarkKeyRotationApplied(soci::session& sql, const std::string& organization_id, long long applied_at);

}  // namespace passerelle::profile
