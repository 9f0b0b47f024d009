#pragma once

#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"  // soci conversion of std::optional

namespace passerelle::referral {

// One referral row as stored: only sealed content, hashes and days.
struct ReferralRow {
  std::string id;
  std::string idempotency_key;
  std::string territory_slug;
  std::string organization_id;
  std::string service_id;
  std::string status;
  std::optional<std::string> sealed_report;
  std::optional<std::string> followup_lookup;
  std::optional<std::string> followup_hash;
  std::optional<std::string> person_public_key;  // base64url
  std::optional<std::string> person_key_salt;    // base64url
  int handover_consent = 0;
  std::string created_on;
  std::string status_changed_on;
};

struct MessageRow {
  std::string id;
  std::string referral_id;
  std::string sender;  // person | professional
  std::string sealed_body;
  std::string created_on;
  int sort_order = 0;
};

// The referral tables, on one leased session (inside the caller's transaction when it has one).
class ReferralRepository {
 public:
  explicit ReferralRepository(soci::session& sql) : sql_(sql) {}

  std::optional<std::string> PublicKeyOf(const std::string& organization_id);
  void SavePublicKey(const std::string& organization_id, const std::string& public_key_b64, const std::string& day);

  std::optional<ReferralRow> FindByIdempotencyKey(const std::string& key);
  std::optional<ReferralRow> FindById(const std::string& id);
  std::vector<ReferralRow> FindByLookup(const std::string& lookup);
  void Insert(const ReferralRow& row);
  // Removes every sealed part and the follow-up code; status becomes `withdrawn`.
  void Withdraw(const std::string& id, const std::string& day);

  std::vector<MessageRow> Messages(const std::string& referral_id);
  void InsertMessage(MessageRow row);

 private:
  soci::session& sql_;
};

}  // namespace passerelle::referral
