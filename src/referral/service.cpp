#include "referral/service.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/logging.h"
#include "core/paris_time.h"
#include "notify/outbox.h"
#include "org_keys/sealing.h"
#include "org_keys/service.h"
#include "referral/argon2_cost.h"
#include "referral/followup_code.h"
#include "referral/repository.h"
#include "referral/text.h"

namespace passerelle::referral {

namespace {

// The lookup index's Argon2id cost is in argon2_cost.h; its salt is the first
// crypto_pwhash_SALTBYTES (16) bytes of the 32-byte "followup" sub-key.
static_assert(crypto_pwhash_SALTBYTES <= 32);

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

SentReferral SentFrom(const ReferralRow& row, std::string code, bool created) {
  return SentReferral{row.id,
                      std::move(code),
                      row.organization_id,
                      row.service_id,
                      ParseStatus(row.status).value_or(ReferralStatus::kNew),
                      created};
}

std::string FollowUpCodeOf(const std::string& run_secret, const std::string& service_id) {
  // Keyed by her run secret only: without it (the database and the server key are not enough)
  // the code cannot be recomputed. The run's tokens carry the secret, sealed under the server key.
  // HKDF-style: extract a 32-byte key from the secret (whatever its length), then expand.
  const std::string run_key = core::HmacSha256(std::string(32, '\0'), run_secret);
  return CodeFromBytes(core::HmacSha256(run_key, "fucode|" + service_id));
}

}  // namespace

ReferralKeys ReferralKeys::From(const core::ServerKey& key) {
  return ReferralKeys{key.Derive("referral"), key.Derive("followup")};
}

ReferralService::ReferralService(storage::Database& db, ReferralKeys keys)
    : db_(db), keys_(std::move(keys)), dummy_hash_(HashCode(core::RandomHex(16))) {
  if (keys_.lookup.size() < crypto_pwhash_SALTBYTES) throw core::InfrastructureError("referral: lookup key too short");
}

std::string ReferralService::LookupOf(const std::string& canonical_code) const {
  // Deterministic (a fixed salt from the server key) so that it can be looked up, and slow
  // (Argon2id, 16 MiB, 2 passes: about 20-40 ms) so that 2^37.6 guesses are out of reach.
  std::string index(32, '\0');
  if (crypto_pwhash(reinterpret_cast<unsigned char*>(index.data()), index.size(), canonical_code.data(),
                    canonical_code.size(), reinterpret_cast<const unsigned char*>(keys_.lookup.data()), kLookupOpsLimit,
                    kLookupMemLimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw core::InfrastructureError("referral: Argon2id of the lookup index failed (out of memory?)");
  }
  return "v2:" + Hex(index);
}

std::string ReferralService::LegacyLookupOf(const std::string& canonical_code) const {
  return Hex(core::HmacSha256(keys_.lookup, canonical_code));
}

std::string ReferralService::ResubmissionHashOf(const std::string& run_secret, const std::string& service_id) const {
  // The secret has a fixed length in real runs; the length prefix keeps any two inputs apart.
  return "run:" + Hex(core::HmacSha256(keys_.idempotency,
                                       std::to_string(run_secret.size()) + "|" + run_secret + "|" + service_id));
}

namespace {
// Thrown inside Send's transaction when her appointment's slot cannot be held: the transaction
// rolls back (nothing of the referral is written) and Send returns the error.
struct HoldRefused {
  core::Error error;
};
}  // namespace

core::Result<SentReferral> ReferralService::Send(const SendRequest& request, TimePoint now,
                                                 const std::optional<CallBack>& call_back,
                                                 const std::optional<AppointmentHold>& appointment) {
  if (request.run_secret.empty()) throw core::InfrastructureError("referral: a referral needs its flow run");
  const std::string idempotency_key = ResubmissionHashOf(request.run_secret, request.service_id);
  // The code is derived, not stored: a resubmission shows the same code again.
  const std::string code = FollowUpCodeOf(request.run_secret, request.service_id);
  {
    soci::session sql(db_.pool());
    ReferralRepository repository(sql);
    if (auto existing = repository.FindByIdempotencyKey(idempotency_key)) return SentFrom(*existing, code, false);
  }
  const auto public_key = PublicKeyOf(request.organization_id);
  if (!public_key) {
    return core::Error{core::ErrorCode::kUnavailable,
                       "Ce professionnel ne peut pas encore recevoir de demandes en ligne.",
                       "organization without key"};
  }
  // The slow parts (sealing, two Argon2id) happen before the transaction, so that it stays short.
  const std::string day = core::ParisDate(now);
  const std::string salt = core::RandomBytes(16);
  ReferralRow row;
  row.id = "ref-" + core::RandomHex(8);
  row.idempotency_key = idempotency_key;
  row.territory_slug = request.territory_slug;
  row.organization_id = request.organization_id;
  row.service_id = request.service_id;
  row.status = std::string(CodeOf(ReferralStatus::kNew));
  row.sealed_report = org_keys::Seal(request.report, *public_key);
  if (!request.summary.empty()) row.sealed_summary = org_keys::Seal(request.summary, *public_key);
  // The three derivations of her code, in one job of the derivation pool.
  struct Derived {
    std::string lookup, hash, public_key;
  };
  Derived derived = Derive([&] {
    return Derived{LookupOf(code), HashCode(code), org_keys::DeriveKeyPair(code, salt).public_key};
  });
  row.followup_lookup = std::move(derived.lookup);
  row.followup_hash = std::move(derived.hash);
  row.person_public_key = core::Base64UrlEncode(derived.public_key);
  row.person_key_salt = core::Base64UrlEncode(salt);
  row.handover_consent = request.handover_consent ? 1 : 0;
  row.kind = call_back ? "callback" : appointment ? "appointment" : "referral";
  row.created_on = day;
  row.status_changed_on = day;
  try {
    return db_.InTransaction([&](soci::session& sql) -> core::Result<SentReferral> {
      ReferralRepository repository(sql);
      if (auto existing = repository.FindByIdempotencyKey(idempotency_key)) return SentFrom(*existing, code, false);
      // The key read above may have been rotated since: take the key row's lock (a rotation in
      // progress holds it; docs/adr/0010) and seal again if it changed, so that no referral is
      // ever stored sealed to a key nobody holds any more.
      const auto locked = org_keys::LockOrganizationKey(sql, row.organization_id);
      const auto current = locked ? core::Base64UrlDecode(*locked) : std::nullopt;
      if (!current) {
        return core::Error{core::ErrorCode::kUnavailable,
                           "Ce professionnel ne peut pas encore recevoir de demandes en ligne.",
                           "organization key gone"};
      }
      if (*current != *public_key) {
        row.sealed_report = org_keys::Seal(request.report, *current);
        if (!request.summary.empty()) row.sealed_summary = org_keys::Seal(request.summary, *current);
      }
      repository.Insert(row);
      if (appointment && appointment->hold) {
        auto held = appointment->hold(sql, row.id);
        if (!held) throw HoldRefused{held.error()};
      }
      // Content-free e-mail to the organization, queued with the referral (delivered after commit);
      // a call-back first to the members on duty.
      const notify::Kind kind = call_back ? notify::Kind::kCallBack : notify::Kind::kNewReferral;
      const std::vector<std::string> first = call_back ? call_back->notify_first : std::vector<std::string>{};
      for (const std::string& to : first) notify::Enqueue(sql, to, kind, now);
      if (const auto address = notify::OrganizationAddress(sql, row.organization_id)) {
        if (std::find(first.begin(), first.end(), *address) == first.end()) notify::Enqueue(sql, *address, kind, now);
      } else {
        // Held until the full hour, without the referral id: the line must not date her sending
        // (docs/security.md, F2). The organization is what the operator needs to fix.
        core::VisitorLog::Instance().Hold(
            spdlog::level::warn,
            fmt::format("event=referral_notification_skipped reason=no_address organization={}", row.organization_id));
      }
      return SentFrom(row, code, true);
    });
  } catch (const HoldRefused& refused) {
    return refused.error;
  } catch (const soci::soci_error&) {
    // Two submissions of one token at once (PostgreSQL): the unique key let one through.
    soci::session sql(db_.pool());
    if (auto existing = ReferralRepository(sql).FindByIdempotencyKey(idempotency_key)) {
      return SentFrom(*existing, code, false);
    }
    throw;
  }
}

std::optional<ReferralService::Located> ReferralService::Locate(const std::string& typed_code) {
  const auto canonical = NormalizeCode(typed_code);
  std::vector<ReferralRow> rows;
  if (canonical) {
    // Derived before a connection is taken: none is held while waiting for the pool.
    const std::string lookup = Derive([&] { return LookupOf(*canonical); });
    soci::session sql(db_.pool());
    ReferralRepository repository(sql);
    rows = repository.FindByLookup(lookup);
    if (rows.empty()) rows = repository.FindByLookup(LegacyLookupOf(*canonical));  // sent before "v2:"
  }
  return Derive([&]() -> std::optional<Located> {
    for (const ReferralRow& row : rows) {
      if (row.followup_hash && VerifyCode(*row.followup_hash, *canonical)) return Located{row.id, *canonical};
    }
    if (rows.empty()) (void)VerifyCode(dummy_hash_, canonical.value_or(typed_code));
    return std::nullopt;
  });
}

std::optional<FollowUp> ReferralService::Find(const std::string& typed_code) {
  const auto located = Locate(typed_code);
  if (!located) return std::nullopt;
  soci::session sql(db_.pool());
  ReferralRepository repository(sql);
  const auto row = repository.FindById(located->id);
  if (!row) return std::nullopt;
  FollowUp out{row->id,
               row->organization_id,
               row->service_id,
               ParseStatus(row->status).value_or(ReferralStatus::kNew),
               row->created_on,
               row->status_changed_on,
               {},
               std::nullopt,
               std::nullopt,
               "",
               std::nullopt,
               row->content_deleted_on.has_value()};
  if (row->outcome) out.outcome = ParseOutcome(*row->outcome);
  if (row->refusal_reason) out.refusal_reason = ParseRefusalReason(*row->refusal_reason);
  if (row->handed_over_from) {
    if (const auto from = repository.FindById(*row->handed_over_from))
      out.handed_over_from_organization = from->organization_id;
  }
  // Her key is derived from the code (Argon2id) only when something sealed to it is there.
  std::optional<org_keys::KeyPair> keys;
  auto open = [&](const std::string& sealed) {
    if (!row->person_key_salt) return std::string();
    if (!keys) {
      const std::string salt = core::Base64UrlDecode(*row->person_key_salt).value_or("");
      keys = Derive([&] { return org_keys::DeriveKeyPair(located->canonical_code, salt); });
    }
    auto text = org_keys::Open(sealed, *keys);
    if (!text) spdlog::warn("event=referral_message_unreadable referral={}", row->id);
    return text.value_or("");
  };
  if (row->sealed_refusal_note) out.refusal_note = open(*row->sealed_refusal_note);
  for (const MessageRow& m : repository.Messages(row->id)) {
    FollowUpMessage message{m.sender == "professional" ? MessageSender::kProfessional : MessageSender::kPerson,
                            m.created_on, "", m.organization_id.value_or("")};
    // The professional's messages are sealed to her; hers have a copy sealed to her (0008).
    if (message.sender == MessageSender::kProfessional) {
      message.text = open(m.sealed_body);
    } else if (m.sealed_copy) {
      message.text = open(*m.sealed_copy);
    }
    out.messages.push_back(std::move(message));
  }
  return out;
}

core::Result<core::Ok> ReferralService::Reply(const std::string& typed_code, const std::string& text, TimePoint now) {
  const std::string body = TrimText(text);
  if (!IsAcceptableText(body, kMaxMessageLength, Multiline::kYes, Required::kYes)) {
    return core::Error{core::ErrorCode::kInvalidInput, "Votre message doit faire entre 1 et 2 000 caractères.",
                       "length"};
  }
  const auto located = Locate(typed_code);
  if (!located) return core::Error{core::ErrorCode::kNotFound, "", "no referral"};
  return db_.InTransaction([&](soci::session& sql) -> core::Result<core::Ok> {
    ReferralRepository repository(sql);
    const auto row = repository.FindById(located->id);
    // Locked: a key rotation in progress finishes first (docs/adr/0010).
    const auto public_key = row ? org_keys::LockOrganizationKey(sql, row->organization_id) : std::nullopt;
    if (!row || row->status == CodeOf(ReferralStatus::kWithdrawn) || !public_key || !row->person_public_key) {
      return core::Error{core::ErrorCode::kNotFound, "", "no referral or key"};
    }
    const auto status = ParseStatus(row->status).value_or(ReferralStatus::kClosed);
    if (!IsOpen(status)) {
      return core::Error{core::ErrorCode::kConflict,
                         "Cette demande est terminée : le professionnel ne lit plus les messages. Vous pouvez faire "
                         "une nouvelle demande, ou appeler le 3919.",
                         "finished"};
    }
    const auto key = core::Base64UrlDecode(*public_key);
    const auto own_key = core::Base64UrlDecode(*row->person_public_key);
    if (!key || !own_key) throw core::InfrastructureError("referral: malformed stored key");
    repository.InsertMessage(MessageRow{"msg-" + core::RandomHex(8), row->id, "person", org_keys::Seal(body, *key),
                                        core::ParisDate(now), 0, org_keys::Seal(body, *own_key), std::nullopt});
    // Content-free e-mail to the organization. Her own acts are not in the audit log: its
    // timestamps would tell when she was on the site (docs/referral.md).
    if (const auto address = notify::OrganizationAddress(sql, row->organization_id)) {
      notify::Enqueue(sql, *address, notify::Kind::kNewMessage, now);
    }
    return core::Ok{};
  });
}

core::Result<core::Ok> ReferralService::Delete(const std::string& typed_code, TimePoint now) {
  const auto located = Locate(typed_code);
  if (!located) return core::Error{core::ErrorCode::kNotFound, "", "no referral"};
  db_.InTransaction([&](soci::session& sql) {
    ReferralRepository repository(sql);
    const std::string day = core::ParisDate(now);
    // The referral and every copy it was handed over from (a chain of hand-overs).
    std::optional<std::string> id = located->id;
    while (id) {
      const auto row = repository.FindById(*id);
      if (!row) break;
      repository.Withdraw(row->id, day);
      id = row->handed_over_from;
    }
  });
  return core::Ok{};
}

std::optional<std::string> ReferralService::PublicKeyOf(const std::string& organization_id) {
  return org_keys::PublicKeyOf(db_, organization_id);
}

void ReferralService::SetPublicKey(const std::string& organization_id, const std::string& public_key, TimePoint now) {
  org_keys::SetPublicKey(db_, organization_id, public_key, now);
}

}  // namespace passerelle::referral
