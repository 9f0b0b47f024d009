-- Appointment slots ("Prendre rendez-vous", issue 12 §2, docs/immediate-connection.md). An
-- organization publishes slots of a service; a person holds one. Instants are Unix seconds.
-- mode: in_person | phone | video; place: the address, or the video link the organization
-- provides (never anything about her). status: open | booked | cancelled.
-- booking: what ties the slot to her (the id of her sealed referral, whose follow-up code shows
-- the appointment at /suivi); NULL while open. A slot is held by one booking at most: booking
-- moves from NULL only through "UPDATE … WHERE status = 'open'" (duty/booking.h), and the unique
-- index keeps one booking from holding two slots.
CREATE TABLE appointment_slot (
  id TEXT PRIMARY KEY,
  service_id TEXT NOT NULL REFERENCES service (id) ON DELETE CASCADE,
  organization_id TEXT NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  mode TEXT NOT NULL,
  place TEXT NOT NULL,
  status TEXT NOT NULL,
  booking TEXT,
  created_at BIGINT NOT NULL
);

CREATE INDEX appointment_slot_service ON appointment_slot (service_id, status, starts_at);
CREATE INDEX appointment_slot_organization ON appointment_slot (organization_id, starts_at);
CREATE UNIQUE INDEX appointment_slot_booking ON appointment_slot (booking);
