#pragma once

#include <string_view>

namespace passerelle::stats {

// What is counted, per territory and day. Never an identifier, an IP or a time of day.
enum class StatEvent {
  kHelpButtonClick,
  kFlowStarted,
  kFlowCompleted,
  kMinorRedirected,
  kEmergencyExit,
  kReferralSent,
  kNoMatch,
};

// Stable code stored in the database.
constexpr std::string_view CodeOf(StatEvent event) {
  switch (event) {
    case StatEvent::kHelpButtonClick: return "help_button_click";
    case StatEvent::kFlowStarted: return "flow_started";
    case StatEvent::kFlowCompleted: return "flow_completed";
    case StatEvent::kMinorRedirected: return "minor_redirected";
    case StatEvent::kEmergencyExit: return "emergency_exit";
    case StatEvent::kReferralSent: return "referral_sent";
    case StatEvent::kNoMatch: return "no_match";
  }
  return "unknown";
}

}  // namespace passerelle::stats
