#include "accounts/service.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

#include "accounts/keys.h"
#include "accounts/repository.h"
#include "accounts/service_internal.h"
#include "accounts/totp.h"
#include "audit/audit_log.h"
#include "core/paris_time.h"
#include "notify/outbox.h"
#include "org_keys/demo_keys.h"
#include "org_keys/repository.h"
#include "org_keys/sealing.h"
#include "org_keys/service.h"

namespace passerelle::accounts {

using namespace detail;

namespace detail {
long long Seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

core::Error Invalid(std::string message, std::string detail) {
  return core::Error{core::ErrorCode::kInvalidInput, std::move(message), std::move(detail)};
}
core::Error NotFound(std::string message, std::string detail) {
  return core::Error{core::ErrorCode::kNotFound, std::move(message), std::move(detail)};
}
core::Error Conflict(std::string message, std::string detail) {
  return core::Error{core::ErrorCode::kConflict, std::move(message), std::move(detail)};
}
core::Error Busy() {
  return core::Error{core::ErrorCode::kUnavailable, "Le service est très sollicité. Réessayez dans quelques secondes.",
                     "no hash slot"};
}

std::string_view KindCode(LinkKind kind) {
  switch (kind) {
    case LinkKind::kInvite:
      return "invite";
    case LinkKind::kPasswordReset:
      return "password_reset";
    case LinkKind::kTotpReset:
      return "totp_reset";
  }
  return "invite";
}

LinkKind ParseKind(std::string_view code) {
  if (code == "password_reset") return LinkKind::kPasswordReset;
  if (code == "totp_reset") return LinkKind::kTotpReset;
  return LinkKind::kInvite;
}

std::string AccountActor(std::string_view id) { return "account:" + std::string(id); }

void Audit(soci::session& sql, std::string actor, std::string action, std::string object, std::string detail,
           long long now) {
  audit::Append(sql, audit::Entry{std::move(actor), std::move(action), std::move(object), std::move(detail)},
                std::chrono::system_clock::time_point(std::chrono::seconds(now)));
}

bool ValidEmail(const std::string& email) {
  if (email.size() < 3 || email.size() > kMaxEmailBytes) return false;
  const auto at = email.find('@');
  if (at == std::string::npos || at == 0 || at == email.size() - 1 || email.find('@', at + 1) != std::string::npos) {
    return false;
  }
  for (unsigned char c : email) {
    if (c <= 0x20 || c == 0x7F || c == '<' || c == '>' || c == '"' || c == ',') return false;
  }
  return email.find('.', at) != std::string::npos;
}

PasswordWrap WrapForPassword(std::string_view password, std::string_view secret, std::string_view context) {
  const std::string salt = core::RandomBytes(kSaltBytes);
  return PasswordWrap{Wrap(DeriveKey(password, salt), secret, context), core::Base64UrlEncode(salt)};
}

std::optional<std::string> UnwrapWithPassword(std::string_view password, const std::optional<std::string>& wrapped,
                                              const std::optional<std::string>& salt_b64, std::string_view context) {
  if (!wrapped || !salt_b64) return std::nullopt;
  const auto salt = core::Base64UrlDecode(*salt_b64);
  if (!salt || salt->size() != kSaltBytes) return std::nullopt;
  return Unwrap(DeriveKey(password, *salt), *wrapped, context);
}

RecoveryRow NewRecovery(const std::string& organization_id, const std::string& secret, const std::string& code,
                        long long now) {
  const PasswordWrap wrap = WrapForPassword(CanonicalRecoveryCode(code), secret, RecoveryContext(organization_id));
  return RecoveryRow{organization_id, wrap.wrapped, wrap.salt, now};
}

}  // namespace detail

struct AccountService::Link {
  InvitationRow row;
  AccountRow account;
};

std::string LinkIdOf(std::string_view token) { return core::HashHex("passerelle-link-id|" + std::string(token), 32); }

std::string LinkKeyOf(std::string_view token) {
  const std::string hex = core::HashHex("passerelle-link-key|" + std::string(token), 32);
  std::string raw;
  for (std::size_t i = 0; i < hex.size(); i += 2) raw += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return raw;
}

std::string AccountService::NormalizeEmail(std::string_view email) {
  std::string out;
  const auto first = email.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return out;
  const auto last = email.find_last_not_of(" \t\r\n");
  for (char c : email.substr(first, last - first + 1))
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

AccountService::AccountService(storage::Database& db, const core::ServerKey& server_key, const PasswordPolicy& policy,
                               HashLimiter& hashes, SessionStore& sessions, Clock clock, AccountsConfig config)
    : db_(db),
      policy_(policy),
      hashes_(hashes),
      sessions_(sessions),
      clock_(std::move(clock)),
      config_(std::move(config)),
      totp_key_(server_key.Derive("totp")),
      throttle_(server_key.Derive("throttle")),
      // Verified against when no account matches, so that an unknown address costs the same.
      dummy_hash_(HashPassword(core::RandomHex(16))) {}

long long AccountService::Now() const { return Seconds(clock_()); }

std::chrono::seconds AccountService::CountAttempt(const LoginThrottle::Keys& keys, long long now) {
  return db_.InTransaction([&](soci::session& sql) {
    AccountRepository repository(sql);
    return throttle_.CheckAndCount(repository, keys, now);
  });
}

// ---- accounts and organization keys (CLI) ----

namespace {

struct NewKeys {
  std::string secret;
  std::optional<std::string> recovery_code;
  bool adopted_demo_key = false;
};

// The demo secret key of an organization when its file matches the stored public key.
std::optional<std::string> DemoSecret(const std::filesystem::path& dir, const std::string& organization_id,
                                      const std::string& public_key_b64) {
  if (dir.empty()) return std::nullopt;
  const auto file = dir / (organization_id + ".key");
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::nullopt;
  const org_keys::KeyPair keys = org_keys::ReadDemoKey(file);
  if (core::Base64UrlEncode(keys.public_key) != public_key_b64) return std::nullopt;
  return keys.secret_key;
}

}  // namespace

core::Result<AddedUser> AccountService::AddUser(const NewUser& user) {
  const std::string email = NormalizeEmail(user.email);
  if (!ValidEmail(email)) return Invalid("Adresse e-mail invalide.", "bad email");
  if (user.expires_in.count() < 1 || user.expires_in > kMaxLinkLifetime) {
    return Invalid("La durée de validité du lien doit être comprise entre 1 seconde et 30 jours.", "bad expiry");
  }
  if (user.role == Role::kMember && user.organization_id.empty()) {
    return Invalid("Un membre appartient à une organisation : précisez --org.", "member without org");
  }
  if (user.role == Role::kCoordinator && user.territory_slug.empty()) {
    return Invalid("Une coordinatrice ou un coordinateur a un territoire : précisez --territory.",
                   "coordinator without territory");
  }
  if ((user.role != Role::kMember && !user.organization_id.empty()) ||
      (user.role != Role::kCoordinator && !user.territory_slug.empty())) {
    return Invalid("--org ne va qu’avec le rôle member, --territory qu’avec le rôle coordinator.", "role options");
  }
  const long long now = Now();
  const std::string token = core::Base64UrlEncode(core::RandomBytes(kTokenBytes));
  const auto refuse_carried = [] {
    return Conflict(
        "Aucun membre de cette organisation n’a encore sa clé : sa première invitation la porte, elle est "
        "faite par un opérateur avec « passerelle user add ».",
        "carried key refused");
  };
  const auto refuse_orphaned = [] {
    return Conflict(
        "Cette organisation a déjà une clé, mais aucun membre ne la détient : une nouvelle clé rendrait "
        "illisibles les demandes déjà scellées pour elle. Son premier membre est invité par un opérateur "
        "avec « passerelle user add », ou retrouve la clé avec le code de récupération de l’organisation.",
        "public key without holder");
  };
  auto outcome = db_.InTransaction([&](soci::session& sql) -> core::Result<AddedUser> {
    AccountRepository repository(sql);
    if (user.role == Role::kMember && !repository.FindOrganization(user.organization_id)) {
      return NotFound("Organisation inconnue : " + user.organization_id, "unknown organization");
    }
    if (user.role == Role::kCoordinator && !repository.TerritoryExists(user.territory_slug)) {
      return NotFound("Territoire inconnu : " + user.territory_slug, "unknown territory");
    }
    if (repository.FindAccountByEmail(email))
      return Conflict("Un compte existe déjà pour cette adresse.", "email taken");
    // Checked before any write: the transaction commits whatever the lambda returns.
    if (user.role == Role::kMember && user.carried_key == CarriedKey::kRefused &&
        (!org_keys::OrganizationKeyRepository(sql).PublicKeyOf(user.organization_id) ||
         !repository.OrganizationHasKeyHolder(user.organization_id, ""))) {
      return refuse_carried();
    }
    // From the web: an organization without any key gets it when its first member sets her
    // password; one whose public key nobody holds keeps it (sealed referrals would be orphaned).
    bool creates_keys = false;
    if (user.role == Role::kMember && user.carried_key == CarriedKey::kAtEnrolment &&
        !repository.OrganizationHasKeyHolder(user.organization_id, "")) {
      if (org_keys::OrganizationKeyRepository(sql).PublicKeyOf(user.organization_id)) return refuse_orphaned();
      creates_keys = true;
    }
    AddedUser added;
    added.account_id = "acc-" + core::RandomHex(8);
    added.token = token;
    AccountRow account;
    account.id = added.account_id;
    account.email = email;
    account.role = std::string(RoleCode(user.role));
    if (user.role == Role::kCoordinator) account.territory_slug = user.territory_slug;
    account.status = AccountStatus::kInvited;
    account.created_at = now;
    account.updated_at = now;
    repository.InsertAccount(account);

    InvitationRow invitation;
    invitation.token_hash = LinkIdOf(token);
    invitation.account_id = account.id;
    invitation.kind = "invite";
    invitation.created_at = now;
    invitation.expires_at = now + user.expires_in.count();
    if (user.role == Role::kMember && creates_keys) {
      repository.InsertMembership(MembershipRow{account.id, user.organization_id, std::nullopt, std::nullopt, now,
                                                std::nullopt, std::nullopt, std::nullopt});
      invitation.organization_id = user.organization_id;
      invitation.creates_keys = 1;
      added.key_access = KeyAccess::kAtEnrolment;
    } else if (user.role == Role::kMember) {
      const std::string& org = user.organization_id;
      repository.InsertMembership(
          MembershipRow{account.id, org, std::nullopt, std::nullopt, now, std::nullopt, std::nullopt, std::nullopt});
      std::optional<std::string> secret;
      const auto public_key = org_keys::OrganizationKeyRepository(sql).PublicKeyOf(org);
      if (!public_key) {
        const org_keys::KeyPair keys = org_keys::GenerateKeyPair();
        org_keys::OrganizationKeyRepository(sql).Insert(
            org, core::Base64UrlEncode(keys.public_key),
            core::ParisDate(std::chrono::system_clock::time_point(std::chrono::seconds(now))));
        secret = keys.secret_key;
        Audit(sql, "cli", "organization.keys_created", "organization:" + org, "", now);
      } else if (!repository.OrganizationHasKeyHolder(org, account.id)) {
        secret = DemoSecret(config_.demo_key_dir, org, *public_key);
        added.adopted_demo_key = secret.has_value();
        if (secret) Audit(sql, "cli", "organization.demo_key_adopted", "organization:" + org, "", now);
      }
      if (secret) {
        if (!repository.FindRecovery(org)) {
          added.recovery_code = NewRecoveryCode();
          repository.InsertRecovery(NewRecovery(org, *secret, *added.recovery_code, now));
        }
        invitation.organization_id = org;
        invitation.carried_key = Wrap(LinkKeyOf(token), *secret, InvitationContext(org));
        added.key_access = KeyAccess::kCarried;
      } else {
        added.key_access = KeyAccess::kByGrant;
      }
    }
    repository.InsertInvitation(invitation);
    Audit(sql, user.actor, "account.invited", "account:" + account.id, account.role, now);
    if (creates_keys) {
      // Whoever completes this link creates the organization's keys: it goes to her address only.
      notify::Enqueue(sql, email, notify::Kind::kInvitation,
                      std::chrono::system_clock::time_point(std::chrono::seconds(now)), "/pro/invitation/" + token);
      added.token.clear();
      added.emailed = true;
    }
    return added;
  });
  // Adopted and committed: the plain file goes (hardening, issue 15).
  if (outcome.ok() && outcome.value().adopted_demo_key)
    org_keys::RemoveDemoKey(config_.demo_key_dir, user.organization_id);
  return outcome;
}

core::Result<OrganizationKeysCreated> AccountService::CreateOrganizationKeys(const std::string& organization_id) {
  const long long now = Now();
  auto result = db_.InTransaction([&](soci::session& sql) -> core::Result<OrganizationKeysCreated> {
    AccountRepository repository(sql);
    if (!repository.FindOrganization(organization_id)) {
      return NotFound("Organisation inconnue : " + organization_id, "unknown organization");
    }
    if (repository.FindRecovery(organization_id)) {
      return Conflict(
          "Cette organisation a déjà ses clés et son code de récupération (donné une seule fois, à leur "
          "création).",
          "keys exist");
    }
    OrganizationKeysCreated created;
    std::string secret;
    if (const auto public_key = org_keys::OrganizationKeyRepository(sql).PublicKeyOf(organization_id)) {
      const auto demo = DemoSecret(config_.demo_key_dir, organization_id, *public_key);
      if (!demo) {
        return Conflict(
            "Cette organisation a déjà une clé publique, mais aucune clé secrète de démonstration "
            "correspondante n’a été trouvée (" +
                config_.demo_key_dir.string() + ").",
            "public key without secret");
      }
      secret = *demo;
      created.adopted_demo_key = true;
      Audit(sql, "cli", "organization.demo_key_adopted", "organization:" + organization_id, "", now);
    } else {
      const org_keys::KeyPair keys = org_keys::GenerateKeyPair();
      org_keys::OrganizationKeyRepository(sql).Insert(
          organization_id, core::Base64UrlEncode(keys.public_key),
          core::ParisDate(std::chrono::system_clock::time_point(std::chrono::seconds(now))));
      secret = keys.secret_key;
      Audit(sql, "cli", "organization.keys_created", "organization:" + organization_id, "", now);
    }
    created.recovery_code = NewRecoveryCode();
    repository.InsertRecovery(NewRecovery(organization_id, secret, created.recovery_code, now));
    return created;
  });
  if (result.ok() && result.value().adopted_demo_key)
    org_keys::RemoveDemoKey(config_.demo_key_dir, organization_id);  // hardening
  return result;
}

// ---- one-time links ----

core::Result<AccountService::Link> AccountService::FindOpenLink(const std::string& token, long long now) {
  if (token.empty() || token.size() > 100) return NotFound(kLinkGone, "malformed link");
  soci::session sql(db_.pool());
  AccountRepository repository(sql);
  auto row = repository.FindInvitation(LinkIdOf(token));
  if (!row || row->used_at || now > row->expires_at) return NotFound(kLinkGone, "link unknown, used or expired");
  auto account = repository.FindAccountById(row->account_id);
  if (!account || account->status == AccountStatus::kDisabled) return NotFound(kLinkGone, "link of a disabled account");
  return Link{std::move(*row), std::move(*account)};
}

core::Result<LinkView> AccountService::OpenLink(const std::string& token) {
  auto link = FindOpenLink(token, Now());
  if (!link) return link.error();
  const Link& l = link.value();
  return LinkView{ParseKind(l.row.kind), l.account.email, l.row.password_done_at.has_value(),
                  l.row.carried_key.has_value()};
}

core::Result<PasswordStepDone> AccountService::CompletePasswordStep(const std::string& token,
                                                                    const std::string& password,
                                                                    const std::string& confirmation,
                                                                    const std::string& client_address) {
  const long long now = Now();
  auto found = FindOpenLink(token, now);
  if (!found) return found.error();
  const Link& link = found.value();
  if (link.row.password_done_at) return PasswordStepDone{};
  const LinkKind kind = ParseKind(link.row.kind);
  const std::string& account_id = link.account.id;
  if (password.size() > kMaxPasswordBytes)
    return Invalid("Le mot de passe doit contenir au plus 500 caractères.", "too long");

  if (kind == LinkKind::kTotpReset) {
    // Proves the person is the account holder: the password stays, only the TOTP changes.
    const auto keys = throttle_.KeysFor(link.account.email, client_address);
    auto slot = hashes_.Acquire(config_.hash_wait);
    if (!slot) return Busy();
    const auto wait = CountAttempt(keys, now);
    if (wait.count() > 0) {
      return core::Error{
          core::ErrorCode::kRateLimited,
          "Trop de tentatives. Réessayez dans " + std::to_string((wait.count() + 59) / 60) + " minute(s).",
          "throttled"};
    }
    if (!link.account.password_hash || !VerifyPassword(*link.account.password_hash, password)) {
      return Invalid("Mot de passe incorrect.", "wrong password on totp reset");
    }
    const std::string pending = Wrap(totp_key_, NewTotpSecret(), TotpContext(account_id));
    return db_.InTransaction([&](soci::session& sql) -> core::Result<PasswordStepDone> {
      AccountRepository repository(sql);
      const auto row = repository.FindInvitation(link.row.token_hash);
      if (!row || row->used_at || row->password_done_at) return Conflict(kLinkGone, "link changed");
      throttle_.RecordSuccess(repository, keys, now);
      repository.MarkInvitationPasswordDone(link.row.token_hash, pending, now);
      return PasswordStepDone{};
    });
  }

  if (password != confirmation) {
    return Invalid("Les deux mots de passe ne sont pas identiques.", "confirmation differs");
  }
  if (auto checked = policy_.Check(password, link.account.email); !checked) return checked.error();
  auto slot = hashes_.Acquire(config_.hash_wait);
  if (!slot) return Busy();
  const std::string hash = HashPassword(password);
  const org_keys::KeyPair account_keys = org_keys::GenerateKeyPair();
  const PasswordWrap account_wrap =
      WrapForPassword(password, account_keys.secret_key, AccountSecretContext(account_id));
  std::optional<PasswordWrap> membership_wrap;
  if (link.row.carried_key && link.row.organization_id) {
    const auto secret = Unwrap(LinkKeyOf(token), *link.row.carried_key, InvitationContext(*link.row.organization_id));
    if (secret) {
      membership_wrap = WrapForPassword(password, *secret, MembershipContext(account_id, *link.row.organization_id));
    }
  }
  // A first member invited from the web (AddUser, CarriedKey::kAtEnrolment): the organization's
  // keys are made here, for her alone, unless it got a key meanwhile (then a colleague grants it).
  struct FirstKeys {
    org_keys::KeyPair keys;
    PasswordWrap wrap;
    std::string recovery_code;
  };
  std::optional<FirstKeys> first_keys;
  if (kind == LinkKind::kInvite && link.row.creates_keys != 0 && link.row.organization_id) {
    org_keys::KeyPair keys = org_keys::GenerateKeyPair();
    PasswordWrap wrap =
        WrapForPassword(password, keys.secret_key, MembershipContext(account_id, *link.row.organization_id));
    first_keys = FirstKeys{std::move(keys), std::move(wrap), NewRecoveryCode()};
  }
  const std::string pending = Wrap(totp_key_, NewTotpSecret(), TotpContext(account_id));
  return db_.InTransaction([&](soci::session& sql) -> core::Result<PasswordStepDone> {
    AccountRepository repository(sql);
    const auto row = repository.FindInvitation(link.row.token_hash);
    if (!row || row->used_at || row->password_done_at) return Conflict(kLinkGone, "link changed");
    PasswordStepDone done;
    if (kind == LinkKind::kPasswordReset) repository.ClearMembershipKeys(account_id);
    repository.UpdatePassword(account_id, hash, core::Base64UrlEncode(account_keys.public_key), account_wrap.wrapped,
                              account_wrap.salt, now);
    // `row->carried_key`: a key rotation removes the old key from open invitations meanwhile.
    if (membership_wrap && row->carried_key) {
      repository.SetMembershipKey(account_id, *link.row.organization_id, membership_wrap->wrapped,
                                  membership_wrap->salt);
      Audit(sql, AccountActor(account_id), "key.received", "organization:" + *link.row.organization_id, "invitation",
            now);
    }
    if (first_keys && row->creates_keys != 0 && row->organization_id) {
      const std::string& org = *row->organization_id;
      org_keys::OrganizationKeyRepository keys(sql);
      if (!keys.PublicKeyOf(org) && !repository.FindRecovery(org)) {
        keys.Insert(org, core::Base64UrlEncode(first_keys->keys.public_key),
                    core::ParisDate(std::chrono::system_clock::time_point(std::chrono::seconds(now))));
        repository.InsertRecovery(NewRecovery(org, first_keys->keys.secret_key, first_keys->recovery_code, now));
        repository.SetMembershipKey(account_id, org, first_keys->wrap.wrapped, first_keys->wrap.salt);
        Audit(sql, AccountActor(account_id), "organization.keys_created", "organization:" + org, "enrolment", now);
        Audit(sql, AccountActor(account_id), "key.received", "organization:" + org, "enrolment", now);
        done.recovery_code = first_keys->recovery_code;
      }
    }
    repository.MarkInvitationPasswordDone(link.row.token_hash, pending, now);
    Audit(sql, AccountActor(account_id), "password.set", "account:" + account_id, std::string(KindCode(kind)), now);
    return done;
  });
}

core::Result<TotpEnrolment> AccountService::PendingTotp(const std::string& token) {
  auto found = FindOpenLink(token, Now());
  if (!found) return found.error();
  const Link& link = found.value();
  if (!link.row.password_done_at || !link.row.pending_totp_secret) return NotFound(kLinkGone, "password step not done");
  const auto secret = Unwrap(totp_key_, *link.row.pending_totp_secret, TotpContext(link.account.id));
  if (!secret) throw core::InfrastructureError("accounts: a pending TOTP secret does not open (server key changed?)");
  return TotpEnrolment{*secret, link.account.email};
}

core::Result<core::Ok> AccountService::ConfirmTotp(const std::string& token, const std::string& code) {
  const long long now = Now();
  auto enrolment = PendingTotp(token);
  if (!enrolment) return enrolment.error();
  const auto step = MatchTotp(enrolment.value().secret, code, clock_(), 0);
  if (!step) {
    return Invalid(
        "Ce code n’est pas le bon. Vérifiez l’heure de votre téléphone et saisissez le code affiché en ce "
        "moment (6 chiffres).",
        "wrong enrolment code");
  }
  const std::string token_hash = LinkIdOf(token);
  return db_.InTransaction([&](soci::session& sql) -> core::Result<core::Ok> {
    AccountRepository repository(sql);
    const auto row = repository.FindInvitation(token_hash);
    if (!row || row->used_at || !row->password_done_at) return NotFound(kLinkGone, "link changed");
    const auto account = repository.FindAccountById(row->account_id);
    if (!account || account->status == AccountStatus::kDisabled) return NotFound(kLinkGone, "account disabled");
    repository.SetTotp(account->id, Wrap(totp_key_, enrolment.value().secret, TotpContext(account->id)), *step, now);
    if (account->status == AccountStatus::kInvited) repository.SetStatus(account->id, AccountStatus::kActive, now);
    repository.MarkInvitationUsed(token_hash, now);
    Audit(sql, AccountActor(account->id), "totp.enrolled", "account:" + account->id, row->kind, now);
    return core::Ok{};
  });
}

void AccountService::Prune() {
  const long long now = Now();
  db_.InTransaction([&](soci::session& sql) {
    AccountRepository repository(sql);
    repository.DeleteSessionsIdleSince(now - sessions_.timeouts().idle.count(),
                                       now - sessions_.timeouts().absolute.count());
    repository.DeleteThrottlesBefore(now - kRecognizedForSeconds);
  });
}

}  // namespace passerelle::accounts
