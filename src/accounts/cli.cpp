#include "accounts/cli.h"

#include <cctype>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <optional>
#include <vector>

#include "accounts/service.h"
#include "core/crypto.h"

namespace passerelle::accounts {

namespace {

namespace fs = std::filesystem;

// "72h", "30m", "3600s", "2d" or a number of seconds.
std::optional<std::chrono::seconds> ParseLifetime(const std::string& text) {
  if (text.empty()) return std::nullopt;
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0 || digits > 9 || text.size() - digits > 1) return std::nullopt;
  const long long value = std::stoll(text.substr(0, digits));
  const char unit = digits < text.size() ? text[digits] : 's';
  switch (unit) {
    case 's':
      return std::chrono::seconds(value);
    case 'm':
      return std::chrono::seconds(value * 60);
    case 'h':
      return std::chrono::seconds(value * 3600);
    case 'd':
      return std::chrono::seconds(value * 86400);
    default:
      return std::nullopt;
  }
}

std::string TrimmedUrl(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// The command line needs no server key: a throw-away one keeps it from creating server.key.
struct CliAccounts {
  explicit CliAccounts(const std::string& data_dir, storage::Database& db)
      : server_key(core::ServerKey::FromBytes(core::RandomBytes(32))),
        sessions(db, server_key, [] { return std::chrono::system_clock::now(); }),
        service(
            db, server_key, policy, hashes, sessions, [] { return std::chrono::system_clock::now(); },
            accounts::AccountsConfig{fs::path(data_dir) / "demo-keys", std::chrono::milliseconds(60000)}) {}
  core::ServerKey server_key;
  accounts::PasswordPolicy policy{std::vector<std::string>{}};
  accounts::HashLimiter hashes{1};
  accounts::SessionStore sessions;
  accounts::AccountService service;
};

void PrintRecoveryCode(const std::string& organization_id, const std::string& code) {
  std::cout << "\nRecovery code of organization " << organization_id << " (shown ONCE, keep it offline, e.g. printed "
            << "in the organization's safe):\n\n    " << code << "\n\n"
            << "It gives a member access to every referral of the organization (docs/accounts.md).\n";
}

}  // namespace

int RunUserAdd(const UserAddOptions& options,
               const std::function<std::unique_ptr<storage::Database>()>& open_database) {
  core::InitCrypto();
  const auto lifetime = ParseLifetime(options.expires_in);
  if (!lifetime) {
    std::cerr << "passerelle user add: --expires-in: use a duration such as 72h, 30m or 3600s\n";
    return 2;
  }
  auto db = open_database();
  CliAccounts accounts(options.data_dir, *db);
  accounts::NewUser user;
  user.email = options.email;
  user.role = accounts::ParseRole(options.role).value_or(accounts::Role::kMember);
  user.organization_id = options.organization;
  user.territory_slug = options.territory;
  user.expires_in = *lifetime;
  const auto added = accounts.service.AddUser(user);
  if (!added) {
    std::cerr << "passerelle user add: " << added.error().public_message << "\n";
    return 1;
  }
  const accounts::AddedUser& a = added.value();
  std::cout << "account " << a.account_id << " invited. One-time link (valid " << options.expires_in
            << "), to give to the person only:\n\n    " << TrimmedUrl(options.public_url) << "/pro/invitation/"
            << a.token << "\n";
  switch (a.key_access) {
    case accounts::KeyAccess::kCarried:
      std::cout << "\nThe link also gives access to the organization's referrals"
                << (a.adopted_demo_key ? " (demo key adopted from " + options.data_dir + "/demo-keys/)" : "") << ".\n";
      break;
    case accounts::KeyAccess::kByGrant:
      std::cout
          << "\nAccess to the organization's referrals: a member who has it grants it (page of the organization), "
             "or the person uses the organization's recovery code.\n";
      break;
    case accounts::KeyAccess::kAtEnrolment:  // the web console's first members only (never CarriedKey::kAllowed)
    case accounts::KeyAccess::kNone:
      break;
  }
  if (a.recovery_code) PrintRecoveryCode(options.organization, *a.recovery_code);
  return 0;
}

int RunOrgKeys(const std::string& organization_id, const std::string& data_dir,
               const std::function<std::unique_ptr<storage::Database>()>& open_database) {
  core::InitCrypto();
  auto db = open_database();
  CliAccounts accounts(data_dir, *db);
  const auto created = accounts.service.CreateOrganizationKeys(organization_id);
  if (!created) {
    std::cerr << "passerelle org keys: " << created.error().public_message << "\n";
    return 1;
  }
  std::cout << (created.value().adopted_demo_key ? "demo key adopted" : "keys created") << " for organization "
            << organization_id << "\n";
  PrintRecoveryCode(organization_id, created.value().recovery_code);
  return 0;
}

}  // namespace passerelle::accounts
