-- Referral workflow (issue 4 §3, §4, §6; docs/referral.md, docs/jobs.md). Still nothing readable
-- about the person: the inbox summary and every message copy are sealed (crypto_box_seal), and
-- the codes added here (outcome, refusal reason) describe the professional's handling, not her.
-- Dates stay Paris calendar days 'YYYY-MM-DD' (see 0004).

-- status gains: handed_over (transmitted to another organization: `handed_over_to` names the
-- new referral row, which names this one in `handed_over_from`) and expired (jobs).
-- sealed_summary: {"needs": …, "commune": …} sealed to the organization at sending, for the
-- inbox list (opened with the member's session key, never stored in clear).
ALTER TABLE referral ADD COLUMN sealed_summary TEXT;
-- closed: accompanied | oriented_elsewhere | no_contact_possible | declined | other.
ALTER TABLE referral ADD COLUMN outcome TEXT;
-- refused: out_of_area | not_our_field | no_capacity | other.
ALTER TABLE referral ADD COLUMN refusal_reason TEXT;
-- The professional's optional words to her on refusal, sealed to person_public_key only.
ALTER TABLE referral ADD COLUMN sealed_refusal_note TEXT;
ALTER TABLE referral ADD COLUMN handed_over_from TEXT REFERENCES referral (id);
ALTER TABLE referral ADD COLUMN handed_over_to TEXT REFERENCES referral (id);
-- Jobs: the day a reminder / an escalation was queued (each is sent once), and the day the
-- content (report, summary, messages, refusal note) was deleted by retention.
ALTER TABLE referral ADD COLUMN reminded_on TEXT;
ALTER TABLE referral ADD COLUMN escalated_on TEXT;
ALTER TABLE referral ADD COLUMN content_deleted_on TEXT;

CREATE INDEX referral_status_day ON referral (status, status_changed_on);

-- Every message is stored twice, sealed for each side: `sealed_body` to its recipient (0004),
-- `sealed_copy` to its author's side (her messages: to her follow-up key; the professional's:
-- to the organization), so that both sides read the whole conversation and nobody else does.
-- organization_id: the organization that wrote a professional message (kept across a hand-over).
ALTER TABLE referral_message ADD COLUMN sealed_copy TEXT;
ALTER TABLE referral_message ADD COLUMN organization_id TEXT;

-- Delays of the jobs per territory, in Paris days; without a row the defaults of docs/jobs.md
-- apply (2, 3, 90, 30). A job acts when MORE than the delay has passed since the day counted
-- from (so a 2-day reminder comes between 48 and 72 hours after sending, never earlier).
CREATE TABLE referral_delays (
  territory_slug TEXT PRIMARY KEY REFERENCES territory (slug) ON DELETE CASCADE,
  reminder_days INTEGER NOT NULL,
  escalation_days INTEGER NOT NULL,
  expiry_days INTEGER NOT NULL,
  retention_days INTEGER NOT NULL,
  updated_at BIGINT NOT NULL
);
