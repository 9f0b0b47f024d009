#include "org_keys/service.h"

#include "core/crypto.h"
#include "core/paris_time.h"
#include "org_keys/repository.h"

namespace passerelle::org_keys {

std::optional<std::string> PublicKeyOf(storage::Database& db, const std::string& organization_id) {
  soci::session sql(db.pool());
  const auto stored = OrganizationKeyRepository(sql).PublicKeyOf(organization_id);
  if (!stored) return std::nullopt;
  return core::Base64UrlDecode(*stored);
}

void SetPublicKey(storage::Database& db, const std::string& organization_id, std::string_view public_key,
                  std::chrono::system_clock::time_point now) {
  db.InTransaction([&](soci::session& sql) {
    OrganizationKeyRepository(sql).Save(organization_id, core::Base64UrlEncode(public_key), core::ParisDate(now));
  });
}

std::optional<std::string> LockOrganizationKey(soci::session& sql, const std::string& organization_id) {
  return OrganizationKeyRepository(sql).Lock(organization_id);
}

void ReplaceOrganizationKey(soci::session& sql, const std::string& organization_id, std::string_view public_key,
                            const std::string& day) {
  OrganizationKeyRepository(sql).Replace(organization_id, core::Base64UrlEncode(public_key), day);
}

}  // namespace passerelle::org_keys
