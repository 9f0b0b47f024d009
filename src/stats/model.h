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
  // "Écrire maintenant" (issue 12 §4, docs/conversation.md): offered (an end page proposed it),
  // started, answered (a professional took it), abandoned (ended before anyone answered), and the
  // wait of each answered one in buckets, from which the console reads a median.
  kConversationOffered,
  kConversationStarted,
  kConversationAnswered,
  kConversationAbandoned,
  kConversationWait1m,
  kConversationWait3m,
  kConversationWait5m,
  kConversationWait10m,
  kConversationWaitLonger,
  // Appointments (issue 12 §4, docs/immediate-connection.md): booked, marked honoured by the
  // professional, cancelled (by her or by the organization).
  kAppointmentBooked,
  kAppointmentHonoured,
  kAppointmentCancelled,
};
// The last event: CountedKinds (repository.cpp) lists every kind up to it.
inline constexpr StatEvent kLastStatEvent = StatEvent::kAppointmentCancelled;

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
    {StatEvent::kConversationOffered, "conversation_offered"},
    {StatEvent::kConversationStarted, "conversation_started"},
    {StatEvent::kConversationAnswered, "conversation_answered"},
    {StatEvent::kConversationAbandoned, "conversation_abandoned"},
    {StatEvent::kConversationWait1m, "conversation_wait_1m"},
    {StatEvent::kConversationWait3m, "conversation_wait_3m"},
    {StatEvent::kConversationWait5m, "conversation_wait_5m"},
    {StatEvent::kConversationWait10m, "conversation_wait_10m"},
    {StatEvent::kConversationWaitLonger, "conversation_wait_longer"},
    {StatEvent::kAppointmentBooked, "appointment_booked"},
    {StatEvent::kAppointmentHonoured, "appointment_honoured"},
    {StatEvent::kAppointmentCancelled, "appointment_cancelled"},
});
static_assert(kStatEventCodes.IsComplete());

constexpr std::string_view CodeOf(StatEvent event) { return kStatEventCodes.ToCode(event); }
// The bucket of an answered conversation's wait: at most 1, 3, 5, 10 minutes, or longer.
constexpr StatEvent WaitBucketOf(long long wait_seconds) {
  if (wait_seconds <= 60) return StatEvent::kConversationWait1m;
  if (wait_seconds <= 180) return StatEvent::kConversationWait3m;
  if (wait_seconds <= 300) return StatEvent::kConversationWait5m;
  if (wait_seconds <= 600) return StatEvent::kConversationWait10m;
  return StatEvent::kConversationWaitLonger;
}

constexpr std::optional<StatEvent> ParseStatEvent(std::string_view code) { return kStatEventCodes.FromCode(code); }

}  // namespace passerelle::stats
