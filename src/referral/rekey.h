#pragma once

#include <soci/soci.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "org_keys/sealing.h"

// What a rotation of an organization's key needs from the referrals (docs/adr/0010): it works in
// the CALLER's transaction (the key rotation use case applies the rotation, with the key wraps,
// in one transaction). No HTTP, no accounts. The key row's lock and its replacement are
// org_keys::LockOrganizationKey and org_keys::ReplaceOrganizationKey.
namespace passerelle::referral {

struct ResealCount {
  std::size_t referrals = 0;  // referrals of the organization with something sealed to it
  std::size_t items = 0;      // reports, summaries, her messages, professional copies
};

// Opens everything sealed to the organization with `old_keys` — in every referral of the
// organization, whatever its status: report, inbox summary, her messages (body), the
// professionals' copies — and seals it to `new_public_key` (raw). What is sealed to her key
// is left as it is. kConflict naming the referral (never its content) when one item does not
// open with `old_keys`: the caller must then roll its transaction back, nothing is half done.
// Call it after org_keys::LockOrganizationKey (what is sent meanwhile waits for the lock).
core::Result<ResealCount> ResealOrganization(soci::session& sql, const std::string& organization_id,
                                             const org_keys::KeyPair& old_keys, std::string_view new_public_key);

}  // namespace passerelle::referral
