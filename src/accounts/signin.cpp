#include "accounts/service.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <map>

#include "accounts/keys.h"
#include "accounts/repository.h"
#include "accounts/secrets.h"
#include "accounts/service_internal.h"
#include "accounts/totp.h"
#include "org_keys/sealing.h"

// AccountService: sign-in, sign-out and password change (the rest: service.cpp, members.cpp).
namespace passerelle::accounts {

using namespace detail;

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
    if (account->status != AccountStatus::kActive || !account->totp_secret) {
      failure = "status_" + std::string(CodeOf(account->status));
    } else if (const auto secret = Unwrap(totp_key_, *account->totp_secret, TotpContext(account->id))) {
      step = MatchTotp(*secret, request.code, clock_(), account->totp_last_step);
      if (step) {
        // Consumed at once: the same code cannot open a second session, even in a parallel request.
        const bool accepted = db_.InTransaction(
            [&](soci::session& sql) { return AccountRepository(sql).AcceptTotpStep(account->id, *step); });
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
  std::map<std::string, org_keys::KeyPair> organization_keys;
  struct Converted {
    std::string organization_id;
    PasswordWrap wrap;
    std::string grant_read;  // written only if the grant is still this one (a key rotation may replace it)
  };
  std::vector<Converted> converted;                   // grants turned into password wraps
  std::map<std::string, std::string> unwrapped_from;  // organization → the wrap its key came from
  const auto role = ParseRole(account->role).value_or(Role::kCoordinator);
  if (role == Role::kMember) {
    std::vector<MembershipRow> memberships;
    {
      soci::session sql(db_.pool());
      memberships = AccountRepository(sql).Memberships(account->id);
    }
    std::optional<org_keys::KeyPair> account_keys;
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
      if (const auto org_secret = org_keys::Open(*m.granted_key, *account_keys)) {
        organization_keys.emplace(m.organization_id, KeyPairFromSecret(*org_secret));
        converted.push_back(
            Converted{m.organization_id, WrapForPassword(password, *org_secret, context), *m.granted_key});
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
      Audit(sql, AccountActor(principal.account_id), "session.killed", "account:" + principal.account_id, "logout",
            now);
    }
  });
}

core::Result<std::string> AccountService::ChangePassword(const Principal& principal, const std::string& current,
                                                         const std::string& password, const std::string& confirmation) {
  const long long now = Now();
  if (password != confirmation)
    return Invalid("Les deux nouveaux mots de passe ne sont pas identiques.", "confirmation differs");
  if (password.size() > kMaxPasswordBytes || current.size() > kMaxPasswordBytes) {
    return Invalid("Le mot de passe doit contenir au plus 500 caractères.", "too long");
  }
  if (auto checked = policy_.Check(password, principal.email); !checked) return checked.error();
  if (password == current) return Invalid("Le nouveau mot de passe doit être différent de l’actuel.", "same password");
  const auto keys = throttle_.KeysFor(principal.email, "session:" + principal.session_id);
  auto slot = hashes_.Acquire(config_.hash_wait);
  if (!slot) return Busy();
  if (CountAttempt(keys, now).count() > 0) {
    return core::Error{core::ErrorCode::kRateLimited, "Trop de tentatives. Réessayez dans quelques minutes.",
                       "throttled"};
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
  std::map<std::string, org_keys::KeyPair> organization_keys;
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
  org_keys::KeyPair account_keys;
  if (const auto secret = UnwrapWithPassword(current, account->secret_wrapped, account->secret_salt,
                                             AccountSecretContext(account->id))) {
    account_keys = KeyPairFromSecret(*secret);
  } else {
    account_keys = org_keys::GenerateKeyPair();
  }
  const PasswordWrap account_wrap =
      WrapForPassword(password, account_keys.secret_key, AccountSecretContext(account->id));
  const std::string hash = HashPassword(password);
  slot.reset();
  return db_.InTransaction([&](soci::session& sql) -> core::Result<std::string> {
    AccountRepository repository(sql);
    repository.UpdatePassword(account->id, hash, core::Base64UrlEncode(account_keys.public_key), account_wrap.wrapped,
                              account_wrap.salt, now);
    for (const Rewrap& r : wraps) {
      if (!repository.RewrapMembershipKey(account->id, r.organization_id, r.wrap.wrapped, r.wrap.salt,
                                          r.wrapped_read)) {
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

}  // namespace passerelle::accounts
