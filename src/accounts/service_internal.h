#pragma once

#include <soci/soci.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "accounts/password_policy.h"
#include "accounts/repository.h"
#include "accounts/service.h"
#include "core/error.h"

// What the files of AccountService (service.cpp: accounts by the CLI and one-time links;
// signin.cpp: sign-in, sign-out, password; members.cpp: accounts of a territory, members, keys)
// share. Private to src/accounts: no other domain includes it.
namespace passerelle::accounts::detail {

inline constexpr std::size_t kTokenBytes = 32;
inline constexpr std::size_t kMaxEmailBytes = 254;
inline constexpr std::size_t kMaxPasswordBytes = 4 * PasswordPolicy::kMaxCharacters;
inline constexpr std::chrono::seconds kMaxLinkLifetime{30 * 24 * 3600};
inline constexpr std::chrono::seconds kBusyRetry{5};

inline constexpr const char* kLinkGone =
    "Ce lien n’est plus valable : il a déjà servi ou il a expiré. Demandez un nouveau lien à la personne qui "
    "coordonne Passerelle sur votre territoire.";

long long Seconds(std::chrono::system_clock::time_point t);

core::Error Invalid(std::string message, std::string detail);
core::Error NotFound(std::string message, std::string detail);
core::Error Conflict(std::string message, std::string detail);
core::Error Busy();

// Stored codes of the one-time links: "invite", "password_reset", "totp_reset".
std::string_view KindCode(LinkKind kind);
LinkKind ParseKind(std::string_view code);

std::string AccountActor(std::string_view id);
void Audit(soci::session& sql, std::string actor, std::string action, std::string object, std::string detail,
           long long now);

bool ValidEmail(const std::string& email);

// A pair wrapped for a password: (wrapped secret, salt), both base64url.
struct PasswordWrap {
  std::string wrapped;
  std::string salt;
};

PasswordWrap WrapForPassword(std::string_view password, std::string_view secret, std::string_view context);
std::optional<std::string> UnwrapWithPassword(std::string_view password, const std::optional<std::string>& wrapped,
                                              const std::optional<std::string>& salt_b64, std::string_view context);

// The organization's secret wrapped under its recovery code (Argon2id of the canonical code).
RecoveryRow NewRecovery(const std::string& organization_id, const std::string& secret, const std::string& code,
                        long long now);

}  // namespace passerelle::accounts::detail
