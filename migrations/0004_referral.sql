-- Referrals (issue 3 §6–7, docs/referral.md). Nothing here is readable about the person: the
-- report and every message are sealed (libsodium crypto_box_seal) to the receiving
-- organization's X25519 public key, or to the person's own follow-up key, and stored as
-- base64url text (portable between SQLite and PostgreSQL through SOCI 4.0, which binds
-- std::string as text on both). Dates are Paris calendar days 'YYYY-MM-DD': no time of day is
-- kept (retention and escalation are counted in days).

-- Public keys of organizations (X25519, 32 bytes, base64url). Until the professional space
-- manages keys, `passerelle demo` gives each demonstration organization a pair.
CREATE TABLE organization_key (
  organization_id TEXT PRIMARY KEY REFERENCES organization (id) ON DELETE CASCADE,
  public_key TEXT NOT NULL,
  created_on TEXT NOT NULL
);

-- status: new | acknowledged | contacted | closed | refused | withdrawn (the person deleted it:
-- the content is gone, the row stays so that the professional sees it was withdrawn and a
-- resubmitted flow token does not create it again).
CREATE TABLE referral (
  id TEXT PRIMARY KEY,
  -- HMAC of the flow token under a server sub-key: the same token gives the same referral.
  idempotency_key TEXT NOT NULL UNIQUE,
  territory_slug TEXT NOT NULL,
  organization_id TEXT NOT NULL REFERENCES organization (id),
  service_id TEXT NOT NULL,
  status TEXT NOT NULL,
  sealed_report TEXT,
  -- Follow-up code: HMAC under a server sub-key (the lookup index; not unique, a collision is
  -- resolved by the hash) and its Argon2id hash (crypto_pwhash_str), which is what proves it.
  followup_lookup TEXT,
  followup_hash TEXT,
  -- The person's X25519 public key, derived from her follow-up code (Argon2id with this salt):
  -- the professional's messages are sealed to it, so only the code opens them.
  person_public_key TEXT,
  person_key_salt TEXT,
  handover_consent INTEGER NOT NULL,
  created_on TEXT NOT NULL,
  status_changed_on TEXT NOT NULL
);

CREATE INDEX referral_followup_lookup ON referral (followup_lookup);
CREATE INDEX referral_organization ON referral (organization_id, status);

-- sender: person | professional. Sealed to the organization (person) or to the person's key
-- (professional).
CREATE TABLE referral_message (
  id TEXT PRIMARY KEY,
  referral_id TEXT NOT NULL REFERENCES referral (id) ON DELETE CASCADE,
  sender TEXT NOT NULL,
  sealed_body TEXT NOT NULL,
  created_on TEXT NOT NULL,
  sort_order INTEGER NOT NULL
);

CREATE INDEX referral_message_referral ON referral_message (referral_id, sort_order);
