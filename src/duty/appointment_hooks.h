#pragma once
// The appointment hooks of the public pages (issue 12 §2): src/referral, below duty, reaches the
// slots only through ReferralSettings' functions, which this sets from `appointments` (called by
// the composition root, src/commands.cpp).

#include <chrono>

#include "duty/booking.h"
#include "referral/register.h"

namespace passerelle::duty {

// How far ahead her pages offer open slots.
inline constexpr std::chrono::days kBookingAhead{14};

// `appointments` must outlive the router the settings go to.
void WireAppointments(Appointments& appointments, referral::ReferralSettings& settings);

}  // namespace passerelle::duty
