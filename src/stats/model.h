#pragma once

#include <optional>
#include <string_view>

#include "core/enum_codes.h"

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
  // Visits of public pages (issue 11 §4), counted in memory and written by the minute (visits.h).
  kVisitHome,
  kVisitHelp,
  kVisitSheets,
  kVisitDirectory,
  // Immediate connection (issue 12 §4): call-backs asked for and marked "appelée".
  kCallBackRequested,
  kCallBackMade,
};

// Stable codes stored in the database.
inline constexpr auto kStatEventCodes = core::MakeEnumCodes<StatEvent>({
    {StatEvent::kHelpButtonClick, "help_button_click"},
    {StatEvent::kFlowStarted, "flow_started"},
    {StatEvent::kFlowCompleted, "flow_completed"},
    {StatEvent::kMinorRedirected, "minor_redirected"},
    {StatEvent::kEmergencyExit, "emergency_exit"},
    {StatEvent::kReferralSent, "referral_sent"},
    {StatEvent::kNoMatch, "no_match"},
    {StatEvent::kVisitHome, "visit_home"},
    {StatEvent::kVisitHelp, "visit_help"},
    {StatEvent::kVisitSheets, "visit_sheets"},
    {StatEvent::kVisitDirectory, "visit_directory"},
    {StatEvent::kCallBackRequested, "call_back_requested"},
    {StatEvent::kCallBackMade, "call_back_made"},
});
static_assert(kStatEventCodes.IsComplete());

constexpr std::string_view CodeOf(StatEvent event) { return kStatEventCodes.ToCode(event); }
constexpr std::optional<StatEvent> ParseStatEvent(std::string_view code) { return kStatEventCodes.FromCode(code); }

}  // namespace passerelle::stats
