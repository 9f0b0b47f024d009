#pragma once

#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"  // soci conversion of std::optional

namespace passerelle::referral {

// One referral row as stored: only sealed content, hashes, codes and days.
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
  // migrations/0008_referral_workflow.sql
  std::optional<std::string> sealed_summary;
  std::optional<std::string> outcome;
  std::optional<std::string> refusal_reason;
  std::optional<std::string> sealed_refusal_note;
  std::optional<std::string> handed_over_from;
  std::optional<std::string> handed_over_to;
  std::optional<std::string> reminded_on;
  std::optional<std::string> escalated_on;
  std::optional<std::string> content_deleted_on;
  // migrations/0019_duty.sql: "referral" | "callback" (issue 12, "Être rappelée maintenant"),
  // and what the professional marked on a call-back: called | no_answer | later.
  std::string kind = "referral";
  std::optional<std::string> callback_outcome;
};

struct MessageRow {
  std::string id;
  std::string referral_id;
  std::string sender;       // person | professional
  std::string sealed_body;  // to the recipient
  std::string created_on;
  int sort_order = 0;
  std::optional<std::string> sealed_copy;      // to the author's side (0008)
  std::optional<std::string> organization_id;  // author of a professional message (0008)
};

// A status change, applied only when the row is still in `from` (see ChangeStatus).
struct StatusChange {
  std::string id;
  std::string from;
  std::string to;
  std::string day;
  std::optional<std::string> outcome;
  std::optional<std::string> refusal_reason;
  std::optional<std::string> sealed_refusal_note;
};

// Delays of the jobs, in days (referral_delays; defaults when a territory has no row).
struct Delays {
  int reminder_days = 2;
  int escalation_days = 3;
  int expiry_days = 90;
  int retention_days = 30;
};

// The referral tables, on one leased session (inside the caller's transaction when it has one).
class ReferralRepository {
 public:
  explicit ReferralRepository(soci::session& sql) : sql_(sql) {}

  std::optional<ReferralRow> FindByIdempotencyKey(const std::string& key);
  std::optional<ReferralRow> FindById(const std::string& id);
  std::vector<ReferralRow> FindByLookup(const std::string& lookup);
  // Newest first.
  std::vector<ReferralRow> ListByOrganization(const std::string& organization_id);
  void Insert(const ReferralRow& row);
  // Removes every sealed part and the follow-up code; status becomes `withdrawn`.
  void Withdraw(const std::string& id, const std::string& day);

  // False when the row was not in `change.from` any more (a concurrent change): nothing written.
  bool ChangeStatus(const StatusChange& change);
  // The old row becomes `handed_over` (when still in `from`) and gives its follow-up code away;
  // then, once the new row exists, LinkHandedOver names it.
  bool MarkHandedOver(const std::string& id, const std::string& from, const std::string& day);
  void LinkHandedOver(const std::string& id, const std::string& new_id);

  // Key rotation: each replaces one sealed value only when it still holds `old_sealed` (false:
  // it changed or went away meanwhile, e.g. she withdrew the referral).
  bool ResealReport(const std::string& id, const std::string& old_sealed, const std::string& new_sealed);
  bool ResealSummary(const std::string& id, const std::string& old_sealed, const std::string& new_sealed);
  bool ResealMessageBody(const std::string& message_id, const std::string& old_sealed, const std::string& new_sealed);
  bool ResealMessageCopy(const std::string& message_id, const std::string& old_sealed, const std::string& new_sealed);

  std::vector<MessageRow> Messages(const std::string& referral_id);
  void InsertMessage(MessageRow row);
  std::optional<std::string> LastMessageDay(const std::string& referral_id);

  // --- jobs (referral/jobs.h) ---
  Delays DelaysFor(const std::string& territory_slug);
  // The territory's own delays; nothing when it has no row (the defaults apply).
  std::optional<Delays> StoredDelays(const std::string& territory_slug);
  void DeleteDelays(const std::string& territory_slug);
  void SaveDelays(const std::string& territory_slug, const Delays& delays, long long now_unix);
  // Territories that have referrals (each has its own delays).
  std::vector<std::string> ReferralTerritories();
  // `new` referrals of a territory sent before `cutoff_day`, not yet reminded / escalated.
  std::vector<ReferralRow> DueForReminder(const std::string& territory_slug, const std::string& cutoff_day);
  std::vector<ReferralRow> DueForEscalation(const std::string& territory_slug, const std::string& cutoff_day);
  // Open referrals of a territory with no status change and no message since before `cutoff_day`.
  std::vector<ReferralRow> InactiveSince(const std::string& territory_slug, const std::string& cutoff_day);
  // Finished referrals (closed, refused, expired, handed_over) of a territory still holding
  // content, whose status changed before `cutoff_day`.
  std::vector<ReferralRow> FinishedWithContentBefore(const std::string& territory_slug, const std::string& cutoff_day);
  // Each true when this call set the mark (false: another run did).
  bool MarkReminded(const std::string& id, const std::string& day);
  bool MarkEscalated(const std::string& id, const std::string& day);
  bool Expire(const std::string& id, const std::string& from, const std::string& day);
  // Deletes the report, summary, refusal note and messages; keeps the row, its status and days.
  // False when another run already did.
  bool DeleteContent(const std::string& id, const std::string& day);

 private:
  soci::session& sql_;
};

}  // namespace passerelle::referral
