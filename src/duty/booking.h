#pragma once
// Appointment slots ("Prendre rendez-vous", issue 12 §2; migrations/0020_appointments.sql): the
// organization publishes slots of a service, a booking holds one. No double booking: a slot
// moves from open to booked in one guarded UPDATE (… WHERE status = 'open'), so of two bookings
// at once exactly one wins, on SQLite and PostgreSQL alike (tested with concurrent threads).
// What ties a booking to her (her sealed referral and its follow-up code) is the caller's.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "duty/schedule.h"

namespace soci {
class session;
}
namespace passerelle::storage {
class Database;
}

namespace passerelle::duty {

struct AppointmentSlot {
  std::string id;
  std::string service_id;
  std::string organization_id;
  Instant starts, ends;
  std::string mode;    // in_person | phone | video
  std::string place;   // the address, or the organization's video link
  std::string status;  // open | booked | cancelled
  std::optional<std::string> booking;
  // migrations/0022: the booking an organization's cancel took away; honoured | missed.
  std::optional<std::string> cancelled_booking;
  std::optional<std::string> outcome;
};

// The instant a Paris wall clock reads `clock` ("14:30") on day `day` ("2026-01-13"), for the
// form that publishes a slot: kInvalidInput names "day" or "starts" (also an hour that does not
// exist, in the spring gap); in the autumn's repeated hour, the first of the two.
core::Result<Instant> ParisInstant(const std::string& day, const std::string& clock);

class Appointments {
 public:
  explicit Appointments(storage::Database& db) : db_(db) {}

  // A new open slot; kInvalidInput names the field ("starts", "length", "mode", "place");
  // kNotFound when the service is not the organization's.
  core::Result<std::string> Publish(const std::string& organization_id, const std::string& service_id, Instant starts,
                                    std::chrono::minutes length, const std::string& mode, const std::string& place,
                                    Instant now);

  // The open slots of `service_ids` starting in [from, to), by start.
  std::vector<AppointmentSlot> OpenSlots(const std::vector<std::string>& service_ids, Instant from, Instant to) const;

  // Holds the slot for `booking`: kConflict when it is no longer open (taken, cancelled) or
  // already past `now`, or when `booking` already holds a slot; kNotFound when unknown.
  core::Result<core::Ok> Book(const std::string& slot_id, const std::string& booking, Instant now);
  // The same, inside the caller's transaction (her referral and its slot are written together).
  static core::Result<core::Ok> Book(soci::session& sql, const std::string& slot_id, const std::string& booking,
                                     Instant now);

  // She cancels (by her booking): the slot opens again for someone else. The content-free
  // notify::Kind::kAppointmentCancelled e-mail is queued in the same transaction, as a call-back's:
  // to the organization's members on duty at `now`, then to its address (never to her).
  core::Result<core::Ok> CancelByPerson(const std::string& booking, Instant now);
  // The organization cancels one of its slots, booked or not: it is gone for everyone. Returns
  // the booking it held, if any, which stays as `cancelled_booking` (her /suivi says so).
  core::Result<std::optional<std::string>> CancelByOrganization(const std::string& organization_id,
                                                                const std::string& slot_id);

  // The slot `booking` holds, if any.
  std::optional<AppointmentSlot> OfBooking(const std::string& booking) const;
  // The slot `booking` holds or, when it holds none, the last one the organization cancelled
  // under it (status "cancelled"): what her follow-up page shows.
  std::optional<AppointmentSlot> LastOfBooking(const std::string& booking) const;

  // The professional marks a booked slot that has started: "honoured" or "missed". kInvalidInput
  // for another value; kNotFound for a slot not the organization's; kConflict when not booked or
  // not started yet. Returns whether it is the slot's first "honoured" (what is counted).
  core::Result<bool> MarkOutcome(const std::string& organization_id, const std::string& slot_id,
                                 const std::string& outcome, Instant now);

  // The territory of an organization ("" when unknown): where the counters go.
  std::string TerritoryOf(const std::string& organization_id) const;

  // An organization's slots starting in [from, to), by start (its upcoming slots).
  std::vector<AppointmentSlot> OfOrganization(const std::string& organization_id, Instant from, Instant to) const;

  // An organization's slots starting on Paris day `day`, by start (the professional's day).
  std::vector<AppointmentSlot> Day(const std::string& organization_id, std::chrono::sys_days day) const;

 private:
  storage::Database& db_;
};

}  // namespace passerelle::duty
