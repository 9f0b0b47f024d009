#include "accounts/service.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

#include "accounts/keys.h"
#include "accounts/repository.h"
#include "accounts/totp.h"
#include "audit/audit_log.h"
#include "core/paris_time.h"
#include "profile/key_rotation.h"
#include "referral/demo_keys.h"
#include "referral/rekey.h"
#include "referral/sealing.h"

namespace passerelle::accounts {

namespace {

constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kMaxEmailBytes = 254;
constexpr std::size_t kMaxPasswordBytes = 4 * PasswordPolicy::kMaxCharacters;
constexpr std::chrono::seconds kMaxLinkLifetime{30 * 24 * 3600};
constexpr std::chrono::seconds kBusyRetry{5};

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
  return core::Error{core::ErrorCode::kUnavailable,
                     "Le service est très sollicité. Réessayez dans quelques secondes.", "no hash slot"};
}

const char* kLinkGone =
    "Ce lien n’est plus valable : il a déjà servi ou il a expiré. Demandez un nouveau lien à la personne qui "
    "coordonne Passerelle sur votre territoire.";

std::string_view KindCode(LinkKind kind) {
  switch (kind) {
    case LinkKind::kInvite: return "invite";
    case LinkKind::kPasswordReset: return "password_reset";
    case LinkKind::kTotpReset: return "totp_reset";
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

// A pair wrapped for a password: (wrapped secret, salt), both base64url.
struct PasswordWrap {
  std::string wrapped;
  std::string salt;
};

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

}  // namespace

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
  for (char c : email.substr(first, last - first + 1)) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
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

RecoveryRow NewRecovery(const std::string& organization_id, const std::string& secret, const std::string& code,
                        long long now) {
  const PasswordWrap wrap = WrapForPassword(CanonicalRecoveryCode(code), secret, RecoveryContext(organization_id));
  return RecoveryRow{organization_id, wrap.wrapped, wrap.salt, now};
}

// The demo secret key of an organization when its file matches the stored public key.
std::optional<std::string> DemoSecret(const std::filesystem::path& dir, const std::string& organization_id,
                                      const std::string& public_key_b64) {
  if (dir.empty()) return std::nullopt;
  const auto file = dir / (organization_id + ".key");
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::nullopt;
  const referral::KeyPair keys = referral::ReadDemoKey(file);
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
    return Invalid("Une coordinatrice ou un coordinateur a un territoire : précisez --territory.", "coordinator without territory");
  }
  if ((user.role != Role::kMember && !user.organization_id.empty()) ||
      (user.role != Role::kCoordinator && !user.territory_slug.empty())) {
    return Invalid("--org ne va qu’avec le rôle member, --territory qu’avec le rôle coordinator.", "role options");
  }
  const long long now = Now();
  const std::string token = core::Base64UrlEncode(core::RandomBytes(kTokenBytes));
  auto outcome = db_.InTransaction([&](soci::session& sql) -> core::Result<AddedUser> {
    AccountRepository repository(sql);
    if (user.role == Role::kMember && !repository.FindOrganization(user.organization_id)) {
      return NotFound("Organisation inconnue : " + user.organization_id, "unknown organization");
    }
    if (user.role == Role::kCoordinator && !repository.TerritoryExists(user.territory_slug)) {
      return NotFound("Territoire inconnu : " + user.territory_slug, "unknown territory");
    }
    if (repository.FindAccountByEmail(email)) return Conflict("Un compte existe déjà pour cette adresse.", "email taken");
    AddedUser added;
    added.account_id = "acc-" + core::RandomHex(8);
    added.token = token;
    AccountRow account;
    account.id = added.account_id;
    account.email = email;
    account.role = std::string(RoleCode(user.role));
    if (user.role == Role::kCoordinator) account.territory_slug = user.territory_slug;
    account.status = "invited";
    account.created_at = now;
    account.updated_at = now;
    repository.InsertAccount(account);

    InvitationRow invitation;
    invitation.token_hash = LinkIdOf(token);
    invitation.account_id = account.id;
    invitation.kind = "invite";
    invitation.created_at = now;
    invitation.expires_at = now + user.expires_in.count();
    if (user.role == Role::kMember) {
      const std::string& org = user.organization_id;
      repository.InsertMembership(MembershipRow{account.id, org, std::nullopt, std::nullopt, now, std::nullopt,
                                                std::nullopt, std::nullopt});
      std::optional<std::string> secret;
      const auto public_key = repository.OrganizationPublicKey(org);
      if (!public_key) {
        const referral::KeyPair keys = referral::GenerateKeyPair();
        repository.InsertOrganizationPublicKey(org, core::Base64UrlEncode(keys.public_key),
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
    Audit(sql, "cli", "account.invited", "account:" + account.id, account.role, now);
    return added;
  });
  // Adopted and committed: the plain file goes (hardening, issue 15).
  if (outcome.ok() && outcome.value().adopted_demo_key) referral::RemoveDemoKey(config_.demo_key_dir, user.organization_id);
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
      return Conflict("Cette organisation a déjà ses clés et son code de récupération (donné une seule fois, à leur "
                      "création).",
                      "keys exist");
    }
    OrganizationKeysCreated created;
    std::string secret;
    if (const auto public_key = repository.OrganizationPublicKey(organization_id)) {
      const auto demo = DemoSecret(config_.demo_key_dir, organization_id, *public_key);
      if (!demo) {
        return Conflict("Cette organisation a déjà une clé publique, mais aucune clé secrète de démonstration "
                        "correspondante n’a été trouvée (" + config_.demo_key_dir.string() + ").",
                        "public key without secret");
      }
      secret = *demo;
      created.adopted_demo_key = true;
      Audit(sql, "cli", "organization.demo_key_adopted", "organization:" + organization_id, "", now);
    } else {
      const referral::KeyPair keys = referral::GenerateKeyPair();
      repository.InsertOrganizationPublicKey(organization_id, core::Base64UrlEncode(keys.public_key),
                                             core::ParisDate(std::chrono::system_clock::time_point(std::chrono::seconds(now))));
      secret = keys.secret_key;
      Audit(sql, "cli", "organization.keys_created", "organization:" + organization_id, "", now);
    }
    created.recovery_code = NewRecoveryCode();
    repository.InsertRecovery(NewRecovery(organization_id, secret, created.recovery_code, now));
    return created;
  });
  if (result.ok() && result.value().adopted_demo_key) referral::RemoveDemoKey(config_.demo_key_dir, organization_id);  // hardening
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
  if (!account || account->status == "disabled") return NotFound(kLinkGone, "link of a disabled account");
  return Link{std::move(*row), std::move(*account)};
}

core::Result<LinkView> AccountService::OpenLink(const std::string& token) {
  auto link = FindOpenLink(token, Now());
  if (!link) return link.error();
  const Link& l = link.value();
  return LinkView{ParseKind(l.row.kind), l.account.email, l.row.password_done_at.has_value(), l.row.carried_key.has_value()};
}

core::Result<core::Ok> AccountService::CompletePasswordStep(const std::string& token, const std::string& password,
                                                            const std::string& confirmation,
                                                            const std::string& client_address) {
  const long long now = Now();
  auto found = FindOpenLink(token, now);
  if (!found) return found.error();
  const Link& link = found.value();
  if (link.row.password_done_at) return core::Ok{};
  const LinkKind kind = ParseKind(link.row.kind);
  const std::string& account_id = link.account.id;
  if (password.size() > kMaxPasswordBytes) return Invalid("Le mot de passe doit contenir au plus 500 caractères.", "too long");

  if (kind == LinkKind::kTotpReset) {
    // Proves the person is the account holder: the password stays, only the TOTP changes.
    const auto keys = throttle_.KeysFor(link.account.email, client_address);
    auto slot = hashes_.Acquire(config_.hash_wait);
    if (!slot) return Busy();
    const auto wait = CountAttempt(keys, now);
    if (wait.count() > 0) {
      return core::Error{core::ErrorCode::kRateLimited,
                         "Trop de tentatives. Réessayez dans " + std::to_string((wait.count() + 59) / 60) + " minute(s).",
                         "throttled"};
    }
    if (!link.account.password_hash || !VerifyPassword(*link.account.password_hash, password)) {
      return Invalid("Mot de passe incorrect.", "wrong password on totp reset");
    }
    const std::string pending = Wrap(totp_key_, NewTotpSecret(), TotpContext(account_id));
    return db_.InTransaction([&](soci::session& sql) -> core::Result<core::Ok> {
      AccountRepository repository(sql);
      const auto row = repository.FindInvitation(link.row.token_hash);
      if (!row || row->used_at || row->password_done_at) return Conflict(kLinkGone, "link changed");
      throttle_.RecordSuccess(repository, keys, now);
      repository.MarkInvitationPasswordDone(link.row.token_hash, pending, now);
      return core::Ok{};
    });
  }

  if (password != confirmation) {
    return Invalid("Les deux mots de passe ne sont pas identiques.", "confirmation differs");
  }
  if (auto checked = policy_.Check(password, link.account.email); !checked) return checked.error();
  auto slot = hashes_.Acquire(config_.hash_wait);
  if (!slot) return Busy();
  const std::string hash = HashPassword(password);
  const referral::KeyPair account_keys = referral::GenerateKeyPair();
  const PasswordWrap account_wrap = WrapForPassword(password, account_keys.secret_key, AccountSecretContext(account_id));
  std::optional<PasswordWrap> membership_wrap;
  if (link.row.carried_key && link.row.organization_id) {
    const auto secret = Unwrap(LinkKeyOf(token), *link.row.carried_key, InvitationContext(*link.row.organization_id));
    if (secret) {
      membership_wrap = WrapForPassword(password, *secret, MembershipContext(account_id, *link.row.organization_id));
    }
  }
  const std::string pending = Wrap(totp_key_, NewTotpSecret(), TotpContext(account_id));
  return db_.InTransaction([&](soci::session& sql) -> core::Result<core::Ok> {
    AccountRepository repository(sql);
    const auto row = repository.FindInvitation(link.row.token_hash);
    if (!row || row->used_at || row->password_done_at) return Conflict(kLinkGone, "link changed");
    if (kind == LinkKind::kPasswordReset) repository.ClearMembershipKeys(account_id);
    repository.UpdatePassword(account_id, hash, core::Base64UrlEncode(account_keys.public_key), account_wrap.wrapped,
                              account_wrap.salt, now);
    // `row->carried_key`: a key rotation removes the old key from open invitations meanwhile.
    if (membership_wrap && row->carried_key) {
      repository.SetMembershipKey(account_id, *link.row.organization_id, membership_wrap->wrapped, membership_wrap->salt);
      Audit(sql, AccountActor(account_id), "key.received", "organization:" + *link.row.organization_id, "invitation", now);
    }
    repository.MarkInvitationPasswordDone(link.row.token_hash, pending, now);
    Audit(sql, AccountActor(account_id), "password.set", "account:" + account_id, std::string(KindCode(kind)), now);
    return core::Ok{};
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
    return Invalid("Ce code n’est pas le bon. Vérifiez l’heure de votre téléphone et saisissez le code affiché en ce "
                   "moment (6 chiffres).",
                   "wrong enrolment code");
  }
  const std::string token_hash = LinkIdOf(token);
  return db_.InTransaction([&](soci::session& sql) -> core::Result<core::Ok> {
    AccountRepository repository(sql);
    const auto row = repository.FindInvitation(token_hash);
    if (!row || row->used_at || !row->password_done_at) return NotFound(kLinkGone, "link changed");
    const auto account = repository.FindAccountById(row->account_id);
    if (!account || account->status == "disabled") return NotFound(kLinkGone, "account disabled");
    repository.SetTotp(account->id, Wrap(totp_key_, enrolment.value().secret, TotpContext(account->id)), *step, now);
    if (account->status == "invited") repository.SetStatus(account->id, "active", now);
    repository.MarkInvitationUsed(token_hash, now);
    Audit(sql, AccountActor(account->id), "totp.enrolled", "account:" + account->id, row->kind, now);
    return core::Ok{};
  });
}

// ---- sign in, sign out, password ----

LoginResult AccountService::Login(const LoginRequest& request) {
  const long long now = Now();
  Prune();
  const std::string email = NormalizeEmail(request.email);
  const auto keys = throttle_.KeysFor(email, request.client_address);
  auto slot = hashes_.Acquire(config_.hash_wait);
  if (!slot) return LoginResult{LoginResult::Outcome::kBusy, "", kBusyRetry};
  const auto wait = CountAttempt(keys, now);
  if (wait.count() > 0) return LoginResult{LoginResult::Outcome::kThrottled, "", wait};

  std::optional<AccountRow> account;
  {
    soci::session sql(db_.pool());
    account = AccountRepository(sql).FindAccountByEmail(email);
  }
  const std::string password = request.password.substr(0, kMaxPasswordBytes);
  // Exactly one Argon2id verification whatever the case.
  const bool has_hash = account && account->password_hash;
  const bool password_ok = VerifyPassword(has_hash ? *account->password_hash : dummy_hash_, password) && has_hash;
  std::string failure = account ? "password" : "unknown_account";
  std::optional<std::int64_t> step;
  if (password_ok) {
    failure = "totp";
    if (account->status != "active" || !account->totp_secret) {
      failure = "status_" + account->status;
    } else if (const auto secret = Unwrap(totp_key_, *account->totp_secret, TotpContext(account->id))) {
      step = MatchTotp(*secret, request.code, clock_(), account->totp_last_step);
      if (step) {
        // Consumed at once: the same code cannot open a second session, even in a parallel request.
        const bool accepted = db_.InTransaction([&](soci::session& sql) {
          return AccountRepository(sql).AcceptTotpStep(account->id, *step);
        });
        if (!accepted) {
          step.reset();
          failure = "totp_replay";
        }
      }
    }
  }
  if (!step) {
    db_.InTransaction([&](soci::session& sql) {
      Audit(sql, account ? AccountActor(account->id) : "anonymous", "login.failure",
            account ? "account:" + account->id : "", failure, now);
    });
    return LoginResult{LoginResult::Outcome::kRefused, "", std::chrono::seconds(0)};
  }

  // Signed in: open the organization keys with the password (still inside the hash slot).
  std::map<std::string, referral::KeyPair> organization_keys;
  struct Converted {
    std::string organization_id;
    PasswordWrap wrap;
    std::string grant_read;  // written only if the grant is still this one (a key rotation may replace it)
  };
  std::vector<Converted> converted;  // grants turned into password wraps
  std::map<std::string, std::string> unwrapped_from;  // organization → the wrap its key came from
  const auto role = ParseRole(account->role).value_or(Role::kCoordinator);
  if (role == Role::kMember) {
    std::vector<MembershipRow> memberships;
    {
      soci::session sql(db_.pool());
      memberships = AccountRepository(sql).Memberships(account->id);
    }
    std::optional<referral::KeyPair> account_keys;
    for (const MembershipRow& m : memberships) {
      const std::string context = MembershipContext(account->id, m.organization_id);
      if (const auto secret = UnwrapWithPassword(password, m.wrapped_key, m.key_salt, context)) {
        organization_keys.emplace(m.organization_id, KeyPairFromSecret(*secret));
        unwrapped_from.emplace(m.organization_id, *m.wrapped_key);
        continue;
      }
      if (!m.granted_key) continue;
      if (!account_keys) {
        const auto secret = UnwrapWithPassword(password, account->secret_wrapped, account->secret_salt,
                                               AccountSecretContext(account->id));
        if (!secret) break;
        account_keys = KeyPairFromSecret(*secret);
      }
      if (const auto org_secret = referral::Open(*m.granted_key, *account_keys)) {
        organization_keys.emplace(m.organization_id, KeyPairFromSecret(*org_secret));
        converted.push_back(Converted{m.organization_id, WrapForPassword(password, *org_secret, context), *m.granted_key});
      }
    }
  }
  slot.reset();
  LoginResult result;
  result.outcome = LoginResult::Outcome::kSignedIn;
  db_.InTransaction([&](soci::session& sql) {
    AccountRepository repository(sql);
    for (const Converted& c : converted) {
      if (!repository.ConvertGrant(account->id, c.organization_id, c.wrap.wrapped, c.wrap.salt, c.grant_read)) {
        organization_keys.erase(c.organization_id);  // replaced meanwhile (key rotation): taken at the next sign-in
        continue;
      }
      Audit(sql, AccountActor(account->id), "key.received", "organization:" + c.organization_id, "grant", now);
    }
    // A key rotation that replaced a wrap since it was read: that key opens nothing any more.
    for (const MembershipRow& m : repository.Memberships(account->id)) {
      const auto used = unwrapped_from.find(m.organization_id);
      if (used != unwrapped_from.end() && m.wrapped_key != used->second) organization_keys.erase(m.organization_id);
    }
    throttle_.RecordSuccess(repository, keys, now);
    result.session_token = sessions_.Create(sql, account->id, role, organization_keys);
    Audit(sql, AccountActor(account->id), "login.success", "account:" + account->id, "", now);
  });
  return result;
}

void AccountService::Logout(const Principal& principal) {
  const long long now = Now();
  db_.InTransaction([&](soci::session& sql) {
    if (sessions_.Kill(sql, principal.session_id)) {
      Audit(sql, AccountActor(principal.account_id), "session.killed", "account:" + principal.account_id, "logout", now);
    }
  });
}

core::Result<std::string> AccountService::ChangePassword(const Principal& principal, const std::string& current,
                                                         const std::string& password, const std::string& confirmation) {
  const long long now = Now();
  if (password != confirmation) return Invalid("Les deux nouveaux mots de passe ne sont pas identiques.", "confirmation differs");
  if (password.size() > kMaxPasswordBytes || current.size() > kMaxPasswordBytes) {
    return Invalid("Le mot de passe doit contenir au plus 500 caractères.", "too long");
  }
  if (auto checked = policy_.Check(password, principal.email); !checked) return checked.error();
  if (password == current) return Invalid("Le nouveau mot de passe doit être différent de l’actuel.", "same password");
  const auto keys = throttle_.KeysFor(principal.email, "session:" + principal.session_id);
  auto slot = hashes_.Acquire(config_.hash_wait);
  if (!slot) return Busy();
  if (CountAttempt(keys, now).count() > 0) {
    return core::Error{core::ErrorCode::kRateLimited, "Trop de tentatives. Réessayez dans quelques minutes.", "throttled"};
  }
  std::optional<AccountRow> account;
  std::vector<MembershipRow> memberships;
  {
    soci::session sql(db_.pool());
    AccountRepository repository(sql);
    account = repository.FindAccountById(principal.account_id);
    memberships = repository.Memberships(principal.account_id);
  }
  if (!account || !account->password_hash || !VerifyPassword(*account->password_hash, current)) {
    return Invalid("Le mot de passe actuel est incorrect.", "wrong current password");
  }
  const Role role = principal.role;
  // Every key the member holds is opened with the current password and wrapped again; the
  // account's own pair is kept, so that grants waiting for the next sign-in stay valid.
  std::map<std::string, referral::KeyPair> organization_keys;
  struct Rewrap {
    std::string organization_id;
    PasswordWrap wrap;
    std::string wrapped_read;  // written only if still this one (a key rotation may replace it)
  };
  std::vector<Rewrap> wraps;
  for (const MembershipRow& m : memberships) {
    const std::string context = MembershipContext(account->id, m.organization_id);
    if (const auto secret = UnwrapWithPassword(current, m.wrapped_key, m.key_salt, context)) {
      organization_keys.emplace(m.organization_id, KeyPairFromSecret(*secret));
      wraps.push_back(Rewrap{m.organization_id, WrapForPassword(password, *secret, context), *m.wrapped_key});
    }
  }
  referral::KeyPair account_keys;
  if (const auto secret = UnwrapWithPassword(current, account->secret_wrapped, account->secret_salt,
                                             AccountSecretContext(account->id))) {
    account_keys = KeyPairFromSecret(*secret);
  } else {
    account_keys = referral::GenerateKeyPair();
  }
  const PasswordWrap account_wrap = WrapForPassword(password, account_keys.secret_key, AccountSecretContext(account->id));
  const std::string hash = HashPassword(password);
  slot.reset();
  return db_.InTransaction([&](soci::session& sql) -> core::Result<std::string> {
    AccountRepository repository(sql);
    repository.UpdatePassword(account->id, hash, core::Base64UrlEncode(account_keys.public_key), account_wrap.wrapped,
                              account_wrap.salt, now);
    for (const Rewrap& r : wraps) {
      if (!repository.RewrapMembershipKey(account->id, r.organization_id, r.wrap.wrapped, r.wrap.salt, r.wrapped_read)) {
        organization_keys.erase(r.organization_id);  // a pending grant of the new key replaced it
      }
    }
    throttle_.RecordSuccess(repository, keys, now);
    const std::size_t killed = sessions_.KillAllOf(sql, account->id);
    Audit(sql, AccountActor(account->id), "password.changed", "account:" + account->id, "", now);
    Audit(sql, AccountActor(account->id), "session.killed", "account:" + account->id,
          "password_change:" + std::to_string(killed), now);
    return sessions_.Create(sql, account->id, role, organization_keys);
  });
}

// ---- accounts of a territory ----

std::vector<AccountView> AccountService::ListAccounts(const Principal& principal) {
  if (principal.role == Role::kMember) return {};
  soci::session sql(db_.pool());
  AccountRepository repository(sql);
  std::vector<AccountView> views;
  const std::string territory = principal.role == Role::kOperator ? "" : principal.territory_slug;
  if (principal.role == Role::kCoordinator && territory.empty()) return {};
  for (const AccountRow& a : repository.ListAccounts(territory)) {
    AccountView view{a.id, a.email, ParseRole(a.role).value_or(Role::kMember), a.territory_slug.value_or(""), a.status, {}};
    for (const MembershipRow& m : repository.Memberships(a.id)) {
      const auto org = repository.FindOrganization(m.organization_id);
      view.organization_names.push_back(org ? org->name : m.organization_id);
    }
    views.push_back(std::move(view));
  }
  return views;
}

core::Result<core::Ok> AccountService::Disable(const Principal& actor, const std::string& account_id) {
  if (account_id == actor.account_id) return Conflict("Vous ne pouvez pas désactiver votre propre compte.", "self");
  const long long now = Now();
  return db_.InTransaction([&](soci::session& sql) -> core::Result<core::Ok> {
    AccountRepository repository(sql);
    const auto account = repository.FindAccountById(account_id);
    if (!account) return NotFound("", "unknown account");
    if (account->status == "disabled") return core::Ok{};
    repository.SetStatus(account_id, "disabled", now);
    repository.CloseInvitationsOf(account_id, now);
    const std::size_t killed = sessions_.KillAllOf(sql, account_id);
    Audit(sql, AccountActor(actor.account_id), "account.disabled", "account:" + account_id, "", now);
    Audit(sql, AccountActor(actor.account_id), "session.killed", "account:" + account_id,
          "account_disabled:" + std::to_string(killed), now);
    return core::Ok{};
  });
}

core::Result<std::string> AccountService::NewLink(const Principal& actor, const std::string& account_id, LinkKind kind) {
  if (account_id == actor.account_id) {
    return Conflict("Demandez à une autre personne de réinitialiser votre compte.", "self");
  }
  const long long now = Now();
  const std::string token = core::Base64UrlEncode(core::RandomBytes(kTokenBytes));
  return db_.InTransaction([&](soci::session& sql) -> core::Result<std::string> {
    AccountRepository repository(sql);
    const auto account = repository.FindAccountById(account_id);
    if (!account) return NotFound("", "unknown account");
    if (account->status == "disabled") return Conflict("Ce compte est désactivé.", "disabled");
    if (kind == LinkKind::kTotpReset && (account->status != "active" || !account->password_hash)) {
      return Conflict("Ce compte n’a pas encore terminé son inscription : réinitialisez plutôt son mot de passe.",
                      "not active");
    }
    repository.CloseInvitationsOf(account_id, now);
    const std::size_t killed = sessions_.KillAllOf(sql, account_id);
    repository.SetTotp(account_id, std::nullopt, 0, now);
    if (kind == LinkKind::kPasswordReset) {
      repository.UpdatePassword(account_id, std::nullopt, std::nullopt, std::nullopt, std::nullopt, now);
      repository.ClearMembershipKeys(account_id);
    }
    InvitationRow link;
    link.token_hash = LinkIdOf(token);
    link.account_id = account_id;
    link.kind = std::string(KindCode(kind));
    link.created_at = now;
    link.expires_at = now + kLinkLifetime.count();
    repository.InsertInvitation(link);
    Audit(sql, AccountActor(actor.account_id), kind == LinkKind::kTotpReset ? "totp.reset" : "password.reset",
          "account:" + account_id, "", now);
    Audit(sql, AccountActor(actor.account_id), "session.killed", "account:" + account_id,
          std::string(KindCode(kind)) + ":" + std::to_string(killed), now);
    return token;
  });
}

core::Result<std::string> AccountService::ResetTotp(const Principal& actor, const std::string& account_id) {
  return NewLink(actor, account_id, LinkKind::kTotpReset);
}

core::Result<std::string> AccountService::ResetPassword(const Principal& actor, const std::string& account_id) {
  return NewLink(actor, account_id, LinkKind::kPasswordReset);
}

// ---- organization members and keys ----

std::optional<std::string> AccountService::OrganizationName(const std::string& organization_id) {
  soci::session sql(db_.pool());
  const auto org = AccountRepository(sql).FindOrganization(organization_id);
  if (!org) return std::nullopt;
  return org->name;
}

std::vector<MemberView> AccountService::Members(const Principal& viewer, const std::string& organization_id) {
  if (!viewer.IsMemberOf(organization_id)) return {};
  soci::session sql(db_.pool());
  AccountRepository repository(sql);
  std::vector<MemberView> members;
  for (const MembershipRow& m : repository.MembersOf(organization_id)) {
    const auto account = repository.FindAccountById(m.account_id);
    if (!account) continue;
    members.push_back(MemberView{account->id, account->email, account->status, m.wrapped_key.has_value(),
                                 m.granted_key.has_value(),
                                 account->status == "active" && account->public_key.has_value()});
  }
  return members;
}

std::vector<OrganizationAccess> AccountService::AccessOf(const Principal& principal) {
  if (principal.role != Role::kMember) return {};
  std::vector<MembershipRow> memberships;
  std::vector<std::string> names;
  {
    soci::session sql(db_.pool());
    AccountRepository repository(sql);
    memberships = repository.Memberships(principal.account_id);
    for (const MembershipRow& m : memberships) {
      const auto org = repository.FindOrganization(m.organization_id);
      names.push_back(org ? org->name : m.organization_id);
    }
  }
  std::vector<OrganizationAccess> access;
  for (std::size_t i = 0; i < memberships.size(); ++i) {
    const std::string& org = memberships[i].organization_id;
    access.push_back(OrganizationAccess{org, names[i], sessions_.OrganizationKey(principal, org).has_value(),
                                        memberships[i].granted_key.has_value()});
  }
  return access;
}

core::Result<core::Ok> AccountService::Grant(const Principal& granter, const std::string& organization_id,
                                             const std::string& grantee_account_id) {
  if (!granter.IsMemberOf(organization_id)) return NotFound("", "not a member");
  const auto key = sessions_.OrganizationKey(granter, organization_id);
  if (!key) {
    return core::Error{core::ErrorCode::kForbidden,
                       "Vous n’avez pas vous-même accès aux demandes de cette organisation : vous ne pouvez pas le donner.",
                       "granter without key"};
  }
  const long long now = Now();
  return db_.InTransaction([&](soci::session& sql) -> core::Result<core::Ok> {
    AccountRepository repository(sql);
    const auto membership = repository.FindMembership(grantee_account_id, organization_id);
    const auto grantee = repository.FindAccountById(grantee_account_id);
    if (!membership || !grantee) return NotFound("", "not a member of this organization");
    if (membership->wrapped_key) return Conflict("Ce membre a déjà accès aux demandes.", "has key");
    if (grantee->status != "active" || !grantee->public_key) {
      return Conflict("Ce membre n’a pas encore terminé son inscription : donnez-lui l’accès ensuite.", "not active");
    }
    // The key of this session must still be the organization's (not replaced by a rotation).
    if (referral::LockOrganizationKey(sql, organization_id) != core::Base64UrlEncode(key->public_key)) {
      return Conflict("La clé de l’organisation a changé : déconnectez-vous et reconnectez-vous pour recevoir la "
                      "nouvelle, puis donnez l’accès.",
                      "stale session key");
    }
    const auto public_key = core::Base64UrlDecode(*grantee->public_key);
    if (!public_key) throw core::InfrastructureError("accounts: malformed account public key");
    repository.SetGrant(grantee_account_id, organization_id, referral::Seal(key->secret_key, *public_key),
                        granter.account_id, now);
    Audit(sql, AccountActor(granter.account_id), "key.granted", "account:" + grantee_account_id,
          "organization:" + organization_id, now);
    return core::Ok{};
  });
}

core::Result<core::Ok> AccountService::Recover(const Principal& principal, const std::string& organization_id,
                                               const std::string& recovery_code, const std::string& password) {
  if (!principal.IsMemberOf(organization_id)) return NotFound("", "not a member");
  const long long now = Now();
  const core::Error wrong = Invalid("Le code de récupération ou le mot de passe est incorrect.", "wrong recovery");
  if (password.size() > kMaxPasswordBytes || recovery_code.size() > 100) return wrong;
  const auto keys = throttle_.KeysFor(principal.email, "recovery:" + principal.session_id);
  auto slot = hashes_.Acquire(config_.hash_wait);
  if (!slot) return Busy();
  if (CountAttempt(keys, now).count() > 0) {
    return core::Error{core::ErrorCode::kRateLimited, "Trop de tentatives. Réessayez dans quelques minutes.", "throttled"};
  }
  std::optional<AccountRow> account;
  std::optional<RecoveryRow> recovery;
  std::optional<std::string> public_key;
  {
    soci::session sql(db_.pool());
    AccountRepository repository(sql);
    account = repository.FindAccountById(principal.account_id);
    recovery = repository.FindRecovery(organization_id);
    public_key = repository.OrganizationPublicKey(organization_id);
  }
  if (!recovery || !public_key) {
    return Conflict("Cette organisation n’a pas de code de récupération : demandez l’accès à un autre membre.",
                    "no recovery");
  }
  if (!account || !account->password_hash || !VerifyPassword(*account->password_hash, password)) return wrong;
  const auto secret = UnwrapWithPassword(CanonicalRecoveryCode(recovery_code), recovery->wrapped_key, recovery->key_salt,
                                         RecoveryContext(organization_id));
  if (!secret) return wrong;
  const referral::KeyPair pair = KeyPairFromSecret(*secret);
  if (core::Base64UrlEncode(pair.public_key) != *public_key) {
    return Conflict("Ce code de récupération ne correspond plus à la clé de l’organisation.", "stale recovery");
  }
  const PasswordWrap wrap = WrapForPassword(password, *secret, MembershipContext(account->id, organization_id));
  slot.reset();
  return db_.InTransaction([&](soci::session& sql) -> core::Result<core::Ok> {
    AccountRepository repository(sql);
    // A key rotation may have replaced the key (and the code) since it was read.
    if (referral::LockOrganizationKey(sql, organization_id) != *public_key) {
      return Conflict("Ce code de récupération ne correspond plus à la clé de l’organisation.", "stale recovery");
    }
    repository.SetMembershipKey(account->id, organization_id, wrap.wrapped, wrap.salt);
    throttle_.RecordSuccess(repository, keys, now);
    Audit(sql, AccountActor(account->id), "key.recovered", "organization:" + organization_id, "", now);
    sessions_.AddOrganizationKey(sql, principal, organization_id, pair);
    return core::Ok{};
  });
}

// ---- key rotation (docs/adr/0010) ----

namespace {

core::Error NoApprovedRotation() {
  return Conflict("Aucun changement de clé approuvé n’attend pour cette organisation : demandez-le depuis le profil "
                  "de l’organisation, puis attendez l’accord de la coordination du territoire.",
                  "no approved rotation");
}

}  // namespace

KeyRotationState AccountService::KeyRotationStateOf(const Principal& principal, const std::string& organization_id) {
  if (!principal.IsMemberOf(organization_id)) return {};
  KeyRotationState state;
  {
    soci::session sql(db_.pool());
    state.approved = profile::ApprovedKeyRotation(sql, organization_id).has_value();
  }
  state.has_key = sessions_.OrganizationKey(principal, organization_id).has_value();
  return state;
}

core::Result<KeyRotated> AccountService::RotateOrganizationKey(const Principal& principal,
                                                               const std::string& organization_id,
                                                               const std::string& password) {
  // Coordinators and operators are never members: they never get this far, nor hold a key.
  if (!principal.IsMemberOf(organization_id)) return NotFound("", "not a member");
  const auto old_keys = sessions_.OrganizationKey(principal, organization_id);
  if (!old_keys) {
    return core::Error{core::ErrorCode::kForbidden,
                       "Vous n’avez pas accès aux demandes de cette organisation : seul un membre qui y a accès peut "
                       "changer sa clé.",
                       "no key in session"};
  }
  {
    soci::session sql(db_.pool());
    if (!profile::ApprovedKeyRotation(sql, organization_id)) return NoApprovedRotation();
  }
  const long long now = Now();
  const core::Error wrong = Invalid("Le mot de passe est incorrect.", "wrong password");
  if (password.empty() || password.size() > kMaxPasswordBytes) return wrong;
  const auto keys = throttle_.KeysFor(principal.email, "rekey:" + principal.session_id);
  auto slot = hashes_.Acquire(config_.hash_wait);
  if (!slot) return Busy();
  if (CountAttempt(keys, now).count() > 0) {
    return core::Error{core::ErrorCode::kRateLimited, "Trop de tentatives. Réessayez dans quelques minutes.", "throttled"};
  }
  std::optional<AccountRow> account;
  {
    soci::session sql(db_.pool());
    account = AccountRepository(sql).FindAccountById(principal.account_id);
  }
  if (!account || !account->password_hash || !VerifyPassword(*account->password_hash, password)) return wrong;
  // The slow work (three Argon2id in all) before the transaction, inside the hash slot.
  const referral::KeyPair fresh = referral::GenerateKeyPair();
  const PasswordWrap own_wrap =
      WrapForPassword(password, fresh.secret_key, MembershipContext(account->id, organization_id));
  KeyRotated done;
  done.recovery_code = NewRecoveryCode();
  const RecoveryRow recovery = NewRecovery(organization_id, fresh.secret_key, done.recovery_code, now);
  slot.reset();

  soci::session sql(db_.pool());
  storage::Database::Transaction tx(sql, db_.backend());  // rolled back by any return before Commit
  AccountRepository repository(sql);
  // The lock every sealing path takes (src/referral/rekey.h): a referral sent meanwhile waits and
  // is then sealed to the new key, or was committed before and is re-sealed below.
  const auto locked = referral::LockOrganizationKey(sql, organization_id);
  if (locked != core::Base64UrlEncode(old_keys->public_key)) {
    return Conflict("La clé de l’organisation a déjà changé entre-temps. Déconnectez-vous et reconnectez-vous pour "
                    "recevoir la nouvelle.",
                    "key changed meanwhile");
  }
  const auto request_id = profile::ApprovedKeyRotation(sql, organization_id);
  if (!request_id) return NoApprovedRotation();
  done.request_id = *request_id;
  auto resealed = referral::ResealOrganization(sql, organization_id, *old_keys, fresh.public_key);
  if (!resealed) {
    spdlog::warn("event=key_rotation_refused organization={} reason={}", organization_id,
                 resealed.error().internal_detail);
    return resealed.error();
  }
  done.referrals = resealed.value().referrals;
  done.items = resealed.value().items;
  referral::ReplaceOrganizationKey(sql, organization_id, fresh.public_key,
                                   core::ParisDate(std::chrono::system_clock::time_point(std::chrono::seconds(now))));

  const std::string actor = AccountActor(account->id);
  for (const MembershipRow& m : repository.MembersOf(organization_id)) {
    if (m.account_id == account->id) {
      repository.SetMembershipKey(account->id, organization_id, own_wrap.wrapped, own_wrap.salt);
      continue;
    }
    if (!m.wrapped_key && !m.granted_key) continue;  // had no access: nothing to give back
    const auto member = repository.FindAccountById(m.account_id);
    const auto member_key = member && member->status == "active" && member->public_key
                                ? core::Base64UrlDecode(*member->public_key)
                                : std::nullopt;
    if (member_key && member_key->size() == crypto_box_PUBLICKEYBYTES) {
      repository.ReplaceWithGrant(m.account_id, organization_id, referral::Seal(fresh.secret_key, *member_key),
                                  account->id, now);
      Audit(sql, actor, "key.granted", "account:" + m.account_id, "organization:" + organization_id + " key_rotation",
            now);
      ++done.grants;
    } else {
      repository.ClearMembershipKey(m.account_id, organization_id);
      ++done.access_removed;
    }
    // Their sessions hold the old key, which opens nothing any more: they sign in again and
    // receive the new one through the grant.
    const std::size_t killed = sessions_.KillAllOf(sql, m.account_id);
    if (killed > 0) {
      Audit(sql, actor, "session.killed", "account:" + m.account_id, "key_rotation:" + std::to_string(killed), now);
    }
    done.sessions_killed += killed;
  }
  // The applying member's other sessions (another browser) hold the old key too.
  if (const std::size_t killed = repository.DeleteSessionsOfExcept(account->id, principal.session_id); killed > 0) {
    Audit(sql, actor, "session.killed", "account:" + account->id, "key_rotation:" + std::to_string(killed), now);
    done.sessions_killed += killed;
  }
  done.invitations = repository.DropCarriedKeys(organization_id);
  repository.ReplaceRecovery(recovery);
  profile::MarkKeyRotationApplied(sql, organization_id, now);
  sessions_.AddOrganizationKey(sql, principal, organization_id, fresh);
  throttle_.RecordSuccess(repository, keys, now);
  Audit(sql, actor, "organization.key_rotated", "organization:" + organization_id,
        "request:" + done.request_id + " referrals:" + std::to_string(done.referrals) +
            " items:" + std::to_string(done.items) + " grants:" + std::to_string(done.grants) +
            " access_removed:" + std::to_string(done.access_removed) +
            " invitations:" + std::to_string(done.invitations) +
            " sessions_killed:" + std::to_string(done.sessions_killed),
        now);
  tx.Commit();
  spdlog::info("event=organization_key_rotated organization={} referrals={} items={} grants={} sessions_killed={}",
               organization_id, done.referrals, done.items, done.grants, done.sessions_killed);
  return done;
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
