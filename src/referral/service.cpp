#include "referral/service.h"

#include <spdlog/spdlog.h>

#include "core/paris_time.h"
#include "referral/followup_code.h"
#include "referral/repository.h"
#include "referral/sealing.h"

namespace passerelle::referral {

namespace {

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
  return SentReferral{row.id, std::move(code), row.organization_id, row.service_id,
                      ParseStatus(row.status).value_or(ReferralStatus::kNew), created};
}

}  // namespace

std::optional<ReferralStatus> ParseStatus(std::string_view code) {
  for (ReferralStatus s : {ReferralStatus::kNew, ReferralStatus::kAcknowledged, ReferralStatus::kContacted,
                           ReferralStatus::kClosed, ReferralStatus::kRefused, ReferralStatus::kWithdrawn}) {
    if (CodeOf(s) == code) return s;
  }
  return std::nullopt;
}

ReferralKeys ReferralKeys::From(const core::ServerKey& key) {
  return ReferralKeys{key.Derive("referral"), key.Derive("fucode"), key.Derive("followup")};
}

ReferralService::ReferralService(storage::Database& db, ReferralKeys keys)
    : db_(db), keys_(std::move(keys)), dummy_hash_(HashCode(core::RandomHex(16))) {}

std::string ReferralService::LookupOf(const std::string& canonical_code) const {
  return Hex(core::HmacSha256(keys_.lookup, canonical_code));
}

core::Result<SentReferral> ReferralService::Send(const SendRequest& request, TimePoint now) {
  const std::string idempotency_key = Hex(core::HmacSha256(keys_.idempotency, request.flow_token));
  // The code is derived, not stored: a resubmission shows the same code again.
  const std::string code = CodeFromBytes(core::HmacSha256(keys_.code, idempotency_key));
  {
    soci::session sql(db_.pool());
    ReferralRepository repository(sql);
    if (auto existing = repository.FindByIdempotencyKey(idempotency_key)) return SentFrom(*existing, code, false);
  }
  const auto public_key = PublicKeyOf(request.organization_id);
  if (!public_key) {
    return core::Error{core::ErrorCode::kUnavailable,
                       "Ce professionnel ne peut pas encore recevoir de demandes en ligne.", "organization without key"};
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
  row.sealed_report = Seal(request.report, *public_key);
  row.followup_lookup = LookupOf(code);
  row.followup_hash = HashCode(code);
  row.person_public_key = core::Base64UrlEncode(DeriveKeyPair(code, salt).public_key);
  row.person_key_salt = core::Base64UrlEncode(salt);
  row.handover_consent = request.handover_consent ? 1 : 0;
  row.created_on = day;
  row.status_changed_on = day;
  try {
    return db_.InTransaction([&](soci::session& sql) {
      ReferralRepository repository(sql);
      if (auto existing = repository.FindByIdempotencyKey(idempotency_key)) return SentFrom(*existing, code, false);
      repository.Insert(row);
      return SentFrom(row, code, true);
    });
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
    soci::session sql(db_.pool());
    rows = ReferralRepository(sql).FindByLookup(LookupOf(*canonical));
  }
  for (const ReferralRow& row : rows) {
    if (row.followup_hash && VerifyCode(*row.followup_hash, *canonical)) return Located{row.id, *canonical};
  }
  if (rows.empty()) (void)VerifyCode(dummy_hash_, canonical.value_or(typed_code));
  return std::nullopt;
}

std::optional<FollowUp> ReferralService::Find(const std::string& typed_code) {
  const auto located = Locate(typed_code);
  if (!located) return std::nullopt;
  soci::session sql(db_.pool());
  ReferralRepository repository(sql);
  const auto row = repository.FindById(located->id);
  if (!row) return std::nullopt;
  FollowUp out{row->id, row->organization_id, row->service_id, ParseStatus(row->status).value_or(ReferralStatus::kNew),
               row->created_on, row->status_changed_on, {}};
  const auto messages = repository.Messages(row->id);
  std::optional<KeyPair> keys;
  for (const MessageRow& m : messages) {
    FollowUpMessage message{m.sender == "professional" ? MessageSender::kProfessional : MessageSender::kPerson,
                            m.created_on, ""};
    if (message.sender == MessageSender::kProfessional && row->person_public_key && row->person_key_salt) {
      if (!keys) keys = DeriveKeyPair(located->canonical_code, core::Base64UrlDecode(*row->person_key_salt).value_or(""));
      message.text = Open(m.sealed_body, *keys).value_or("");
      if (message.text.empty()) spdlog::warn("event=referral_message_unreadable referral={}", row->id);
    }
    out.messages.push_back(std::move(message));
  }
  return out;
}

core::Result<core::Ok> ReferralService::Reply(const std::string& typed_code, const std::string& text, TimePoint now) {
  std::size_t characters = 0;
  for (unsigned char c : text) characters += (c & 0xC0) != 0x80;  // UTF-8 characters, not bytes
  if (characters == 0 || characters > kMaxMessageLength) {
    return core::Error{core::ErrorCode::kInvalidInput, "Votre message doit faire entre 1 et 2 000 caractères.", "length"};
  }
  const auto located = Locate(typed_code);
  if (!located) return core::Error{core::ErrorCode::kNotFound, "", "no referral"};
  return db_.InTransaction([&](soci::session& sql) -> core::Result<core::Ok> {
    ReferralRepository repository(sql);
    const auto row = repository.FindById(located->id);
    const auto public_key = row ? repository.PublicKeyOf(row->organization_id) : std::nullopt;
    if (!row || row->status == CodeOf(ReferralStatus::kWithdrawn) || !public_key) {
      return core::Error{core::ErrorCode::kNotFound, "", "no referral or key"};
    }
    const auto key = core::Base64UrlDecode(*public_key);
    if (!key) throw core::InfrastructureError("referral: malformed organization key");
    repository.InsertMessage(MessageRow{"msg-" + core::RandomHex(8), row->id, "person", Seal(text, *key),
                                        core::ParisDate(now), 0});
    return core::Ok{};
  });
}

core::Result<core::Ok> ReferralService::Delete(const std::string& typed_code, TimePoint now) {
  const auto located = Locate(typed_code);
  if (!located) return core::Error{core::ErrorCode::kNotFound, "", "no referral"};
  db_.InTransaction([&](soci::session& sql) { ReferralRepository(sql).Withdraw(located->id, core::ParisDate(now)); });
  return core::Ok{};
}

void ReferralService::AddProfessionalMessage(const std::string& referral_id, const std::string& text, TimePoint now) {
  db_.InTransaction([&](soci::session& sql) {
    ReferralRepository repository(sql);
    const auto row = repository.FindById(referral_id);
    if (!row || !row->person_public_key) throw core::InfrastructureError("referral: no person key");
    const auto key = core::Base64UrlDecode(*row->person_public_key);
    if (!key) throw core::InfrastructureError("referral: malformed person key");
    repository.InsertMessage(MessageRow{"msg-" + core::RandomHex(8), referral_id, "professional", Seal(text, *key),
                                        core::ParisDate(now), 0});
  });
}

std::optional<std::string> ReferralService::PublicKeyOf(const std::string& organization_id) {
  soci::session sql(db_.pool());
  const auto stored = ReferralRepository(sql).PublicKeyOf(organization_id);
  if (!stored) return std::nullopt;
  return core::Base64UrlDecode(*stored);
}

void ReferralService::SetPublicKey(const std::string& organization_id, const std::string& public_key, TimePoint now) {
  db_.InTransaction([&](soci::session& sql) {
    ReferralRepository(sql).SavePublicKey(organization_id, core::Base64UrlEncode(public_key), core::ParisDate(now));
  });
}

}  // namespace passerelle::referral
