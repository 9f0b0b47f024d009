#pragma once

#include <optional>
#include <string_view>

// Account model shared by the accounts files (docs/accounts.md).
namespace passerelle::accounts {

// The status of an account (`account.status`, migrations/0007_accounts.sql).
enum class AccountStatus {
  kInvited,   // invited; the one-time link's steps are not done
  kActive,    // may sign in
  kDisabled,  // disabled by a coordinator or an operator: no sign-in, no link
};

// Stored codes: "invited", "active", "disabled".
std::string_view CodeOf(AccountStatus status);
std::optional<AccountStatus> ParseAccountStatus(std::string_view code);
// What the professional space shows ("Actif", …).
std::string_view LabelOf(AccountStatus status);

}  // namespace passerelle::accounts
