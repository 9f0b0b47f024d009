#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/crypto.h"
#include "core/result.h"
#include "core/work_pool.h"
#include "referral/model.h"
#include "storage/database.h"

namespace passerelle::referral {

// Server sub-keys of the referral (core::ServerKey::Derive contexts are at most 8 characters).
// The follow-up code is derived from her run's secret alone (never stored), so that no server
// key can recompute it from the database (docs/referral.md, "The follow-up code").
struct ReferralKeys {
  std::string idempotency;  // "referral": run secret + service → keyed resubmission hash
  std::string lookup;       // "followup": follow-up code → lookup index ("followup-lookup")
  static ReferralKeys From(const core::ServerKey& key);
};

struct SendRequest {
  // The run secret of her flow (help::FlowState::run_secret, from the sealed flow token): one
  // referral per run and service, and the follow-up code derives from it. Never stored.
  std::string run_secret;
  std::string territory_slug;
  std::string organization_id;
  std::string service_id;
  std::string report;  // plaintext JSON, sealed before anything reaches the database
  bool handover_consent = false;
  std::string summary;  // SummaryJson (workflow.h) for the inbox list, sealed the same way
};

// A call-back asked for during the service's on-duty time (issue 12, "Être rappelée maintenant"):
// stored as kind "callback"; its content-free e-mail goes to `notify_first` (the addresses of the
// members on duty) as well as to the organization's address.
struct CallBack {
  std::vector<std::string> notify_first;
};

// An appointment (issue 12 §2, "Prendre rendez-vous"): stored as kind "appointment". `hold`
// holds her slot for the new referral (its id given) inside the transaction that stores it: when
// it fails (the slot was just taken), nothing is written and its error is returned.
struct AppointmentHold {
  std::function<core::Result<core::Ok>(soci::session& sql, const std::string& referral_id)> hold;
};

struct SentReferral {
  std::string id;
  std::string followup_code;  // canonical, shown to the person
  std::string organization_id;
  std::string service_id;
  ReferralStatus status = ReferralStatus::kNew;
  bool created = false;  // false: an earlier submission of the same flow token
};

struct FollowUpMessage {
  MessageSender sender = MessageSender::kPerson;
  std::string day;
  std::string text;             // "" when it cannot be opened (an old message of hers without copy)
  std::string organization_id;  // professional messages: who wrote
};

// What her code shows: always the current referral (after a hand-over, the new organization's).
struct FollowUp {
  std::string id;
  std::string organization_id;
  std::string service_id;
  ReferralStatus status = ReferralStatus::kNew;
  std::string created_on;
  std::string status_changed_on;
  std::vector<FollowUpMessage> messages;
  std::optional<CloseOutcome> outcome;
  std::optional<RefusalReason> refusal_reason;
  std::string refusal_note;  // the professional's words on refusal, opened with her code
  std::optional<std::string> handed_over_from_organization;
  bool content_deleted = false;
};

// Referral use cases (no HTTP). Every write is one transaction, and returns once committed.
class ReferralService {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  static constexpr std::size_t kMaxMessageLength = 2000;

  ReferralService(storage::Database& db, ReferralKeys keys);

  // Where the Argon2id derivations of follow-up codes run (ADR 0016): a bounded pool of their
  // own, so that the request workers are free meanwhile; a full pool throws core::BusyError
  // before anything is written. Null (the default: tests, commands): on the calling thread.
  // Must outlive the service's use.
  void SetDerivationPool(core::WorkPool* pool) { derivations_ = pool; }

  // Seals `request.report` to the organization's public key and stores the referral, status
  // `new`, in one committed transaction. The same run and service return the first referral
  // (with the same follow-up code), also when sent concurrently. kUnavailable when the
  // organization has no public key.
  // An appointment's slot is held by `appointment` when the referral is created (not when an
  // earlier submission is returned: the caller books for it).
  core::Result<SentReferral> Send(const SendRequest& request, TimePoint now,
                                  const std::optional<CallBack>& call_back = std::nullopt,
                                  const std::optional<AppointmentHold>& appointment = std::nullopt);

  // The referral of a typed follow-up code, or nothing — the same nothing for a malformed, an
  // unknown and a deleted code (and about the same time: an unknown code costs one Argon2id).
  std::optional<FollowUp> Find(const std::string& typed_code);

  // Her message, sealed to the organization (and a copy to her own key); the organization is
  // notified. kNotFound as Find; kInvalidInput: empty or too long; kConflict: the referral is
  // finished (closed, refused, expired).
  core::Result<core::Ok> Reply(const std::string& typed_code, const std::string& text, TimePoint now);

  // Deletes the content at once (report, messages, code), also of the organizations it was
  // handed over from; the referrals stay as `withdrawn`.
  core::Result<core::Ok> Delete(const std::string& typed_code, TimePoint now);

  std::optional<std::string> PublicKeyOf(const std::string& organization_id);  // raw bytes
  void SetPublicKey(const std::string& organization_id, const std::string& public_key, TimePoint now);

  // The lookup index of a canonical code (exposed for tests): "v2:" and an Argon2id hash under a
  // salt derived from the server key, so that even the database and the key together allow no
  // fast offline search of the 2^37.6 codes (each guess costs an Argon2id derivation).
  std::string LookupOf(const std::string& canonical_code) const;
  // The index of referrals sent before it (a keyed HMAC): still looked up so their codes work.
  std::string LegacyLookupOf(const std::string& canonical_code) const;
  // What is stored to recognise a resubmission (referral.idempotency_key): a keyed hash of the
  // run secret and the service, from which neither the secret nor the code can be recovered.
  std::string ResubmissionHashOf(const std::string& run_secret, const std::string& service_id) const;

 private:
  struct Located {
    std::string id;
    std::string canonical_code;
  };
  std::optional<Located> Locate(const std::string& typed_code);
  // `derive()` on the derivation pool, or here when there is none.
  template <typename F>
  auto Derive(F derive) const {
    return derivations_ != nullptr ? derivations_->Run(std::move(derive)) : derive();
  }

  storage::Database& db_;
  ReferralKeys keys_;
  std::string dummy_hash_;  // verified against when no row matches, to even out timing
  core::WorkPool* derivations_ = nullptr;
};

}  // namespace passerelle::referral
