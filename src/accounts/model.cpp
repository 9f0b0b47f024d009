#include "accounts/model.h"

#include <array>

namespace passerelle::accounts {

namespace {

struct StatusEntry {
  AccountStatus status;
  std::string_view code;
  std::string_view label;
};

// The one table of the account statuses (a generic core helper will replace it: issue 13 §2).
constexpr std::array<StatusEntry, 3> kStatuses{{
    {AccountStatus::kInvited, "invited", "Invitation en cours"},
    {AccountStatus::kActive, "active", "Actif"},
    {AccountStatus::kDisabled, "disabled", "Désactivé"},
}};

const StatusEntry& EntryOf(AccountStatus status) {
  for (const StatusEntry& entry : kStatuses) {
    if (entry.status == status) return entry;
  }
  return kStatuses.front();  // unreachable: every enumerator is in the table
}

}  // namespace

std::string_view CodeOf(AccountStatus status) { return EntryOf(status).code; }

std::string_view LabelOf(AccountStatus status) { return EntryOf(status).label; }

std::optional<AccountStatus> ParseAccountStatus(std::string_view code) {
  for (const StatusEntry& entry : kStatuses) {
    if (entry.code == code) return entry.status;
  }
  return std::nullopt;
}

}  // namespace passerelle::accounts
