#pragma once

#include <functional>
#include <memory>
#include <string>

#include "storage/database.h"

namespace passerelle::accounts {

// `passerelle user add` (docs/accounts.md).
struct UserAddOptions {
  std::string email;
  std::string role;                // member | coordinator | operator
  std::string organization;        // --org, members
  std::string territory;           // --territory, coordinators
  std::string expires_in = "72h";  // the invitation link's lifetime: N, Ns, Nm, Nh or Nd
  std::string public_url;          // base of the printed link
  std::string data_dir;            // holds demo-keys/ (demo organizations)
};

// `passerelle user add`: prints the one-time invitation link (and the organization's recovery
// code when its keys are created or adopted now). 1 with the reason on stderr, 2 for a bad
// --expires-in (checked before `open_database` gives the migrated database).
int RunUserAdd(const UserAddOptions& options, const std::function<std::unique_ptr<storage::Database>()>& open_database);
// `passerelle org keys ORG_ID`: creates the organization's keys (or adopts its demo key from
// `data_dir`/demo-keys/) and prints the recovery code, once.
int RunOrgKeys(const std::string& organization_id, const std::string& data_dir,
               const std::function<std::unique_ptr<storage::Database>()>& open_database);

}  // namespace passerelle::accounts
