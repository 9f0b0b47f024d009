#pragma once

#include <soci/soci.h>

#include <optional>
#include <string>

// The `organization_key` table: each organization's public key (base64url), the one every
// referral of it is sealed to (docs/adr/0007, docs/adr/0010). Its only home: referrals read it
// to seal, accounts write it when an organization's keys are created, key rotation replaces it.
namespace passerelle::org_keys {

// On one leased session (inside the caller's transaction when it has one).
class OrganizationKeyRepository {
 public:
  explicit OrganizationKeyRepository(soci::session& sql) : sql_(sql) {}

  std::optional<std::string> PublicKeyOf(const std::string& organization_id);
  // A first key (the organization has none).
  void Insert(const std::string& organization_id, const std::string& public_key_b64, const std::string& day);
  // Deletes the organization's key, if any, and inserts this one (demo keys).
  void Save(const std::string& organization_id, const std::string& public_key_b64, const std::string& day);
  // The public key to seal to in a write transaction: locks the organization's key row until the
  // caller's transaction ends (a no-op UPDATE, portable), then reads it. A key rotation holds the
  // same lock (docs/adr/0010), so a writer waits for it and then seals to the new key, or the
  // rotation waits for the writer and then re-seals what it wrote.
  std::optional<std::string> Lock(const std::string& organization_id);
  // The new public key of a rotation (the row exists: it was locked first).
  void Replace(const std::string& organization_id, const std::string& public_key_b64, const std::string& day);

 private:
  soci::session& sql_;
};

}  // namespace passerelle::org_keys
