#include "referral/repository.h"

namespace passerelle::referral {

namespace {

constexpr const char* kSelectPublicKey = "SELECT public_key FROM organization_key WHERE organization_id = :id";
constexpr const char* kDeletePublicKey = "DELETE FROM organization_key WHERE organization_id = :id";
constexpr const char* kInsertPublicKey =
    "INSERT INTO organization_key (organization_id, public_key, created_on) VALUES (:id, :key, :day)";

constexpr const char* kReferralColumns =
    "SELECT id, idempotency_key, territory_slug, organization_id, service_id, status, sealed_report, "
    "followup_lookup, followup_hash, person_public_key, person_key_salt, handover_consent, created_on, "
    "status_changed_on FROM referral ";
constexpr const char* kInsertReferral =
    "INSERT INTO referral (id, idempotency_key, territory_slug, organization_id, service_id, status, sealed_report, "
    "followup_lookup, followup_hash, person_public_key, person_key_salt, handover_consent, created_on, "
    "status_changed_on) VALUES (:id, :idem, :territory, :org, :service, :status, :report, :lookup, :hash, :pk, "
    ":salt, :handover, :created, :changed)";
constexpr const char* kWithdraw =
    "UPDATE referral SET status = 'withdrawn', sealed_report = NULL, followup_lookup = NULL, followup_hash = NULL, "
    "person_public_key = NULL, person_key_salt = NULL, status_changed_on = :day WHERE id = :id";
constexpr const char* kDeleteMessages = "DELETE FROM referral_message WHERE referral_id = :id";
constexpr const char* kSelectMessages =
    "SELECT id, referral_id, sender, sealed_body, created_on, sort_order FROM referral_message "
    "WHERE referral_id = :id ORDER BY sort_order";
constexpr const char* kNextMessageOrder =
    "SELECT COALESCE(MAX(sort_order), 0) + 1 FROM referral_message WHERE referral_id = :id";
constexpr const char* kInsertMessage =
    "INSERT INTO referral_message (id, referral_id, sender, sealed_body, created_on, sort_order) "
    "VALUES (:id, :referral, :sender, :body, :day, :sort_order)";

std::vector<ReferralRow> SelectReferrals(soci::session& sql, const std::string& where, const std::string& value) {
  std::vector<ReferralRow> rows;
  ReferralRow r;
  soci::statement st = (sql.prepare << std::string(kReferralColumns) + where, soci::into(r.id),
                        soci::into(r.idempotency_key), soci::into(r.territory_slug), soci::into(r.organization_id),
                        soci::into(r.service_id), soci::into(r.status), soci::into(r.sealed_report),
                        soci::into(r.followup_lookup), soci::into(r.followup_hash), soci::into(r.person_public_key),
                        soci::into(r.person_key_salt), soci::into(r.handover_consent), soci::into(r.created_on),
                        soci::into(r.status_changed_on), soci::use(value));
  st.execute();
  while (st.fetch()) rows.push_back(r);
  return rows;
}

std::optional<ReferralRow> First(std::vector<ReferralRow> rows) {
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

}  // namespace

std::optional<std::string> ReferralRepository::PublicKeyOf(const std::string& organization_id) {
  std::string key;
  soci::indicator ind = soci::i_null;
  sql_ << kSelectPublicKey, soci::into(key, ind), soci::use(organization_id);
  if (!sql_.got_data() || ind != soci::i_ok) return std::nullopt;
  return key;
}

void ReferralRepository::SavePublicKey(const std::string& organization_id, const std::string& public_key_b64,
                                       const std::string& day) {
  sql_ << kDeletePublicKey, soci::use(organization_id);
  sql_ << kInsertPublicKey, soci::use(organization_id, "id"), soci::use(public_key_b64, "key"), soci::use(day, "day");
}

std::optional<ReferralRow> ReferralRepository::FindByIdempotencyKey(const std::string& key) {
  return First(SelectReferrals(sql_, "WHERE idempotency_key = :v", key));
}

std::optional<ReferralRow> ReferralRepository::FindById(const std::string& id) {
  return First(SelectReferrals(sql_, "WHERE id = :v", id));
}

std::vector<ReferralRow> ReferralRepository::FindByLookup(const std::string& lookup) {
  return SelectReferrals(sql_, "WHERE followup_lookup = :v", lookup);
}

void ReferralRepository::Insert(const ReferralRow& r) {
  sql_ << kInsertReferral, soci::use(r.id, "id"), soci::use(r.idempotency_key, "idem"),
      soci::use(r.territory_slug, "territory"), soci::use(r.organization_id, "org"),
      soci::use(r.service_id, "service"), soci::use(r.status, "status"), soci::use(r.sealed_report, "report"),
      soci::use(r.followup_lookup, "lookup"), soci::use(r.followup_hash, "hash"),
      soci::use(r.person_public_key, "pk"), soci::use(r.person_key_salt, "salt"),
      soci::use(r.handover_consent, "handover"), soci::use(r.created_on, "created"),
      soci::use(r.status_changed_on, "changed");
}

void ReferralRepository::Withdraw(const std::string& id, const std::string& day) {
  sql_ << kDeleteMessages, soci::use(id);
  sql_ << kWithdraw, soci::use(day, "day"), soci::use(id, "id");
}

std::vector<MessageRow> ReferralRepository::Messages(const std::string& referral_id) {
  std::vector<MessageRow> rows;
  MessageRow m;
  soci::statement st = (sql_.prepare << kSelectMessages, soci::into(m.id), soci::into(m.referral_id),
                        soci::into(m.sender), soci::into(m.sealed_body), soci::into(m.created_on),
                        soci::into(m.sort_order), soci::use(referral_id));
  st.execute();
  while (st.fetch()) rows.push_back(m);
  return rows;
}

void ReferralRepository::InsertMessage(MessageRow row) {
  sql_ << kNextMessageOrder, soci::into(row.sort_order), soci::use(row.referral_id);
  sql_ << kInsertMessage, soci::use(row.id, "id"), soci::use(row.referral_id, "referral"),
      soci::use(row.sender, "sender"), soci::use(row.sealed_body, "body"), soci::use(row.created_on, "day"),
      soci::use(row.sort_order, "sort_order");
}

}  // namespace passerelle::referral
