-- The e-mail outbox (issue 4 §5, docs/notifications.md). A row is queued in the transaction of
-- the change it announces and delivered after commit. Notifications are content-free: only the
-- recipient address and the kind of event are stored, never anything about a person.
-- status: pending (waiting for next_attempt_at) | sending (claimed by claimed_by; at most one
-- SMTP conversation) | sent | failed (refused for good or too many attempts) | unknown (the
-- sender died mid-send: never resent automatically, see docs/notifications.md).
-- last_error: an error class only ("connect", "tls", "auth", "temporary", "permanent",
-- "timeout", "other"), never a server answer (it may quote the address).
CREATE TABLE outbox (
  id TEXT PRIMARY KEY,
  recipient TEXT NOT NULL,
  kind TEXT NOT NULL,          -- new_referral | new_message | handover | reminder | escalation | address_change
  created_at BIGINT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  claimed_by TEXT,
  claimed_at BIGINT,
  sent_at BIGINT,
  last_error TEXT
);

CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
