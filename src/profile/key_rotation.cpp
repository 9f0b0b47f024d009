#include "profile/key_rotation.h"

#include "profile/repository.h"

namespace passerelle::profile {

std::optional<std::string> ApprovedKeyRotation(soci::session& sql, const std::string& organization_id) {
  const auto approved = ProfileRepository(sql).ApprovedUnappliedKeyRotations(organization_id);
  if (approved.empty()) return std::nullopt;
  return approved.front().id;
}

std::size_t MarkKeyRotationApplied(soci::session& sql, const std::string& organization_id, long long applied_at) {
  return ProfileRepository(sql).MarkKeyRotationsApplied(organization_id, applied_at);
}

}  // namespace passerelle::profile
