#include "accounts/session.h"

#include <sodium.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "accounts/keys.h"
#include "accounts/repository.h"
#include "accounts/secrets.h"
#include "core/error.h"

namespace passerelle::accounts {

namespace {

constexpr std::size_t kTokenBytes = 32;
// The idle timer is written at most this often (each /pro page would otherwise write).
constexpr long long kTouchEverySeconds = 15;

long long Seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::string SessionContext(std::string_view session_id) { return "session|" + std::string(session_id); }

std::string Raw32(std::string_view key, std::string_view data) {
  std::string out(32, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                     reinterpret_cast<const unsigned char*>(key.data()), key.size());
  return out;
}

// {organization id: base64url secret key}
std::string BoxOf(const std::map<std::string, org_keys::KeyPair>& keys) {
  nlohmann::json box = nlohmann::json::object();
  for (const auto& [organization_id, pair] : keys) box[organization_id] = core::Base64UrlEncode(pair.secret_key);
  return box.dump();
}

}  // namespace

std::string_view RoleCode(Role role) {
  switch (role) {
    case Role::kMember:
      return "member";
    case Role::kCoordinator:
      return "coordinator";
    case Role::kOperator:
      return "operator";
  }
  return "member";
}

std::optional<Role> ParseRole(std::string_view code) {
  if (code == "member") return Role::kMember;
  if (code == "coordinator") return Role::kCoordinator;
  if (code == "operator") return Role::kOperator;
  return std::nullopt;
}

bool Principal::IsMemberOf(std::string_view organization_id) const {
  return role == Role::kMember &&
         std::find(organization_ids.begin(), organization_ids.end(), organization_id) != organization_ids.end();
}

SessionStore::SessionStore(storage::Database& db, const core::ServerKey& server_key, Clock clock,
                           SessionTimeouts timeouts)
    : db_(db), box_key_(server_key.Derive("sesskeys")), clock_(std::move(clock)), timeouts_(timeouts) {}

std::string SessionStore::IdOf(std::string_view token) {
  return core::HashHex("passerelle-session|" + std::string(token), 32);
}

std::string SessionStore::CsrfScopeOf(std::string_view token) { return "pro:" + IdOf(token); }

std::string SessionStore::BoxKey(std::string_view token) const { return Raw32(box_key_, token); }

std::string SessionStore::Create(soci::session& sql, const std::string& account_id, Role role,
                                 const std::map<std::string, org_keys::KeyPair>& organization_keys) {
  const std::string token = core::Base64UrlEncode(core::RandomBytes(kTokenBytes));
  const long long now = Seconds(clock_());
  SessionRow row{IdOf(token), account_id, now, now, std::nullopt};
  // Only a member's session may ever hold an organization key.
  if (role == Role::kMember && !organization_keys.empty()) {
    row.key_box = Wrap(BoxKey(token), BoxOf(organization_keys), SessionContext(row.id));
  }
  AccountRepository(sql).InsertSession(row);
  return token;
}

bool SessionStore::IsLive(std::string_view token) const {
  if (token.empty() || token.size() > 100) return false;
  const long long now = Seconds(clock_());
  soci::session sql(db_.pool());
  const auto session = AccountRepository(sql).FindSession(IdOf(token));
  return session && now - session->last_seen_at <= timeouts_.idle.count() &&
         now - session->created_at <= timeouts_.absolute.count();
}

std::optional<Principal> SessionStore::Resume(std::string_view token) {
  if (token.empty() || token.size() > 100) return std::nullopt;
  const std::string id = IdOf(token);
  const long long now = Seconds(clock_());
  soci::session sql(db_.pool());
  AccountRepository repository(sql);
  const auto session = repository.FindSession(id);
  if (!session) return std::nullopt;
  const auto account = repository.FindAccountById(session->account_id);
  const auto role = account ? ParseRole(account->role) : std::nullopt;
  const bool expired =
      now - session->last_seen_at > timeouts_.idle.count() || now - session->created_at > timeouts_.absolute.count();
  if (expired || !account || !role || account->status != AccountStatus::kActive) {
    repository.DeleteSession(id);
    return std::nullopt;
  }
  if (now - session->last_seen_at >= kTouchEverySeconds) repository.TouchSession(id, now);
  Principal principal;
  principal.account_id = account->id;
  principal.email = account->email;
  principal.role = *role;
  if (*role == Role::kMember) {
    for (const MembershipRow& m : repository.Memberships(account->id))
      principal.organization_ids.push_back(m.organization_id);
  }
  if (*role == Role::kCoordinator) principal.territory_slug = account->territory_slug.value_or("");
  principal.session_id = id;
  principal.key_box_key = BoxKey(token);
  return principal;
}

std::optional<org_keys::KeyPair> SessionStore::OrganizationKey(const Principal& principal,
                                                               std::string_view organization_id) {
  if (principal.role != Role::kMember || !principal.IsMemberOf(organization_id)) return std::nullopt;
  soci::session sql(db_.pool());
  const auto session = AccountRepository(sql).FindSession(principal.session_id);
  if (!session || !session->key_box || session->account_id != principal.account_id) return std::nullopt;
  const auto box = Unwrap(principal.key_box_key, *session->key_box, SessionContext(session->id));
  if (!box) return std::nullopt;
  const auto keys = nlohmann::json::parse(*box, nullptr, false);
  if (!keys.is_object()) return std::nullopt;
  const auto it = keys.find(std::string(organization_id));
  if (it == keys.end() || !it->is_string()) return std::nullopt;
  const auto secret = core::Base64UrlDecode(it->get<std::string>());
  if (!secret || secret->size() != crypto_box_SECRETKEYBYTES) return std::nullopt;
  return KeyPairFromSecret(*secret);
}

void SessionStore::AddOrganizationKey(const Principal& principal, const std::string& organization_id,
                                      const org_keys::KeyPair& keys) {
  db_.InTransaction([&](soci::session& sql) { AddOrganizationKey(sql, principal, organization_id, keys); });
}

void SessionStore::AddOrganizationKey(soci::session& sql, const Principal& principal,
                                      const std::string& organization_id, const org_keys::KeyPair& keys) {
  if (principal.role != Role::kMember) throw core::InfrastructureError("accounts: only a member's session holds keys");
  AccountRepository repository(sql);
  const auto session = repository.FindSession(principal.session_id);
  if (!session) return;
  nlohmann::json box = nlohmann::json::object();
  if (session->key_box) {
    if (const auto opened = Unwrap(principal.key_box_key, *session->key_box, SessionContext(session->id))) {
      box = nlohmann::json::parse(*opened, nullptr, false);
      if (!box.is_object()) box = nlohmann::json::object();
    }
  }
  box[organization_id] = core::Base64UrlEncode(keys.secret_key);
  repository.SetSessionKeyBox(session->id, Wrap(principal.key_box_key, box.dump(), SessionContext(session->id)));
}

bool SessionStore::Kill(soci::session& sql, const std::string& session_id) {
  return AccountRepository(sql).DeleteSession(session_id);
}

std::size_t SessionStore::KillAllOf(soci::session& sql, const std::string& account_id) {
  return AccountRepository(sql).DeleteSessionsOf(account_id);
}

}  // namespace passerelle::accounts
