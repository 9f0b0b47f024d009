-- Professional space: accounts, memberships with wrapped organization keys, invitations,
-- sessions (issue 4 §1-2, docs/accounts.md, docs/adr/0007). Timestamps are Unix seconds (BIGINT). Nothing here can
-- open a report without a member's password: organization secret keys are stored only wrapped.

-- role: member | coordinator | operator. status: invited | active | disabled.
-- territory_slug: the coordinator's territory (NULL for members and operators).
CREATE TABLE account (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,  -- lower case
  role TEXT NOT NULL,
  territory_slug TEXT REFERENCES territory (slug),
  status TEXT NOT NULL,
  password_hash TEXT,          -- Argon2id (crypto_pwhash_str); NULL until the invitation is used
  totp_secret TEXT,            -- encrypted with a server sub-key; NULL until enrolled
  totp_last_step BIGINT NOT NULL DEFAULT 0,  -- a TOTP step is never accepted twice
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  -- The account's own X25519 pair (members): a granter seals an organization key to public_key;
  -- secret_wrapped is the secret key wrapped (XChaCha20-Poly1305) with a key derived from the
  -- password (Argon2id, secret_salt). All base64url; NULL until a password is set.
  public_key TEXT,
  secret_wrapped TEXT,
  secret_salt TEXT
);

CREATE INDEX account_territory ON account (territory_slug, role);

-- A member of an organization. wrapped_key: the organization's X25519 secret key wrapped with
-- a key derived from the member's password (Argon2id, key_salt); NULL when the member has no
-- access to the reports (not granted yet, or password reset without a grant).
CREATE TABLE membership (
  account_id TEXT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  organization_id TEXT NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
  wrapped_key TEXT,
  key_salt TEXT,
  created_at BIGINT NOT NULL,
  -- A grant waiting for the member's next login: the organization's secret key sealed
  -- (crypto_box_seal) to account.public_key by a member who had it; converted into wrapped_key
  -- at login, then cleared.
  granted_key TEXT,
  granted_by TEXT,
  granted_at BIGINT,
  PRIMARY KEY (account_id, organization_id)
);

CREATE INDEX membership_organization ON membership (organization_id);

-- Where content-free notifications of an organization go (issue 4 §5, §9). Without a row, the
-- organization's public e-mail address is used.
CREATE TABLE organization_settings (
  organization_id TEXT PRIMARY KEY REFERENCES organization (id) ON DELETE CASCADE,
  notification_email TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- ---- accounts (src/accounts, docs/accounts.md) ----

-- One-time links: an invitation (password then TOTP), a password reset (same, and the keys
-- are lost), a TOTP reset (password check then TOTP). Only a hash of the token is stored.
-- kind: invite | password_reset | totp_reset.
CREATE TABLE account_invitation (
  token_hash TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  -- The first member of an organization receives its secret key through the invitation:
  -- encrypted with a key derived from the token (which the database does not hold).
  organization_id TEXT,
  carried_key TEXT,
  pending_totp_secret TEXT,   -- encrypted like account.totp_secret, until a code confirms it
  password_done_at BIGINT,     -- first step done
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);

CREATE INDEX account_invitation_account ON account_invitation (account_id);

-- Sessions: id is a hash of the cookie token. key_box: the member's organization keys,
-- encrypted with a key derived from the server key and the cookie token (docs/adr/0007).
CREATE TABLE account_session (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  key_box TEXT
);

CREATE INDEX account_session_account ON account_session (account_id);

-- The organization's secret key wrapped with its recovery code (Argon2id, key_salt), printed
-- once when the keys were created or adopted.
CREATE TABLE organization_recovery (
  organization_id TEXT PRIMARY KEY REFERENCES organization (id) ON DELETE CASCADE,
  wrapped_key TEXT NOT NULL,
  key_salt TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

-- Login throttling (docs/accounts.md): counters keyed by an HMAC (server sub-key) of the
-- e-mail address and/or the client address, so that neither is stored. Forgotten a day after
-- the last failure.
CREATE TABLE login_throttle (
  throttle_key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  last_failure_at BIGINT NOT NULL,
  last_success_at BIGINT NOT NULL
);
