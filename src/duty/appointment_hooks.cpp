#include "duty/appointment_hooks.h"

namespace passerelle::duty {

namespace {

referral::AppointmentOffer OfferOf(const AppointmentSlot& slot) {
  return referral::AppointmentOffer{slot.id, slot.starts, slot.ends, slot.mode, slot.place, slot.status == "cancelled"};
}

}  // namespace

void WireAppointments(Appointments& appointments, referral::ReferralSettings& settings) {
  settings.open_slots = [&appointments](const std::string& service_id) {
    const Instant now = std::chrono::system_clock::now();
    std::vector<referral::AppointmentOffer> out;
    for (const AppointmentSlot& slot : appointments.OpenSlots({service_id}, now, now + kBookingAhead)) {
      out.push_back(OfferOf(slot));
    }
    return out;
  };
  settings.hold_slot = [](soci::session& sql, const std::string& slot_id, const std::string& referral_id) {
    return Appointments::Book(sql, slot_id, referral_id, std::chrono::system_clock::now());
  };
  settings.book_slot = [&appointments](const std::string& slot_id, const std::string& referral_id) {
    return appointments.Book(slot_id, referral_id, std::chrono::system_clock::now());
  };
  settings.appointment_of =
      [&appointments](const std::string& referral_id) -> std::optional<referral::AppointmentOffer> {
    const auto slot = appointments.LastOfBooking(referral_id);
    if (!slot) return std::nullopt;
    return OfferOf(*slot);
  };
  settings.cancel_appointment = [&appointments](const std::string& referral_id) {
    return appointments.CancelByPerson(referral_id, std::chrono::system_clock::now());
  };
}

}  // namespace passerelle::duty
