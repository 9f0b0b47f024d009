-- On-duty time ("permanence", issue 12 §1, docs/immediate-connection.md). Times of day are
-- minutes since local midnight in Europe/Paris (0–1440, end after start, no slot across
-- midnight); calendar days are Paris days 'YYYY-MM-DD'; instants are Unix seconds. Nothing here
-- is about a person who asks for help.

-- A recurring weekly slot of a service. weekday: 0 = Monday … 6 = Sunday. account_id: the member
-- who holds it (notified first), or NULL when the whole team of the organization holds it.
CREATE TABLE duty_slot (
  id TEXT PRIMARY KEY,
  service_id TEXT NOT NULL REFERENCES service (id) ON DELETE CASCADE,
  organization_id TEXT NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
  account_id TEXT REFERENCES account (id) ON DELETE CASCADE,
  weekday INTEGER NOT NULL,
  start_minute INTEGER NOT NULL,
  end_minute INTEGER NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE INDEX duty_slot_service ON duty_slot (service_id);
CREATE INDEX duty_slot_organization ON duty_slot (organization_id);

-- An exception to the weekly slots of a service. kind 'closed': no recurring duty from from_day
-- to to_day (both included; start_minute and end_minute NULL). kind 'extra': one more slot on
-- from_day (= to_day) from start_minute to end_minute, held by account_id (NULL: the team).
CREATE TABLE duty_exception (
  id TEXT PRIMARY KEY,
  service_id TEXT NOT NULL REFERENCES service (id) ON DELETE CASCADE,
  organization_id TEXT NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
  account_id TEXT REFERENCES account (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  from_day TEXT NOT NULL,
  to_day TEXT NOT NULL,
  start_minute INTEGER,
  end_minute INTEGER,
  created_at BIGINT NOT NULL
);

CREATE INDEX duty_exception_service ON duty_exception (service_id, to_day);

-- "Je suis disponible maintenant": a member on duty for a service from started_at until ends_at
-- (the automatic end). "Je ne le suis plus" deletes the row; a past row means nothing and is
-- replaced by the next toggle.
CREATE TABLE duty_live (
  account_id TEXT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  service_id TEXT NOT NULL REFERENCES service (id) ON DELETE CASCADE,
  organization_id TEXT NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
  started_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, service_id)
);

CREATE INDEX duty_live_service ON duty_live (service_id, ends_at);
CREATE INDEX duty_live_organization ON duty_live (organization_id, ends_at);

-- Call-backs ("Être rappelée maintenant", issue 12 §2): a referral of kind 'callback', sealed
-- like every referral (docs/referral.md), asked for while its service is on duty, whose
-- professional marks callback_outcome: NULL (not yet) | called | no_answer | later.
ALTER TABLE referral ADD COLUMN kind TEXT NOT NULL DEFAULT 'referral';
ALTER TABLE referral ADD COLUMN callback_outcome TEXT;
