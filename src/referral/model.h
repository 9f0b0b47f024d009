#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace passerelle::referral {

// Life of a referral (DESIGN.md §4). Stored codes are stable English ASCII.
enum class ReferralStatus {
  kNew,           // sent, not read yet
  kAcknowledged,  // a professional opened it
  kContacted,     // the professional contacted the person as she asked
  kClosed,
  kRefused,       // the organization cannot help; its message gives other contacts
  kWithdrawn,     // the person deleted it: its content is gone
};

constexpr std::string_view CodeOf(ReferralStatus status) {
  switch (status) {
    case ReferralStatus::kNew: return "new";
    case ReferralStatus::kAcknowledged: return "acknowledged";
    case ReferralStatus::kContacted: return "contacted";
    case ReferralStatus::kClosed: return "closed";
    case ReferralStatus::kRefused: return "refused";
    case ReferralStatus::kWithdrawn: return "withdrawn";
  }
  return "new";
}

std::optional<ReferralStatus> ParseStatus(std::string_view code);

enum class MessageSender { kPerson, kProfessional };

}  // namespace passerelle::referral
