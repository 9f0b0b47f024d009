-- Appointment slots, continued (issue 12 §2, docs/immediate-connection.md "Appointment slots").
-- cancelled_booking: the booking an organization's cancel took away (booking becomes NULL, so
-- that she may book again), kept so that her follow-up page can say the organization cancelled.
-- outcome: NULL (not marked) | honoured | missed, as the professional marks a booked slot.
ALTER TABLE appointment_slot ADD COLUMN cancelled_booking TEXT;
ALTER TABLE appointment_slot ADD COLUMN outcome TEXT;

CREATE INDEX appointment_slot_cancelled_booking ON appointment_slot (cancelled_booking);
