#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/enum_codes.h"

namespace passerelle::referral {

// Life of a referral (DESIGN.md §4, docs/referral.md "Workflow"). Stored codes are stable
// English ASCII.
enum class ReferralStatus {
  kNew,           // sent, not taken in hand yet
  kAcknowledged,  // a professional took it in hand
  kContacted,     // the professional contacted the person as she asked
  kClosed,        // with an outcome (CloseOutcome)
  kRefused,       // the organization cannot help (RefusalReason); she sees other contacts
  kWithdrawn,     // the person deleted it: its content is gone
  kHandedOver,    // transmitted, with her consent, to another organization (a new referral row)
  kExpired,       // left open too long without activity (jobs)
};

inline constexpr auto kStatusCodes = core::MakeEnumCodes<ReferralStatus>({
    {ReferralStatus::kNew, "new"},
    {ReferralStatus::kAcknowledged, "acknowledged"},
    {ReferralStatus::kContacted, "contacted"},
    {ReferralStatus::kClosed, "closed"},
    {ReferralStatus::kRefused, "refused"},
    {ReferralStatus::kWithdrawn, "withdrawn"},
    {ReferralStatus::kHandedOver, "handed_over"},
    {ReferralStatus::kExpired, "expired"},
});
static_assert(kStatusCodes.IsComplete());

constexpr std::string_view CodeOf(ReferralStatus status) { return kStatusCodes.ToCode(status); }
constexpr std::optional<ReferralStatus> ParseStatus(std::string_view code) { return kStatusCodes.FromCode(code); }

// Open: a professional may still act on it (and she may still write).
constexpr bool IsOpen(ReferralStatus status) {
  return status == ReferralStatus::kNew || status == ReferralStatus::kAcknowledged ||
         status == ReferralStatus::kContacted;
}

// How a closed referral ended.
enum class CloseOutcome {
  kAccompanied,        // the organization accompanies her
  kOrientedElsewhere,  // oriented to another professional (outside Passerelle)
  kNoContactPossible,  // she could not be reached safely
  kDeclined,           // she did not wish to go on
  kOther,
};

// Why an organization refused.
enum class RefusalReason {
  kOutOfArea,    // outside the area it covers
  kNotOurField,  // not what it does
  kNoCapacity,   // no availability at the moment
  kOther,
};

inline constexpr auto kOutcomeCodes = core::MakeEnumCodes<CloseOutcome>({
    {CloseOutcome::kAccompanied, "accompanied"},
    {CloseOutcome::kOrientedElsewhere, "oriented_elsewhere"},
    {CloseOutcome::kNoContactPossible, "no_contact_possible"},
    {CloseOutcome::kDeclined, "declined"},
    {CloseOutcome::kOther, "other"},
});
inline constexpr auto kRefusalReasonCodes = core::MakeEnumCodes<RefusalReason>({
    {RefusalReason::kOutOfArea, "out_of_area"},
    {RefusalReason::kNotOurField, "not_our_field"},
    {RefusalReason::kNoCapacity, "no_capacity"},
    {RefusalReason::kOther, "other"},
});
static_assert(kOutcomeCodes.IsComplete() && kRefusalReasonCodes.IsComplete());

constexpr std::string_view CodeOf(CloseOutcome outcome) { return kOutcomeCodes.ToCode(outcome); }
constexpr std::string_view CodeOf(RefusalReason reason) { return kRefusalReasonCodes.ToCode(reason); }
constexpr std::optional<CloseOutcome> ParseOutcome(std::string_view code) { return kOutcomeCodes.FromCode(code); }
constexpr std::optional<RefusalReason> ParseRefusalReason(std::string_view code) {
  return kRefusalReasonCodes.FromCode(code);
}
// In the order the professional's forms list them.
inline constexpr std::array kAllOutcomes = kOutcomeCodes.Values();
inline constexpr std::array kAllRefusalReasons = kRefusalReasonCodes.Values();

enum class MessageSender { kPerson, kProfessional };

}  // namespace passerelle::referral
