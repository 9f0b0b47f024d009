#include "referral/rekey.h"

#include <sodium.h>

#include "core/crypto.h"
#include "referral/repository.h"

namespace passerelle::referral {

namespace {

core::Error Unreadable(const std::string& referral_id, std::string_view part) {
  return core::Error{core::ErrorCode::kConflict,
                     "La demande " + referral_id +
                         " contient un élément que la clé actuelle de l’organisation ne peut pas ouvrir (abîmé, ou "
                         "chiffré pour une autre clé). Rien n’a été changé : la clé reste la même. Signalez-le à "
                         "l’équipe qui exploite Passerelle en donnant ce numéro de demande.",
                     "unreadable item referral=" + referral_id + " part=" + std::string(part)};
}

// The plaintext of one sealed item, re-sealed to the new key; nothing when it does not open.
std::optional<std::string> Reseal(const std::string& sealed, const org_keys::KeyPair& old_keys,
                                  std::string_view new_public_key) {
  auto text = org_keys::Open(sealed, old_keys);
  if (!text) return std::nullopt;
  std::string resealed = org_keys::Seal(*text, new_public_key);
  sodium_memzero(text->data(), text->size());
  return resealed;
}

}  // namespace

core::Result<ResealCount> ResealOrganization(soci::session& sql, const std::string& organization_id,
                                             const org_keys::KeyPair& old_keys, std::string_view new_public_key) {
  ReferralRepository repository(sql);
  ResealCount count;
  // A conditional update that finds nothing means the value changed meanwhile (she withdrew the
  // referral, retention deleted its content): there is nothing left to re-seal.
  for (const ReferralRow& row : repository.ListByOrganization(organization_id)) {
    std::size_t items = 0;
    if (row.sealed_report) {
      const auto resealed = Reseal(*row.sealed_report, old_keys, new_public_key);
      if (!resealed) return Unreadable(row.id, "report");
      items += repository.ResealReport(row.id, *row.sealed_report, *resealed) ? 1 : 0;
    }
    if (row.sealed_summary) {
      const auto resealed = Reseal(*row.sealed_summary, old_keys, new_public_key);
      if (!resealed) return Unreadable(row.id, "summary");
      items += repository.ResealSummary(row.id, *row.sealed_summary, *resealed) ? 1 : 0;
    }
    for (const MessageRow& m : repository.Messages(row.id)) {
      // Hers: the body is the organization's; the professionals': the copy is.
      if (m.sender == "person") {
        const auto resealed = Reseal(m.sealed_body, old_keys, new_public_key);
        if (!resealed) return Unreadable(row.id, "message " + m.id);
        items += repository.ResealMessageBody(m.id, m.sealed_body, *resealed) ? 1 : 0;
      } else if (m.sealed_copy) {
        const auto resealed = Reseal(*m.sealed_copy, old_keys, new_public_key);
        if (!resealed) return Unreadable(row.id, "message copy " + m.id);
        items += repository.ResealMessageCopy(m.id, *m.sealed_copy, *resealed) ? 1 : 0;
      }
    }
    if (items > 0) ++count.referrals;
    count.items += items;
  }
  return count;
}

}  // namespace passerelle::referral
