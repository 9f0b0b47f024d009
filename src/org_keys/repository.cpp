#include "org_keys/repository.h"

namespace passerelle::org_keys {

namespace {

constexpr const char* kSelectPublicKey = "SELECT public_key FROM organization_key WHERE organization_id = :id";
constexpr const char* kDeletePublicKey = "DELETE FROM organization_key WHERE organization_id = :id";
constexpr const char* kInsertPublicKey =
    "INSERT INTO organization_key (organization_id, public_key, created_on) VALUES (:id, :key, :day)";
// Takes the row lock without changing anything (SQLite: the transaction already holds the write lock).
constexpr const char* kLockPublicKey =
    "UPDATE organization_key SET public_key = public_key WHERE organization_id = :id";
constexpr const char* kReplacePublicKey =
    "UPDATE organization_key SET public_key = :key, created_on = :day WHERE organization_id = :id";

}  // namespace

std::optional<std::string> OrganizationKeyRepository::PublicKeyOf(const std::string& organization_id) {
  std::string key;
  soci::indicator ind = soci::i_null;
  sql_ << kSelectPublicKey, soci::into(key, ind), soci::use(organization_id);
  if (!sql_.got_data() || ind != soci::i_ok) return std::nullopt;
  return key;
}

void OrganizationKeyRepository::Insert(const std::string& organization_id, const std::string& public_key_b64,
                                       const std::string& day) {
  sql_ << kInsertPublicKey, soci::use(organization_id, "id"), soci::use(public_key_b64, "key"), soci::use(day, "day");
}

void OrganizationKeyRepository::Save(const std::string& organization_id, const std::string& public_key_b64,
                                     const std::string& day) {
  sql_ << kDeletePublicKey, soci::use(organization_id);
  Insert(organization_id, public_key_b64, day);
}

std::optional<std::string> OrganizationKeyRepository::Lock(const std::string& organization_id) {
  sql_ << kLockPublicKey, soci::use(organization_id);
  return PublicKeyOf(organization_id);
}

void OrganizationKeyRepository::Replace(const std::string& organization_id, const std::string& public_key_b64,
                                        const std::string& day) {
  sql_ << kReplacePublicKey, soci::use(public_key_b64, "key"), soci::use(day, "day"), soci::use(organization_id, "id");
}

}  // namespace passerelle::org_keys
