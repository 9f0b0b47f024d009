#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "accounts/policy.h"
#include "accounts/service.h"
#include "accounts/session.h"
#include "core/crypto.h"
#include "http/csrf.h"
#include "http/router.h"
#include "http/templates.h"
#include "storage/database.h"

namespace passerelle::accounts {

// One refused field of a /pro form, for the error summary the form templates share.
struct FieldError {
  std::string field_id;
  std::string message;
};
// {"has_errors", "errors": [{"field_id", "message"}]}: what the error summary partials read.
nlohmann::json ErrorData(const std::vector<FieldError>& errors);

struct AccountsSettings {
  // The site's public address, e.g. "https://passerelle.example.org" (invitation links; an
  // https:// address turns on the Secure `__Host-` cookie).
  std::string public_url;
  std::string data_dir;  // for the demo organizations' keys (<data_dir>/demo-keys/)
  std::string common_passwords_file = "/usr/share/john/password.lst";  // Debian package john-data
  std::size_t max_concurrent_hashes = 2;                               // Argon2id at 64 MiB each
  // Whether a key rotation approved by a coordinator waits for the organization (its banner on
  // the organization's page). Given by the composition above accounts (src/pro_space), which
  // asks src/key_rotation: accounts does not know the profile's requests. Unset: never.
  std::function<bool(const std::string& organization_id)> key_rotation_approved;
};

class AccountsSpace;

// The professional space's accounts: login, invitation, logout, password, accounts of a
// territory, organization members and keys. Returns what other domains register their /pro
// pages on (`routes()`) and where they get an organization key (`sessions().OrganizationKey`).
// The returned object must outlive the router.
std::unique_ptr<AccountsSpace> RegisterAccounts(http::Router& router, const http::Renderer& renderer,
                                                const http::CsrfGuard& csrf, storage::Database& db,
                                                const core::ServerKey& server_key, AccountsSettings settings,
                                                Clock clock);

// The ownership resolvers of organizations and accounts (kOrganizationObject, kAccountObject),
// as RegisterAccounts installs them (exposed for tests).
void AddOwnerResolvers(ProRoutes& routes, storage::Database& db);

class AccountsSpace {
 public:
  virtual ~AccountsSpace() = default;
  virtual ProRoutes& routes() = 0;
  virtual SessionStore& sessions() = 0;
  // The account use cases (for the key rotation use case, which builds on them).
  virtual AccountService& service() = 0;
};

}  // namespace passerelle::accounts
