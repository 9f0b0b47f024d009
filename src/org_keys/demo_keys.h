#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "org_keys/sealing.h"
#include "storage/database.h"

namespace passerelle::org_keys {

// FOR DEMONSTRATION ONLY (docs/referral.md): gives each organization of `organization_ids` a key
// pair: the public key in the database, the secret key in `<dir>/<organization id>.key`
// (base64url, mode 0600). An organization that already has both keeps them. The professional
// space will manage real keys (the secret wrapped for each member, never in a plain file).
// Returns how many pairs were created.
std::size_t ProvisionDemoKeys(storage::Database& db, const std::vector<std::string>& organization_ids,
                              const std::filesystem::path& dir, std::chrono::system_clock::time_point now);

// Reads a secret key written by ProvisionDemoKeys; throws InfrastructureError when unreadable.
KeyPair ReadDemoKey(const std::filesystem::path& file);

// Deletes the demo secret key of `organization_id` from `dir` once a member has adopted it (its
// secret now lives wrapped for her and under the recovery code): a copy of the data folder must
// not hold it (issue 15). Nothing when absent; throws InfrastructureError when it cannot.
void RemoveDemoKey(const std::filesystem::path& dir, const std::string& organization_id);

}  // namespace passerelle::org_keys
