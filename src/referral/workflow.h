#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "org_keys/sealing.h"
#include "referral/model.h"
#include "storage/database.h"

// The professional side of a referral (issue 4 §3-4, docs/referral.md "Workflow"): the inbox,
// opening a report, status changes, hand-over and messages. No HTTP here. Every write is one
// transaction that also appends its audit entry and queues its notification, so that neither
// can be lost nor exist without the change.
namespace passerelle::referral {

using TimePoint = std::chrono::system_clock::time_point;

// What a member's session holds for one of their organizations.
struct OrganizationAccess {
  std::string organization_id;
  std::optional<org_keys::KeyPair> keys;  // nullopt: no key access (not granted yet, or reset without a grant)
};

// The inbox summary sealed to the organization at sending: what the list shows.
struct InboxSummary {
  std::string needs;    // her needs as she worded them ("" when she removed them from the report)
  std::string commune;  // her place as she gave it ("" when removed)
};
std::string SummaryJson(const InboxSummary& summary);

enum class SummaryState {
  kShown,       // opened with the organization's key
  kNoKey,       // the member has no key for this organization
  kUnreadable,  // sealed to another key (the organization's key changed)
  kDeleted,     // content deleted (retention, or she withdrew it)
};

struct InboxItem {
  std::string id;
  std::string organization_id;
  std::string service_id;
  ReferralStatus status = ReferralStatus::kNew;
  std::string created_on;
  std::string status_changed_on;
  SummaryState summary_state = SummaryState::kDeleted;
  InboxSummary summary;                         // filled when kShown
  bool handed_over_in = false;                  // came from another organization
  bool call_back = false;                       // "Être rappelée maintenant" (issue 12)
  std::optional<std::string> callback_outcome;  // called | no_answer | later
};

struct ThreadMessage {
  MessageSender sender = MessageSender::kPerson;
  std::string day;
  std::optional<std::string> text;  // nullopt: not sealed to this key
  std::string organization_id;      // professional messages: who wrote
};

enum class ReportState { kShown, kNoKey, kUnreadable, kDeleted };

struct OpenedReferral {
  std::string id;
  std::string organization_id;
  std::string service_id;
  std::string territory_slug;
  ReferralStatus status = ReferralStatus::kNew;
  std::string created_on;
  std::string status_changed_on;
  ReportState report_state = ReportState::kDeleted;
  nlohmann::json report;  // the report JSON (src/referral/report.h) when kShown
  std::vector<ThreadMessage> messages;
  bool handover_consent = false;
  std::optional<CloseOutcome> outcome;
  std::optional<RefusalReason> refusal_reason;
  std::optional<std::string> handed_over_from_organization;  // organization ids
  bool call_back = false;                                    // "Être rappelée maintenant" (issue 12)
  std::optional<std::string> callback_outcome;               // called | no_answer | later
  std::optional<std::string> handed_over_to_organization;
  std::string content_deleted_on;    // "" while the content is kept
  std::vector<ReferralStatus> next;  // statuses the professional may choose now
};

// A status change asked by a professional. `outcome` only for kClosed; `reason` (and the
// optional `note` to her) only for kRefused. kHandedOver goes through HandOver.
struct StatusRequest {
  ReferralStatus to = ReferralStatus::kAcknowledged;
  std::optional<CloseOutcome> outcome;
  std::optional<RefusalReason> reason;
  std::string note;
};

// Where a hand-over goes: a service of another organization of the directory, checked by the
// caller to accept referrals (the directory is not this library's).
struct HandOverTarget {
  std::string organization_id;
  std::string service_id;
  std::string territory_slug;
};

// Who owns a referral, for the access policy.
struct ReferralOwner {
  std::string organization_id;
  std::string territory_slug;
};

// The statuses a professional may move a referral in `from` to. Hand-over only with her consent.
std::vector<ReferralStatus> AllowedNext(ReferralStatus from, bool handover_consent);
// Ok, or kConflict / kForbidden (hand-over without consent) with a French message saying why.
core::Result<core::Ok> CheckTransition(ReferralStatus from, ReferralStatus to, bool handover_consent);

class WorkflowService {
 public:
  static constexpr std::size_t kMaxMessageLength = 2000;
  static constexpr std::size_t kMaxNoteLength = 1000;

  explicit WorkflowService(storage::Database& db) : db_(db) {}

  std::optional<ReferralOwner> OwnerOf(const std::string& referral_id);
  // Whether an organization has a public key (can receive a referral or a hand-over).
  bool CanReceive(const std::string& organization_id);

  // The referrals of these organizations, newest first, with their summaries opened when the
  // session holds the key. Reads nothing else.
  std::vector<InboxItem> Inbox(const std::vector<OrganizationAccess>& organizations);

  // A call-back (issue 12): the professional marks "appelée" (called), "pas de réponse"
  // (no_answer) or "rappeler plus tard" (later), audited; "called" counts in the statistics once.
  // kInvalidInput for another code, kNotFound for a referral of another organization or not a
  // call-back, kConflict once it is withdrawn.
  core::Result<core::Ok> MarkCallBack(const std::string& referral_id, const std::string& organization_id,
                                      const std::string& outcome, const std::string& actor, TimePoint now);
  // Call-backs of `organization_ids` still open and not marked "appelée": the inbox's badge.
  long long PendingCallBacks(const std::vector<std::string>& organization_ids);

  // The referral with its report and both sides of the conversation, opened with `access.keys`;
  // appends `referral.opened` to the audit log in the same transaction when the report was
  // opened. kNotFound when it is not a referral of `access.organization_id`.
  core::Result<OpenedReferral> Open(const std::string& referral_id, const OrganizationAccess& access,
                                    const std::string& actor, TimePoint now);

  core::Result<core::Ok> ChangeStatus(const std::string& referral_id, const std::string& organization_id,
                                      const StatusRequest& request, const std::string& actor, TimePoint now);

  // Re-seals the report, the summary and the conversation (opened with `access.keys`) to the
  // target organization in a new referral row, which her follow-up code then shows; this one
  // becomes `handed_over` and its content (report, summary, messages) is deleted: the first
  // organization keeps only the status line. The target is notified. Returns the new
  // referral's id.
  core::Result<std::string> HandOver(const std::string& referral_id, const OrganizationAccess& access,
                                     const HandOverTarget& target, const std::string& actor, TimePoint now);

  // A professional's message: sealed to her follow-up key, and a copy to the organization.
  core::Result<core::Ok> WriteMessage(const std::string& referral_id, const std::string& organization_id,
                                      const std::string& text, const std::string& actor, TimePoint now);

 private:
  storage::Database& db_;
};

}  // namespace passerelle::referral
