#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

constexpr std::string_view CodeOf(ReferralStatus status) {
  switch (status) {
    case ReferralStatus::kNew:
      return "new";
    case ReferralStatus::kAcknowledged:
      return "acknowledged";
    case ReferralStatus::kContacted:
      return "contacted";
    case ReferralStatus::kClosed:
      return "closed";
    case ReferralStatus::kRefused:
      return "refused";
    case ReferralStatus::kWithdrawn:
      return "withdrawn";
    case ReferralStatus::kHandedOver:
      return "handed_over";
    case ReferralStatus::kExpired:
      return "expired";
  }
  return "new";
}

std::optional<ReferralStatus> ParseStatus(std::string_view code);

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

std::string_view CodeOf(CloseOutcome outcome);
std::string_view CodeOf(RefusalReason reason);
std::optional<CloseOutcome> ParseOutcome(std::string_view code);
std::optional<RefusalReason> ParseRefusalReason(std::string_view code);
extern const std::vector<CloseOutcome> kAllOutcomes;
extern const std::vector<RefusalReason> kAllRefusalReasons;

enum class MessageSender { kPerson, kProfessional };

}  // namespace passerelle::referral
