#include "referral/model.h"

namespace passerelle::referral {

const std::vector<CloseOutcome> kAllOutcomes = {CloseOutcome::kAccompanied, CloseOutcome::kOrientedElsewhere,
                                                CloseOutcome::kNoContactPossible, CloseOutcome::kDeclined,
                                                CloseOutcome::kOther};
const std::vector<RefusalReason> kAllRefusalReasons = {RefusalReason::kOutOfArea, RefusalReason::kNotOurField,
                                                       RefusalReason::kNoCapacity, RefusalReason::kOther};

std::optional<ReferralStatus> ParseStatus(std::string_view code) {
  for (ReferralStatus s :
       {ReferralStatus::kNew, ReferralStatus::kAcknowledged, ReferralStatus::kContacted, ReferralStatus::kClosed,
        ReferralStatus::kRefused, ReferralStatus::kWithdrawn, ReferralStatus::kHandedOver, ReferralStatus::kExpired}) {
    if (CodeOf(s) == code) return s;
  }
  return std::nullopt;
}

std::string_view CodeOf(CloseOutcome outcome) {
  switch (outcome) {
    case CloseOutcome::kAccompanied:
      return "accompanied";
    case CloseOutcome::kOrientedElsewhere:
      return "oriented_elsewhere";
    case CloseOutcome::kNoContactPossible:
      return "no_contact_possible";
    case CloseOutcome::kDeclined:
      return "declined";
    case CloseOutcome::kOther:
      return "other";
  }
  return "other";
}

std::string_view CodeOf(RefusalReason reason) {
  switch (reason) {
    case RefusalReason::kOutOfArea:
      return "out_of_area";
    case RefusalReason::kNotOurField:
      return "not_our_field";
    case RefusalReason::kNoCapacity:
      return "no_capacity";
    case RefusalReason::kOther:
      return "other";
  }
  return "other";
}

std::optional<CloseOutcome> ParseOutcome(std::string_view code) {
  for (CloseOutcome o : kAllOutcomes) {
    if (CodeOf(o) == code) return o;
  }
  return std::nullopt;
}

std::optional<RefusalReason> ParseRefusalReason(std::string_view code) {
  for (RefusalReason r : kAllRefusalReasons) {
    if (CodeOf(r) == code) return r;
  }
  return std::nullopt;
}

}  // namespace passerelle::referral
