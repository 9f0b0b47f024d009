#include "key_rotation/service.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "audit/audit_log.h"
#include "core/crypto.h"
#include "core/paris_time.h"
#include "org_keys/service.h"
#include "profile/key_rotation.h"
#include "referral/rekey.h"

namespace passerelle::key_rotation {

namespace {

core::Error NoApprovedRotation() {
  return core::Error{core::ErrorCode::kConflict,
                     "Aucun changement de clé approuvé n’attend pour cette organisation : demandez-le depuis le "
                     "profil de l’organisation, puis attendez l’accord de la coordination du territoire.",
                     "no approved rotation"};
}

}  // namespace

bool KeyRotationService::Approved(const std::string& organization_id) {
  soci::session sql(db_.pool());
  return profile::ApprovedKeyRotation(sql, organization_id).has_value();
}

std::string KeyRotationService::OrganizationName(const std::string& organization_id) {
  return accounts_.OrganizationName(organization_id).value_or(organization_id);
}

KeyRotationState KeyRotationService::StateOf(const accounts::Principal& principal, const std::string& organization_id) {
  if (!principal.IsMemberOf(organization_id)) return {};
  KeyRotationState state;
  state.approved = Approved(organization_id);
  state.has_key = sessions_.OrganizationKey(principal, organization_id).has_value();
  return state;
}

core::Result<KeyRotated> KeyRotationService::Rotate(const accounts::Principal& principal,
                                                    const std::string& organization_id, const std::string& password) {
  // Coordinators and operators are never members: they never get this far, nor hold a key.
  if (!principal.IsMemberOf(organization_id)) return core::Error{core::ErrorCode::kNotFound, "", "not a member"};
  const auto old_keys = sessions_.OrganizationKey(principal, organization_id);
  if (!old_keys) {
    return core::Error{core::ErrorCode::kForbidden,
                       "Vous n’avez pas accès aux demandes de cette organisation : seul un membre qui y a accès peut "
                       "changer sa clé.",
                       "no key in session"};
  }
  if (!Approved(organization_id)) return NoApprovedRotation();
  auto prepared = accounts_.PrepareKeyRotation(principal, organization_id, password);
  if (!prepared) return prepared.error();
  const accounts::PreparedKeyRotation& fresh = prepared.value();
  KeyRotated done;
  done.recovery_code = fresh.recovery_code;

  soci::session sql(db_.pool());
  storage::Database::Transaction tx(sql, db_.backend());  // rolled back by any return before Commit
  // The lock every sealing path takes (src/org_keys/service.h): a referral sent meanwhile waits
  // and is then sealed to the new key, or was committed before and is re-sealed below.
  const auto locked = org_keys::LockOrganizationKey(sql, organization_id);
  if (locked != core::Base64UrlEncode(old_keys->public_key)) {
    return core::Error{core::ErrorCode::kConflict,
                       "La clé de l’organisation a déjà changé entre-temps. Déconnectez-vous et reconnectez-vous pour "
                       "recevoir la nouvelle.",
                       "key changed meanwhile"};
  }
  const auto request_id = profile::ApprovedKeyRotation(sql, organization_id);
  if (!request_id) return NoApprovedRotation();
  done.request_id = *request_id;
  auto resealed = referral::ResealOrganization(sql, organization_id, *old_keys, fresh.fresh.public_key);
  if (!resealed) {
    spdlog::warn("event=key_rotation_refused organization={} reason={}", organization_id,
                 resealed.error().internal_detail);
    return resealed.error();
  }
  done.referrals = resealed.value().referrals;
  done.items = resealed.value().items;
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(fresh.now));
  org_keys::ReplaceOrganizationKey(sql, organization_id, fresh.fresh.public_key, core::ParisDate(now));

  const accounts::MembersRekeyed members = accounts_.ApplyKeyRotation(sql, principal, organization_id, fresh);
  done.grants = members.grants;
  done.access_removed = members.access_removed;
  done.invitations = members.invitations;
  done.sessions_killed = members.sessions_killed;
  profile::MarkKeyRotationApplied(sql, organization_id, fresh.now);
  audit::Append(
      sql,
      audit::Entry{"account:" + fresh.account_id, "organization.key_rotated", "organization:" + organization_id,
                   "request:" + done.request_id + " referrals:" + std::to_string(done.referrals) +
                       " items:" + std::to_string(done.items) + " grants:" + std::to_string(done.grants) +
                       " access_removed:" + std::to_string(done.access_removed) + " invitations:" +
                       std::to_string(done.invitations) + " sessions_killed:" + std::to_string(done.sessions_killed)},
      now);
  tx.Commit();
  spdlog::info("event=organization_key_rotated organization={} referrals={} items={} grants={} sessions_killed={}",
               organization_id, done.referrals, done.items, done.grants, done.sessions_killed);
  return done;
}

}  // namespace passerelle::key_rotation
