-- The audit log (issue 4 §7, docs/audit.md): append-only and hash-chained. Each entry stores
-- the hash of the entry before it; `hash` is BLAKE2b-256 (hex) over seq, at, actor, action,
-- object, detail and prev_hash. Never report content nor personal data in any column.
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,      -- 1, 2, 3… without gaps: a gap is a removed entry
  at BIGINT NOT NULL,          -- Unix seconds
  actor TEXT NOT NULL,         -- "account:<id>", "anonymous", "system:jobs", "cli", "person"
  action TEXT NOT NULL,        -- "login.success", "referral.status", …
  object TEXT NOT NULL,        -- "referral:<id>", "organization:<id>", "" …
  detail TEXT NOT NULL,        -- short and content-free ("new->acknowledged")
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);

CREATE INDEX audit_log_at ON audit_log (at);

-- The one row (id = 1) that every append updates in its transaction: on PostgreSQL the UPDATE
-- takes a row lock that serializes appenders of every instance; on SQLite writers are already
-- serialized (BEGIN IMMEDIATE). last_*: the newest entry (what a removed tail is checked
-- against). anchor_*: the newest entry removed by retention (seq 0 and the genesis hash while
-- nothing was removed); the oldest kept entry must link to it.
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY,
  last_seq BIGINT NOT NULL,
  last_hash TEXT NOT NULL,
  anchor_seq BIGINT NOT NULL,
  anchor_hash TEXT NOT NULL
);

INSERT INTO audit_head (id, last_seq, last_hash, anchor_seq, anchor_hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0, '0000000000000000000000000000000000000000000000000000000000000000');
