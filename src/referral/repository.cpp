#include "referral/repository.h"

namespace passerelle::referral {

namespace {

constexpr const char* kResealReport =
    "UPDATE referral SET sealed_report = :new_sealed WHERE id = :id AND sealed_report = :old_sealed";
constexpr const char* kResealSummary =
    "UPDATE referral SET sealed_summary = :new_sealed WHERE id = :id AND sealed_summary = :old_sealed";
constexpr const char* kResealMessageBody =
    "UPDATE referral_message SET sealed_body = :new_sealed WHERE id = :id AND sealed_body = :old_sealed";
constexpr const char* kResealMessageCopy =
    "UPDATE referral_message SET sealed_copy = :new_sealed WHERE id = :id AND sealed_copy = :old_sealed";

constexpr const char* kReferralColumns =
    "SELECT id, idempotency_key, territory_slug, organization_id, service_id, status, sealed_report, "
    "followup_lookup, followup_hash, person_public_key, person_key_salt, handover_consent, created_on, "
    "status_changed_on, sealed_summary, outcome, refusal_reason, sealed_refusal_note, handed_over_from, "
    "handed_over_to, reminded_on, escalated_on, content_deleted_on, kind, callback_outcome FROM referral ";
constexpr const char* kInsertReferral =
    "INSERT INTO referral (id, idempotency_key, territory_slug, organization_id, service_id, status, sealed_report, "
    "followup_lookup, followup_hash, person_public_key, person_key_salt, handover_consent, created_on, "
    "status_changed_on, sealed_summary, handed_over_from, kind) VALUES (:id, :idem, :territory, :org, :service, "
    ":status, :report, :lookup, :hash, :pk, :salt, :handover, :created, :changed, :summary, :from_id, :kind)";
constexpr const char* kWithdraw =
    "UPDATE referral SET status = 'withdrawn', sealed_report = NULL, sealed_summary = NULL, sealed_refusal_note = "
    "NULL, "
    "followup_lookup = NULL, followup_hash = NULL, person_public_key = NULL, person_key_salt = NULL, "
    "status_changed_on = :day, content_deleted_on = :day2 WHERE id = :id";
constexpr const char* kDeleteMessages = "DELETE FROM referral_message WHERE referral_id = :id";
constexpr const char* kChangeStatus =
    "UPDATE referral SET status = :to, status_changed_on = :day, outcome = :outcome, refusal_reason = :reason, "
    "sealed_refusal_note = :note, acknowledged_on = COALESCE(acknowledged_on, :acknowledged), "
    "contacted_on = COALESCE(contacted_on, :contacted) WHERE id = :id AND status = :from";
// The follow-up code moves to the new row: her code then shows the current referral.
constexpr const char* kMarkHandedOver =
    "UPDATE referral SET status = 'handed_over', status_changed_on = :day, followup_lookup = NULL, "
    "followup_hash = NULL WHERE id = :id AND status = :from";
constexpr const char* kLinkHandedOver = "UPDATE referral SET handed_over_to = :to_id WHERE id = :id";
constexpr const char* kSelectMessages =
    "SELECT id, referral_id, sender, sealed_body, created_on, sort_order, sealed_copy, organization_id "
    "FROM referral_message WHERE referral_id = :id ORDER BY sort_order";
constexpr const char* kNextMessageOrder =
    "SELECT COALESCE(MAX(sort_order), 0) + 1 FROM referral_message WHERE referral_id = :id";
constexpr const char* kInsertMessage =
    "INSERT INTO referral_message (id, referral_id, sender, sealed_body, created_on, sort_order, sealed_copy, "
    "organization_id) VALUES (:id, :referral, :sender, :body, :day, :sort_order, :copy, :org)";
constexpr const char* kLastMessageDay = "SELECT MAX(created_on) FROM referral_message WHERE referral_id = :id";

constexpr const char* kSelectDelays =
    "SELECT reminder_days, escalation_days, expiry_days, retention_days FROM referral_delays "
    "WHERE territory_slug = :slug";
constexpr const char* kDeleteDelays = "DELETE FROM referral_delays WHERE territory_slug = :slug";
constexpr const char* kInsertDelays =
    "INSERT INTO referral_delays (territory_slug, reminder_days, escalation_days, expiry_days, retention_days, "
    "updated_at) VALUES (:slug, :reminder, :escalation, :expiry, :retention, :now)";
constexpr const char* kReferralTerritories = "SELECT DISTINCT territory_slug FROM referral ORDER BY territory_slug";
constexpr const char* kMarkReminded =
    "UPDATE referral SET reminded_on = :day WHERE id = :id AND reminded_on IS NULL AND status = 'new'";
constexpr const char* kMarkEscalated =
    "UPDATE referral SET escalated_on = :day WHERE id = :id AND escalated_on IS NULL AND status = 'new'";
constexpr const char* kExpire =
    "UPDATE referral SET status = 'expired', status_changed_on = :day WHERE id = :id AND status = :from";
constexpr const char* kDeleteContent =
    "UPDATE referral SET sealed_report = NULL, sealed_summary = NULL, sealed_refusal_note = NULL, "
    "content_deleted_on = :day WHERE id = :id AND content_deleted_on IS NULL";

std::vector<ReferralRow> SelectReferrals(soci::session& sql, const std::string& where,
                                         const std::vector<std::string>& values) {
  std::vector<ReferralRow> rows;
  ReferralRow r;
  soci::statement st(sql);
  st.alloc();
  st.prepare(std::string(kReferralColumns) + where);
  st.exchange(soci::into(r.id));
  st.exchange(soci::into(r.idempotency_key));
  st.exchange(soci::into(r.territory_slug));
  st.exchange(soci::into(r.organization_id));
  st.exchange(soci::into(r.service_id));
  st.exchange(soci::into(r.status));
  st.exchange(soci::into(r.sealed_report));
  st.exchange(soci::into(r.followup_lookup));
  st.exchange(soci::into(r.followup_hash));
  st.exchange(soci::into(r.person_public_key));
  st.exchange(soci::into(r.person_key_salt));
  st.exchange(soci::into(r.handover_consent));
  st.exchange(soci::into(r.created_on));
  st.exchange(soci::into(r.status_changed_on));
  st.exchange(soci::into(r.sealed_summary));
  st.exchange(soci::into(r.outcome));
  st.exchange(soci::into(r.refusal_reason));
  st.exchange(soci::into(r.sealed_refusal_note));
  st.exchange(soci::into(r.handed_over_from));
  st.exchange(soci::into(r.handed_over_to));
  st.exchange(soci::into(r.reminded_on));
  st.exchange(soci::into(r.escalated_on));
  st.exchange(soci::into(r.content_deleted_on));
  st.exchange(soci::into(r.kind));
  st.exchange(soci::into(r.callback_outcome));
  for (const std::string& value : values) st.exchange(soci::use(value));
  st.define_and_bind();
  st.execute();
  while (st.fetch()) rows.push_back(r);
  return rows;
}

std::optional<ReferralRow> First(std::vector<ReferralRow> rows) {
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

}  // namespace

namespace {

bool Reseal(soci::session& sql, const char* statement, const std::string& id, const std::string& old_sealed,
            const std::string& new_sealed) {
  soci::statement st = (sql.prepare << statement, soci::use(new_sealed, "new_sealed"), soci::use(id, "id"),
                        soci::use(old_sealed, "old_sealed"));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

}  // namespace

bool ReferralRepository::ResealReport(const std::string& id, const std::string& old_sealed,
                                      const std::string& new_sealed) {
  return Reseal(sql_, kResealReport, id, old_sealed, new_sealed);
}

bool ReferralRepository::ResealSummary(const std::string& id, const std::string& old_sealed,
                                       const std::string& new_sealed) {
  return Reseal(sql_, kResealSummary, id, old_sealed, new_sealed);
}

bool ReferralRepository::ResealMessageBody(const std::string& message_id, const std::string& old_sealed,
                                           const std::string& new_sealed) {
  return Reseal(sql_, kResealMessageBody, message_id, old_sealed, new_sealed);
}

bool ReferralRepository::ResealMessageCopy(const std::string& message_id, const std::string& old_sealed,
                                           const std::string& new_sealed) {
  return Reseal(sql_, kResealMessageCopy, message_id, old_sealed, new_sealed);
}

std::optional<ReferralRow> ReferralRepository::FindByIdempotencyKey(const std::string& key) {
  return First(SelectReferrals(sql_, "WHERE idempotency_key = :v", {key}));
}

std::optional<ReferralRow> ReferralRepository::FindById(const std::string& id) {
  return First(SelectReferrals(sql_, "WHERE id = :v", {id}));
}

std::vector<ReferralRow> ReferralRepository::FindByLookup(const std::string& lookup) {
  return SelectReferrals(sql_, "WHERE followup_lookup = :v", {lookup});
}

std::vector<ReferralRow> ReferralRepository::ListByOrganization(const std::string& organization_id) {
  return SelectReferrals(sql_, "WHERE organization_id = :v ORDER BY created_on DESC, id DESC", {organization_id});
}

void ReferralRepository::Insert(const ReferralRow& r) {
  sql_ << kInsertReferral, soci::use(r.id, "id"), soci::use(r.idempotency_key, "idem"),
      soci::use(r.territory_slug, "territory"), soci::use(r.organization_id, "org"), soci::use(r.service_id, "service"),
      soci::use(r.status, "status"), soci::use(r.sealed_report, "report"), soci::use(r.followup_lookup, "lookup"),
      soci::use(r.followup_hash, "hash"), soci::use(r.person_public_key, "pk"), soci::use(r.person_key_salt, "salt"),
      soci::use(r.handover_consent, "handover"), soci::use(r.created_on, "created"),
      soci::use(r.status_changed_on, "changed"), soci::use(r.sealed_summary, "summary"),
      soci::use(r.handed_over_from, "from_id"), soci::use(r.kind, "kind");
}

void ReferralRepository::Withdraw(const std::string& id, const std::string& day) {
  sql_ << kDeleteMessages, soci::use(id);
  sql_ << kWithdraw, soci::use(day, "day"), soci::use(day, "day2"), soci::use(id, "id");
}

bool ReferralRepository::ChangeStatus(const StatusChange& c) {
  // The first day of taking in hand and of contact, for the statistics (migration 0016).
  std::optional<std::string> acknowledged, contacted;
  if (c.to == "acknowledged" || c.to == "contacted") acknowledged = c.day;
  if (c.to == "contacted") contacted = c.day;
  soci::statement st = (sql_.prepare << kChangeStatus, soci::use(c.to, "to"), soci::use(c.day, "day"),
                        soci::use(c.outcome, "outcome"), soci::use(c.refusal_reason, "reason"),
                        soci::use(c.sealed_refusal_note, "note"), soci::use(acknowledged, "acknowledged"),
                        soci::use(contacted, "contacted"), soci::use(c.id, "id"), soci::use(c.from, "from"));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

bool ReferralRepository::MarkHandedOver(const std::string& id, const std::string& from, const std::string& day) {
  soci::statement st =
      (sql_.prepare << kMarkHandedOver, soci::use(day, "day"), soci::use(id, "id"), soci::use(from, "from"));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void ReferralRepository::LinkHandedOver(const std::string& id, const std::string& new_id) {
  sql_ << kLinkHandedOver, soci::use(new_id, "to_id"), soci::use(id, "id");
}

std::vector<MessageRow> ReferralRepository::Messages(const std::string& referral_id) {
  std::vector<MessageRow> rows;
  MessageRow m;
  soci::statement st =
      (sql_.prepare << kSelectMessages, soci::into(m.id), soci::into(m.referral_id), soci::into(m.sender),
       soci::into(m.sealed_body), soci::into(m.created_on), soci::into(m.sort_order), soci::into(m.sealed_copy),
       soci::into(m.organization_id), soci::use(referral_id));
  st.execute();
  while (st.fetch()) rows.push_back(m);
  return rows;
}

void ReferralRepository::InsertMessage(MessageRow row) {
  sql_ << kNextMessageOrder, soci::into(row.sort_order), soci::use(row.referral_id);
  sql_ << kInsertMessage, soci::use(row.id, "id"), soci::use(row.referral_id, "referral"),
      soci::use(row.sender, "sender"), soci::use(row.sealed_body, "body"), soci::use(row.created_on, "day"),
      soci::use(row.sort_order, "sort_order"), soci::use(row.sealed_copy, "copy"),
      soci::use(row.organization_id, "org");
}

std::optional<std::string> ReferralRepository::LastMessageDay(const std::string& referral_id) {
  std::optional<std::string> day;
  sql_ << kLastMessageDay, soci::into(day), soci::use(referral_id);
  return day;
}

Delays ReferralRepository::DelaysFor(const std::string& territory_slug) {
  return StoredDelays(territory_slug).value_or(Delays{});
}

std::optional<Delays> ReferralRepository::StoredDelays(const std::string& territory_slug) {
  Delays stored;
  sql_ << kSelectDelays, soci::into(stored.reminder_days), soci::into(stored.escalation_days),
      soci::into(stored.expiry_days), soci::into(stored.retention_days), soci::use(territory_slug);
  if (!sql_.got_data()) return std::nullopt;
  return stored;
}

void ReferralRepository::DeleteDelays(const std::string& territory_slug) {
  sql_ << kDeleteDelays, soci::use(territory_slug);
}

void ReferralRepository::SaveDelays(const std::string& territory_slug, const Delays& d, long long now_unix) {
  DeleteDelays(territory_slug);
  sql_ << kInsertDelays, soci::use(territory_slug, "slug"), soci::use(d.reminder_days, "reminder"),
      soci::use(d.escalation_days, "escalation"), soci::use(d.expiry_days, "expiry"),
      soci::use(d.retention_days, "retention"), soci::use(now_unix, "now");
}

std::vector<std::string> ReferralRepository::ReferralTerritories() {
  std::vector<std::string> out;
  std::string slug;
  soci::statement st = (sql_.prepare << kReferralTerritories, soci::into(slug));
  st.execute();
  while (st.fetch()) out.push_back(slug);
  return out;
}

std::vector<ReferralRow> ReferralRepository::DueForReminder(const std::string& territory_slug,
                                                            const std::string& cutoff_day) {
  return SelectReferrals(sql_,
                         "WHERE territory_slug = :t AND status = 'new' AND reminded_on IS NULL AND created_on < :c "
                         "ORDER BY id",
                         {territory_slug, cutoff_day});
}

std::vector<ReferralRow> ReferralRepository::DueForEscalation(const std::string& territory_slug,
                                                              const std::string& cutoff_day) {
  return SelectReferrals(sql_,
                         "WHERE territory_slug = :t AND status = 'new' AND escalated_on IS NULL AND created_on < :c "
                         "ORDER BY id",
                         {territory_slug, cutoff_day});
}

std::vector<ReferralRow> ReferralRepository::InactiveSince(const std::string& territory_slug,
                                                           const std::string& cutoff_day) {
  return SelectReferrals(sql_,
                         "WHERE territory_slug = :t AND status IN ('new', 'acknowledged', 'contacted') "
                         "AND status_changed_on < :c AND NOT EXISTS (SELECT 1 FROM referral_message m "
                         "WHERE m.referral_id = referral.id AND m.created_on >= :c2) ORDER BY id",
                         {territory_slug, cutoff_day, cutoff_day});
}

std::vector<ReferralRow> ReferralRepository::FinishedWithContentBefore(const std::string& territory_slug,
                                                                       const std::string& cutoff_day) {
  return SelectReferrals(sql_,
                         "WHERE territory_slug = :t AND status IN ('closed', 'refused', 'expired', 'handed_over') "
                         "AND content_deleted_on IS NULL AND status_changed_on < :c ORDER BY id",
                         {territory_slug, cutoff_day});
}

bool ReferralRepository::MarkReminded(const std::string& id, const std::string& day) {
  soci::statement st = (sql_.prepare << kMarkReminded, soci::use(day, "day"), soci::use(id, "id"));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

bool ReferralRepository::MarkEscalated(const std::string& id, const std::string& day) {
  soci::statement st = (sql_.prepare << kMarkEscalated, soci::use(day, "day"), soci::use(id, "id"));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

bool ReferralRepository::Expire(const std::string& id, const std::string& from, const std::string& day) {
  soci::statement st = (sql_.prepare << kExpire, soci::use(day, "day"), soci::use(id, "id"), soci::use(from, "from"));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

bool ReferralRepository::DeleteContent(const std::string& id, const std::string& day) {
  soci::statement st = (sql_.prepare << kDeleteContent, soci::use(day, "day"), soci::use(id, "id"));
  st.execute(true);
  if (st.get_affected_rows() != 1) return false;
  sql_ << kDeleteMessages, soci::use(id);
  return true;
}

}  // namespace passerelle::referral
