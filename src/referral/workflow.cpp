#include "referral/workflow.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "audit/audit_log.h"
#include "core/crypto.h"
#include "core/paris_time.h"
#include "notify/outbox.h"
#include "org_keys/repository.h"
#include "org_keys/service.h"
#include "referral/repository.h"
#include "referral/text.h"
#include "stats/repository.h"

namespace passerelle::referral {

namespace {

using S = ReferralStatus;

core::Error Conflict(std::string message, std::string detail) {
  return core::Error{core::ErrorCode::kConflict, std::move(message), std::move(detail)};
}

core::Error NotFound() { return core::Error{core::ErrorCode::kNotFound, "Cette demande n’existe pas.", "no referral"}; }

// Why a finished referral cannot change any more, in the professional's words.
std::string FinishedMessage(S status) {
  switch (status) {
    case S::kClosed:
      return "Cette demande est close : son état ne peut plus changer.";
    case S::kRefused:
      return "Cette demande a été refusée : son état ne peut plus changer.";
    case S::kWithdrawn:
      return "La personne a retiré cette demande : son état ne peut plus changer.";
    case S::kHandedOver:
      return "Cette demande a été transmise à un autre professionnel : son état ne peut plus changer.";
    case S::kExpired:
      return "Cette demande a expiré : son état ne peut plus changer.";
    default:
      return "Cette demande ne peut plus changer d’état.";
  }
}

std::string Transition(S from, S to) { return std::string(CodeOf(from)) + "->" + std::string(CodeOf(to)); }

std::optional<org_keys::KeyPair> PublicOnly(const std::optional<std::string>& public_key_b64) {
  if (!public_key_b64) return std::nullopt;
  auto raw = core::Base64UrlDecode(*public_key_b64);
  if (!raw) throw core::InfrastructureError("referral: malformed stored public key");
  return org_keys::KeyPair{std::move(*raw), ""};
}

ReferralStatus StatusOf(const ReferralRow& row) {
  const auto status = ParseStatus(row.status);
  if (!status) throw core::InfrastructureError("referral: unknown stored status");
  return *status;
}

// Notification of an organization, when it has an address (logged otherwise: never fatal).
void NotifyOrganization(soci::session& sql, const std::string& organization_id, notify::Kind kind, TimePoint now,
                        const std::string& referral_id) {
  if (const auto address = notify::OrganizationAddress(sql, organization_id)) {
    notify::Enqueue(sql, *address, kind, now);
  } else {
    spdlog::warn("event=referral_notification_skipped reason=no_address referral={} organization={}", referral_id,
                 organization_id);
  }
}

}  // namespace

std::string SummaryJson(const InboxSummary& summary) {
  return nlohmann::json{{"needs", summary.needs}, {"commune", summary.commune}}.dump();
}

std::vector<ReferralStatus> AllowedNext(ReferralStatus from, bool handover_consent) {
  std::vector<ReferralStatus> out;
  switch (from) {
    case S::kNew:
      out = {S::kAcknowledged, S::kRefused};
      break;
    case S::kAcknowledged:
      out = {S::kContacted, S::kClosed, S::kRefused};
      break;
    case S::kContacted:
      out = {S::kClosed};
      break;
    default:
      return out;
  }
  if (handover_consent) out.push_back(S::kHandedOver);
  return out;
}

core::Result<core::Ok> CheckTransition(ReferralStatus from, ReferralStatus to, bool handover_consent) {
  const std::string detail = Transition(from, to);
  if (!IsOpen(from)) return Conflict(FinishedMessage(from), detail);
  if (from == to) return Conflict("La demande est déjà dans cet état.", detail);
  if (to == S::kHandedOver && !handover_consent) {
    return core::Error{core::ErrorCode::kForbidden,
                       "La personne n’a pas accepté que sa demande soit transmise à un autre professionnel : vous "
                       "pouvez lui indiquer d’autres contacts par message, ou refuser la demande.",
                       detail + " without consent"};
  }
  const auto allowed = AllowedNext(from, handover_consent);
  if (std::find(allowed.begin(), allowed.end(), to) != allowed.end()) return core::Ok{};
  switch (to) {
    case S::kContacted:
      return Conflict("Prenez d’abord la demande en charge, puis indiquez que vous avez contacté la personne.", detail);
    case S::kClosed:
      return Conflict(
          "Prenez d’abord la demande en charge avant de la clore ; si vous ne pouvez pas la traiter, "
          "refusez-la.",
          detail);
    case S::kRefused:
      return Conflict(
          "Vous avez déjà contacté la personne : closez la demande (par exemple « orientée ailleurs ») "
          "plutôt que de la refuser.",
          detail);
    case S::kAcknowledged:
      return Conflict("Cette demande est déjà prise en charge.", detail);
    default:
      return Conflict("Cet état ne peut pas être choisi.", detail);
  }
}

std::optional<ReferralOwner> WorkflowService::OwnerOf(const std::string& referral_id) {
  soci::session sql(db_.pool());
  const auto row = ReferralRepository(sql).FindById(referral_id);
  if (!row) return std::nullopt;
  return ReferralOwner{row->organization_id, row->territory_slug};
}

bool WorkflowService::CanReceive(const std::string& organization_id) {
  soci::session sql(db_.pool());
  return org_keys::OrganizationKeyRepository(sql).PublicKeyOf(organization_id).has_value();
}

std::vector<InboxItem> WorkflowService::Inbox(const std::vector<OrganizationAccess>& organizations) {
  std::vector<InboxItem> items;
  soci::session sql(db_.pool());
  ReferralRepository repository(sql);
  for (const OrganizationAccess& access : organizations) {
    for (const ReferralRow& row : repository.ListByOrganization(access.organization_id)) {
      InboxItem item;
      item.id = row.id;
      item.organization_id = row.organization_id;
      item.service_id = row.service_id;
      item.status = StatusOf(row);
      item.created_on = row.created_on;
      item.status_changed_on = row.status_changed_on;
      item.handed_over_in = row.handed_over_from.has_value();
      item.call_back = row.kind == "callback";
      item.callback_outcome = row.callback_outcome;
      if (!row.sealed_summary) {
        item.summary_state = SummaryState::kDeleted;
      } else if (!access.keys) {
        item.summary_state = SummaryState::kNoKey;
      } else if (const auto opened = org_keys::Open(*row.sealed_summary, *access.keys)) {
        const auto json = nlohmann::json::parse(*opened, nullptr, false);
        item.summary_state = SummaryState::kShown;
        if (json.is_object()) item.summary = InboxSummary{json.value("needs", ""), json.value("commune", "")};
      } else {
        item.summary_state = SummaryState::kUnreadable;
      }
      items.push_back(std::move(item));
    }
  }
  std::stable_sort(items.begin(), items.end(),
                   [](const InboxItem& a, const InboxItem& b) { return a.created_on > b.created_on; });
  return items;
}

core::Result<OpenedReferral> WorkflowService::Open(const std::string& referral_id, const OrganizationAccess& access,
                                                   const std::string& actor, TimePoint now) {
  return db_.InTransaction([&](soci::session& sql) -> core::Result<OpenedReferral> {
    ReferralRepository repository(sql);
    const auto row = repository.FindById(referral_id);
    if (!row || row->organization_id != access.organization_id) return NotFound();
    OpenedReferral out;
    out.call_back = row->kind == "callback";
    out.callback_outcome = row->callback_outcome;
    out.id = row->id;
    out.organization_id = row->organization_id;
    out.service_id = row->service_id;
    out.territory_slug = row->territory_slug;
    out.status = StatusOf(*row);
    out.created_on = row->created_on;
    out.status_changed_on = row->status_changed_on;
    out.handover_consent = row->handover_consent != 0;
    if (row->outcome) out.outcome = ParseOutcome(*row->outcome);
    if (row->refusal_reason) out.refusal_reason = ParseRefusalReason(*row->refusal_reason);
    if (row->handed_over_from) {
      if (const auto from = repository.FindById(*row->handed_over_from))
        out.handed_over_from_organization = from->organization_id;
    }
    if (row->handed_over_to) {
      if (const auto to = repository.FindById(*row->handed_over_to))
        out.handed_over_to_organization = to->organization_id;
    }
    out.content_deleted_on = row->content_deleted_on.value_or("");
    out.next = AllowedNext(out.status, out.handover_consent);

    if (!row->sealed_report) {
      out.report_state = ReportState::kDeleted;
    } else if (!access.keys) {
      out.report_state = ReportState::kNoKey;
    } else if (const auto report = org_keys::Open(*row->sealed_report, *access.keys)) {
      out.report = nlohmann::json::parse(*report, nullptr, false);
      out.report_state = out.report.is_object() ? ReportState::kShown : ReportState::kUnreadable;
    } else {
      out.report_state = ReportState::kUnreadable;
    }
    for (const MessageRow& m : repository.Messages(row->id)) {
      ThreadMessage message;
      message.sender = m.sender == "professional" ? MessageSender::kProfessional : MessageSender::kPerson;
      message.day = m.created_on;
      message.organization_id = m.organization_id.value_or("");
      // Hers are sealed to the organization; the professionals' copies too.
      const std::optional<std::string>& sealed =
          message.sender == MessageSender::kPerson ? std::optional<std::string>(m.sealed_body) : m.sealed_copy;
      if (access.keys && sealed) message.text = org_keys::Open(*sealed, *access.keys);
      out.messages.push_back(std::move(message));
    }
    if (out.report_state == ReportState::kShown) {
      audit::Append(sql, audit::Entry{actor, "referral.opened", "referral:" + row->id, ""}, now);
    }
    return out;
  });
}

core::Result<core::Ok> WorkflowService::ChangeStatus(const std::string& referral_id, const std::string& organization_id,
                                                     const StatusRequest& request, const std::string& actor,
                                                     TimePoint now) {
  if (request.to == S::kHandedOver) {
    return core::Error{core::ErrorCode::kInvalidInput, "Choisissez l’organisation à qui transmettre la demande.",
                       "hand-over through ChangeStatus"};
  }
  if (request.to == S::kClosed && !request.outcome) {
    return core::Error{core::ErrorCode::kInvalidInput, "Indiquez le résultat de la demande pour la clore.",
                       "no outcome"};
  }
  if (request.to == S::kRefused && !request.reason) {
    return core::Error{core::ErrorCode::kInvalidInput, "Indiquez la raison du refus.", "no reason"};
  }
  const std::string note = TrimText(request.note);
  if (request.to == S::kRefused && !IsAcceptableText(note, kMaxNoteLength, Multiline::kYes, Required::kNo)) {
    return core::Error{core::ErrorCode::kInvalidInput,
                       "Votre message à la personne doit faire au plus 1 000 caractères.", "note length"};
  }
  return db_.InTransaction([&](soci::session& sql) -> core::Result<core::Ok> {
    ReferralRepository repository(sql);
    const auto row = repository.FindById(referral_id);
    if (!row || row->organization_id != organization_id) return NotFound();
    const S from = StatusOf(*row);
    if (auto checked = CheckTransition(from, request.to, row->handover_consent != 0); !checked) return checked.error();
    StatusChange change{row->id,      row->status, std::string(CodeOf(request.to)), core::ParisDate(now), std::nullopt,
                        std::nullopt, std::nullopt};
    std::string detail = Transition(from, request.to);
    if (request.to == S::kClosed) {
      change.outcome = std::string(CodeOf(*request.outcome));
      detail += " outcome=" + *change.outcome;
    }
    if (request.to == S::kRefused) {
      change.refusal_reason = std::string(CodeOf(*request.reason));
      detail += " reason=" + *change.refusal_reason;
      if (!note.empty()) {
        // Only her code opens it: sealed to the key derived from her follow-up code.
        const auto person = PublicOnly(row->person_public_key);
        if (!person) return Conflict("La personne a retiré sa demande.", "no person key");
        change.sealed_refusal_note = org_keys::Seal(note, person->public_key);
      }
    }
    if (!repository.ChangeStatus(change)) {
      return Conflict("La demande a changé entre-temps : rechargez la page.", "concurrent change");
    }
    audit::Append(sql, audit::Entry{actor, "referral.status", "referral:" + row->id, detail}, now);
    spdlog::info("event=referral_status referral={} change={}", row->id, detail);
    return core::Ok{};
  });
}

core::Result<std::string> WorkflowService::HandOver(const std::string& referral_id, const OrganizationAccess& access,
                                                    const HandOverTarget& target, const std::string& actor,
                                                    TimePoint now) {
  if (!access.keys) {
    return core::Error{
        core::ErrorCode::kForbidden,
        "Vous n’avez pas encore accès aux demandes de votre organisation : un membre doit vous le donner.", "no key"};
  }
  if (target.organization_id == access.organization_id) {
    return core::Error{core::ErrorCode::kInvalidInput, "Choisissez une autre organisation que la vôtre.",
                       "same organization"};
  }
  return db_.InTransaction([&](soci::session& sql) -> core::Result<std::string> {
    ReferralRepository repository(sql);
    const auto row = repository.FindById(referral_id);
    if (!row || row->organization_id != access.organization_id) return NotFound();
    const S from = StatusOf(*row);
    if (auto checked = CheckTransition(from, S::kHandedOver, row->handover_consent != 0); !checked) {
      return checked.error();
    }
    // Locked: a key rotation of the target in progress finishes first (docs/adr/0010).
    const auto target_key = PublicOnly(org_keys::LockOrganizationKey(sql, target.organization_id));
    if (!target_key) {
      return core::Error{core::ErrorCode::kInvalidInput,
                         "Cette organisation ne peut pas encore recevoir de demandes en ligne.", "target without key"};
    }
    if (!row->sealed_report) return Conflict("Le contenu de cette demande a été supprimé.", "no content");
    const auto report = org_keys::Open(*row->sealed_report, *access.keys);
    if (!report) {
      return core::Error{core::ErrorCode::kForbidden,
                         "Votre clé ne permet pas d’ouvrir cette demande : elle ne peut pas être transmise.",
                         "key mismatch"};
    }
    const std::string day = core::ParisDate(now);
    ReferralRow next;
    next.id = "ref-" + core::RandomHex(8);
    next.idempotency_key = "handover:" + row->id;
    next.territory_slug = target.territory_slug;
    next.organization_id = target.organization_id;
    next.service_id = target.service_id;
    next.status = std::string(CodeOf(S::kNew));
    next.sealed_report = org_keys::Seal(*report, target_key->public_key);
    if (row->sealed_summary) {
      if (const auto summary = org_keys::Open(*row->sealed_summary, *access.keys)) {
        next.sealed_summary = org_keys::Seal(*summary, target_key->public_key);
      }
    }
    next.followup_lookup = row->followup_lookup;
    next.followup_hash = row->followup_hash;
    next.person_public_key = row->person_public_key;
    next.person_key_salt = row->person_key_salt;
    next.handover_consent = row->handover_consent;
    next.created_on = day;
    next.status_changed_on = day;
    next.handed_over_from = row->id;
    // The old row gives its follow-up code away first (one row at a time holds a code); nothing
    // is written before this guarded update, so a conflict leaves the database as it was.
    if (!repository.MarkHandedOver(row->id, row->status, day)) {
      return Conflict("La demande a changé entre-temps : rechargez la page.", "concurrent change");
    }
    repository.Insert(next);
    repository.LinkHandedOver(row->id, next.id);
    // The conversation follows: what the organization could read is re-sealed to the new one;
    // what was sealed to her stays as it is.
    std::size_t messages = 0;
    for (const MessageRow& m : repository.Messages(row->id)) {
      MessageRow copy = m;
      copy.id = "msg-" + core::RandomHex(8);
      copy.referral_id = next.id;
      if (m.sender == "person") {
        // One she wrote to an earlier key of the organization stays unreadable for the new one.
        if (const auto text = org_keys::Open(m.sealed_body, *access.keys))
          copy.sealed_body = org_keys::Seal(*text, target_key->public_key);
      } else {
        const auto text = m.sealed_copy ? org_keys::Open(*m.sealed_copy, *access.keys) : std::nullopt;
        copy.sealed_copy =
            text ? std::optional<std::string>(org_keys::Seal(*text, target_key->public_key)) : std::nullopt;
      }
      repository.InsertMessage(copy);
      ++messages;
    }
    // From now on her report, contact and messages are the new organization's alone: the copies
    // sealed to the first one are deleted (not hidden), in the same transaction. The old row
    // keeps its status line: handed over, to whom, on which day.
    if (!repository.DeleteContent(row->id, day)) {
      throw core::InfrastructureError("referral: content of a handed-over referral already deleted");
    }
    audit::Append(sql,
                  audit::Entry{actor, "referral.handed_over", "referral:" + row->id,
                               Transition(from, S::kHandedOver) + " to=referral:" + next.id +
                                   " organization:" + target.organization_id},
                  now);
    NotifyOrganization(sql, target.organization_id, notify::Kind::kHandover, now, next.id);
    spdlog::info("event=referral_handed_over referral={} new_referral={} organization={} messages={}", row->id, next.id,
                 target.organization_id, messages);
    return next.id;
  });
}

core::Result<core::Ok> WorkflowService::WriteMessage(const std::string& referral_id, const std::string& organization_id,
                                                     const std::string& text, const std::string& actor, TimePoint now) {
  const std::string body = TrimText(text);
  if (!IsAcceptableText(body, kMaxMessageLength, Multiline::kYes, Required::kYes)) {
    return core::Error{core::ErrorCode::kInvalidInput, "Votre message doit faire entre 1 et 2 000 caractères.",
                       "length"};
  }
  return db_.InTransaction([&](soci::session& sql) -> core::Result<core::Ok> {
    ReferralRepository repository(sql);
    const auto row = repository.FindById(referral_id);
    if (!row || row->organization_id != organization_id) return NotFound();
    const S status = StatusOf(*row);
    if (!IsOpen(status))
      return Conflict(FinishedMessage(status) + " Vous ne pouvez plus écrire à la personne.", "closed");
    const auto person = PublicOnly(row->person_public_key);
    const auto organization = PublicOnly(org_keys::LockOrganizationKey(sql, organization_id));  // docs/adr/0010
    if (!person || !organization) return Conflict("La personne a retiré sa demande.", "no key");
    repository.InsertMessage(MessageRow{"msg-" + core::RandomHex(8), row->id, "professional",
                                        org_keys::Seal(body, person->public_key), core::ParisDate(now), 0,
                                        org_keys::Seal(body, organization->public_key), organization_id});
    audit::Append(sql, audit::Entry{actor, "message.sent", "referral:" + row->id, "from=professional"}, now);
    return core::Ok{};
  });
}

namespace {

constexpr const char* kSetCallBackOutcome =
    "UPDATE referral SET callback_outcome = :outcome WHERE id = :id AND kind = 'callback'";
constexpr const char* kCountPendingCallBacks =
    "SELECT COUNT(*) FROM referral WHERE organization_id = :o AND kind = 'callback' AND status IN ('new', "
    "'acknowledged', 'contacted') AND (callback_outcome IS NULL OR callback_outcome <> 'called')";

}  // namespace

core::Result<core::Ok> WorkflowService::MarkCallBack(const std::string& referral_id, const std::string& organization_id,
                                                     const std::string& outcome, const std::string& actor,
                                                     TimePoint now) {
  if (outcome != "called" && outcome != "no_answer" && outcome != "later") {
    return core::Error{core::ErrorCode::kInvalidInput,
                       "Choisissez « Appelée », « Pas de réponse » ou « Rappeler plus tard ».", "call-back outcome"};
  }
  std::optional<std::string> counted_territory;
  auto result = db_.InTransaction([&](soci::session& sql) -> core::Result<core::Ok> {
    ReferralRepository repository(sql);
    const auto row = repository.FindById(referral_id);
    if (!row || row->organization_id != organization_id || row->kind != "callback") return NotFound();
    if (StatusOf(*row) == ReferralStatus::kWithdrawn) return Conflict("La personne a retiré sa demande.", "withdrawn");
    sql << kSetCallBackOutcome, soci::use(outcome, "outcome"), soci::use(referral_id, "id");
    audit::Append(sql, audit::Entry{actor, "referral.call_back", "referral:" + row->id, "outcome=" + outcome}, now);
    if (outcome == "called" && row->callback_outcome.value_or("") != "called") counted_territory = row->territory_slug;
    return core::Ok{};
  });
  if (result && counted_territory) {
    stats::StatsRepository(db_).Increment(stats::StatEvent::kCallBackMade, *counted_territory, "", now);
  }
  return result;
}

long long WorkflowService::PendingCallBacks(const std::vector<std::string>& organization_ids) {
  soci::session sql(db_.pool());
  long long total = 0;
  for (const std::string& id : organization_ids) {
    long long count = 0;
    sql << kCountPendingCallBacks, soci::into(count), soci::use(id, "o");
    total += count;
  }
  return total;
}

}  // namespace passerelle::referral
