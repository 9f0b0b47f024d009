#include "accounts/service.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "accounts/keys.h"
#include "accounts/repository.h"
#include "accounts/secrets.h"
#include "accounts/service_internal.h"
#include "notify/outbox.h"
#include "org_keys/repository.h"
#include "org_keys/sealing.h"
#include "org_keys/service.h"

// AccountService: accounts of a territory, organization members, grants, recovery and the accounts' steps
// of a key rotation (the rest: service.cpp, signin.cpp).
namespace passerelle::accounts {

using namespace detail;

namespace {

// A one-time link of `kind` for the account, valid kLinkLifetime.
void InsertLink(AccountRepository& repository, const std::string& account_id, std::string kind,
                const std::string& token, long long now) {
  InvitationRow link;
  link.token_hash = LinkIdOf(token);
  link.account_id = account_id;
  link.kind = std::move(kind);
  link.created_at = now;
  link.expires_at = now + kLinkLifetime.count();
  repository.InsertInvitation(link);
}

}  // namespace

// ---- accounts of a territory ----

std::vector<AccountView> AccountService::ListAccounts(const Principal& principal) {
  if (principal.role == Role::kMember) return {};
  soci::session sql(db_.pool());
  AccountRepository repository(sql);
  std::vector<AccountView> views;
  const std::string territory = principal.role == Role::kOperator ? "" : principal.territory_slug;
  if (principal.role == Role::kCoordinator && territory.empty()) return {};
  for (const AccountRow& a : repository.ListAccounts(territory)) {
    AccountView view{a.id,     a.email, ParseRole(a.role).value_or(Role::kMember), a.territory_slug.value_or(""),
                     a.status, {}};
    for (const MembershipRow& m : repository.Memberships(a.id)) {
      const auto org = repository.FindOrganization(m.organization_id);
      view.organization_names.push_back(org ? org->name : m.organization_id);
    }
    views.push_back(std::move(view));
  }
  return views;
}

std::vector<ManagedMember> AccountService::MembersOfOrganization(const std::string& organization_id) {
  soci::session sql(db_.pool());
  AccountRepository repository(sql);
  const long long now = Now();
  std::vector<ManagedMember> members;
  for (const MembershipRow& m : repository.MembersOf(organization_id)) {
    const auto account = repository.FindAccountById(m.account_id);
    if (!account) continue;
    ManagedMember member{account->id, account->email, account->status, false};
    if (account->status == AccountStatus::kInvited) {
      const auto expiry = repository.OpenInvitationExpiry(account->id);
      member.invitation_expired = !expiry || *expiry <= now;
    }
    members.push_back(std::move(member));
  }
  return members;
}

core::Result<core::Ok> AccountService::Reenable(const Principal& actor, const std::string& account_id) {
  const long long now = Now();
  return db_.InTransaction([&](soci::session& sql) -> core::Result<core::Ok> {
    AccountRepository repository(sql);
    const auto account = repository.FindAccountById(account_id);
    if (!account) return NotFound("", "unknown account");
    if (account->status != AccountStatus::kDisabled) {
      return Conflict("Ce compte n’est pas désactivé.", "not disabled");
    }
    // Her enrolment finished (password and TOTP): she may sign in again; otherwise she needs a
    // new invitation.
    const bool enrolled = account->password_hash.has_value() && account->totp_secret.has_value();
    repository.SetStatus(account_id, enrolled ? AccountStatus::kActive : AccountStatus::kInvited, now);
    Audit(sql, AccountActor(actor.account_id), "account.enabled", "account:" + account_id,
          enrolled ? "active" : "invited", now);
    return core::Ok{};
  });
}

core::Result<ResentInvitation> AccountService::ResendInvitation(const Principal& actor, const std::string& account_id) {
  const long long now = Now();
  const std::string token = core::Base64UrlEncode(core::RandomBytes(kTokenBytes));
  return db_.InTransaction([&](soci::session& sql) -> core::Result<ResentInvitation> {
    AccountRepository repository(sql);
    const auto account = repository.FindAccountById(account_id);
    if (!account) return NotFound("", "unknown account");
    if (account->status != AccountStatus::kInvited) {
      return Conflict("Ce compte n’attend pas d’invitation.", "not invited");
    }
    // Every earlier link goes (with any key it carried: she then gets access by grant or by the
    // recovery code).
    // A first member's link (AddUser, CarriedKey::kAtEnrolment) stays hers: the new one creates
    // the keys too, and goes by e-mail to her address only.
    const std::optional<std::string> first_of = repository.FirstMemberOrganization(account_id);
    repository.CloseInvitationsOf(account_id, now);
    if (first_of) {
      InvitationRow link;
      link.token_hash = LinkIdOf(token);
      link.account_id = account_id;
      link.kind = "invite";
      link.organization_id = first_of;
      link.creates_keys = 1;
      link.created_at = now;
      link.expires_at = now + kLinkLifetime.count();
      repository.InsertInvitation(link);
    } else {
      InsertLink(repository, account_id, "invite", token, now);
    }
    Audit(sql, AccountActor(actor.account_id), "account.invitation_resent", "account:" + account_id, "", now);
    if (first_of) {
      notify::Enqueue(sql, account->email, notify::Kind::kInvitation,
                      std::chrono::system_clock::time_point(std::chrono::seconds(now)), "/pro/invitation/" + token);
      return ResentInvitation{"", true};
    }
    return ResentInvitation{token, false};
  });
}

core::Result<core::Ok> AccountService::Disable(const Principal& actor, const std::string& account_id) {
  if (account_id == actor.account_id) return Conflict("Vous ne pouvez pas désactiver votre propre compte.", "self");
  const long long now = Now();
  return db_.InTransaction([&](soci::session& sql) -> core::Result<core::Ok> {
    AccountRepository repository(sql);
    const auto account = repository.FindAccountById(account_id);
    if (!account) return NotFound("", "unknown account");
    if (account->status == AccountStatus::kDisabled) return core::Ok{};
    repository.SetStatus(account_id, AccountStatus::kDisabled, now);
    repository.CloseInvitationsOf(account_id, now);
    const std::size_t killed = sessions_.KillAllOf(sql, account_id);
    Audit(sql, AccountActor(actor.account_id), "account.disabled", "account:" + account_id, "", now);
    Audit(sql, AccountActor(actor.account_id), "session.killed", "account:" + account_id,
          "account_disabled:" + std::to_string(killed), now);
    return core::Ok{};
  });
}

core::Result<std::string> AccountService::NewLink(const Principal& actor, const std::string& account_id,
                                                  LinkKind kind) {
  if (account_id == actor.account_id) {
    return Conflict("Demandez à une autre personne de réinitialiser votre compte.", "self");
  }
  const long long now = Now();
  const std::string token = core::Base64UrlEncode(core::RandomBytes(kTokenBytes));
  return db_.InTransaction([&](soci::session& sql) -> core::Result<std::string> {
    AccountRepository repository(sql);
    const auto account = repository.FindAccountById(account_id);
    if (!account) return NotFound("", "unknown account");
    if (account->status == AccountStatus::kDisabled) return Conflict("Ce compte est désactivé.", "disabled");
    if (kind == LinkKind::kTotpReset && (account->status != AccountStatus::kActive || !account->password_hash)) {
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
    InsertLink(repository, account_id, std::string(KindCode(kind)), token, now);
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
                                 account->status == AccountStatus::kActive && account->public_key.has_value()});
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
    return core::Error{
        core::ErrorCode::kForbidden,
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
    if (grantee->status != AccountStatus::kActive || !grantee->public_key) {
      return Conflict("Ce membre n’a pas encore terminé son inscription : donnez-lui l’accès ensuite.", "not active");
    }
    // The key of this session must still be the organization's (not replaced by a rotation).
    if (org_keys::LockOrganizationKey(sql, organization_id) != core::Base64UrlEncode(key->public_key)) {
      return Conflict(
          "La clé de l’organisation a changé : déconnectez-vous et reconnectez-vous pour recevoir la "
          "nouvelle, puis donnez l’accès.",
          "stale session key");
    }
    const auto public_key = core::Base64UrlDecode(*grantee->public_key);
    if (!public_key) throw core::InfrastructureError("accounts: malformed account public key");
    repository.SetGrant(grantee_account_id, organization_id, org_keys::Seal(key->secret_key, *public_key),
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
    return core::Error{core::ErrorCode::kRateLimited, "Trop de tentatives. Réessayez dans quelques minutes.",
                       "throttled"};
  }
  std::optional<AccountRow> account;
  std::optional<RecoveryRow> recovery;
  std::optional<std::string> public_key;
  {
    soci::session sql(db_.pool());
    AccountRepository repository(sql);
    account = repository.FindAccountById(principal.account_id);
    recovery = repository.FindRecovery(organization_id);
    public_key = org_keys::OrganizationKeyRepository(sql).PublicKeyOf(organization_id);
  }
  if (!recovery || !public_key) {
    return Conflict("Cette organisation n’a pas de code de récupération : demandez l’accès à un autre membre.",
                    "no recovery");
  }
  if (!account || !account->password_hash || !VerifyPassword(*account->password_hash, password)) return wrong;
  const auto secret = UnwrapWithPassword(CanonicalRecoveryCode(recovery_code), recovery->wrapped_key,
                                         recovery->key_salt, RecoveryContext(organization_id));
  if (!secret) return wrong;
  const org_keys::KeyPair pair = KeyPairFromSecret(*secret);
  if (core::Base64UrlEncode(pair.public_key) != *public_key) {
    return Conflict("Ce code de récupération ne correspond plus à la clé de l’organisation.", "stale recovery");
  }
  const PasswordWrap wrap = WrapForPassword(password, *secret, MembershipContext(account->id, organization_id));
  slot.reset();
  return db_.InTransaction([&](soci::session& sql) -> core::Result<core::Ok> {
    AccountRepository repository(sql);
    // A key rotation may have replaced the key (and the code) since it was read.
    if (org_keys::LockOrganizationKey(sql, organization_id) != *public_key) {
      return Conflict("Ce code de récupération ne correspond plus à la clé de l’organisation.", "stale recovery");
    }
    repository.SetMembershipKey(account->id, organization_id, wrap.wrapped, wrap.salt);
    throttle_.RecordSuccess(repository, keys, now);
    Audit(sql, AccountActor(account->id), "key.recovered", "organization:" + organization_id, "", now);
    sessions_.AddOrganizationKey(sql, principal, organization_id, pair);
    return core::Ok{};
  });
}

// ---- key rotation (docs/adr/0010): the accounts' steps; key_rotation::KeyRotationService orders them ----

core::Result<PreparedKeyRotation> AccountService::PrepareKeyRotation(const Principal& principal,
                                                                     const std::string& organization_id,
                                                                     const std::string& password) {
  const long long now = Now();
  const core::Error wrong = Invalid("Le mot de passe est incorrect.", "wrong password");
  if (password.empty() || password.size() > kMaxPasswordBytes) return wrong;
  const auto keys = throttle_.KeysFor(principal.email, "rekey:" + principal.session_id);
  auto slot = hashes_.Acquire(config_.hash_wait);
  if (!slot) return Busy();
  if (CountAttempt(keys, now).count() > 0) {
    return core::Error{core::ErrorCode::kRateLimited, "Trop de tentatives. Réessayez dans quelques minutes.",
                       "throttled"};
  }
  std::optional<AccountRow> account;
  {
    soci::session sql(db_.pool());
    account = AccountRepository(sql).FindAccountById(principal.account_id);
  }
  if (!account || !account->password_hash || !VerifyPassword(*account->password_hash, password)) return wrong;
  // The slow work (three Argon2id in all) before the transaction, inside the hash slot.
  PreparedKeyRotation prepared;
  prepared.account_id = account->id;
  prepared.fresh = org_keys::GenerateKeyPair();
  const PasswordWrap own_wrap =
      WrapForPassword(password, prepared.fresh.secret_key, MembershipContext(account->id, organization_id));
  prepared.own_wrapped = own_wrap.wrapped;
  prepared.own_salt = own_wrap.salt;
  prepared.recovery_code = NewRecoveryCode();
  const RecoveryRow recovery = NewRecovery(organization_id, prepared.fresh.secret_key, prepared.recovery_code, now);
  prepared.recovery_wrapped = recovery.wrapped_key;
  prepared.recovery_salt = recovery.key_salt;
  prepared.throttle_keys = keys;
  prepared.now = now;
  return prepared;
}

MembersRekeyed AccountService::ApplyKeyRotation(soci::session& sql, const Principal& principal,
                                                const std::string& organization_id,
                                                const PreparedKeyRotation& prepared) {
  AccountRepository repository(sql);
  MembersRekeyed done;
  const long long now = prepared.now;
  const std::string actor = AccountActor(prepared.account_id);
  for (const MembershipRow& m : repository.MembersOf(organization_id)) {
    if (m.account_id == prepared.account_id) {
      repository.SetMembershipKey(prepared.account_id, organization_id, prepared.own_wrapped, prepared.own_salt);
      continue;
    }
    if (!m.wrapped_key && !m.granted_key) continue;  // had no access: nothing to give back
    const auto member = repository.FindAccountById(m.account_id);
    const auto member_key = member && member->status == AccountStatus::kActive && member->public_key
                                ? core::Base64UrlDecode(*member->public_key)
                                : std::nullopt;
    if (member_key && member_key->size() == crypto_box_PUBLICKEYBYTES) {
      repository.ReplaceWithGrant(m.account_id, organization_id, org_keys::Seal(prepared.fresh.secret_key, *member_key),
                                  prepared.account_id, now);
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
  if (const std::size_t killed = repository.DeleteSessionsOfExcept(prepared.account_id, principal.session_id);
      killed > 0) {
    Audit(sql, actor, "session.killed", "account:" + prepared.account_id, "key_rotation:" + std::to_string(killed),
          now);
    done.sessions_killed += killed;
  }
  done.invitations = repository.DropCarriedKeys(organization_id);
  repository.ReplaceRecovery(RecoveryRow{organization_id, prepared.recovery_wrapped, prepared.recovery_salt, now});
  sessions_.AddOrganizationKey(sql, principal, organization_id, prepared.fresh);
  throttle_.RecordSuccess(repository, prepared.throttle_keys, now);
  return done;
}

std::size_t MemberCount(storage::Database& db, const std::string& organization_id) {
  soci::session sql(db.pool());
  return AccountRepository(sql).MembersOf(organization_id).size();
}

}  // namespace passerelle::accounts
