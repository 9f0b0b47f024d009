-- Several `serve` instances on one PostgreSQL database share the live conversations through
-- these two tables (ADR 0014, src/conversation/relay.h); on SQLite (one process) they stay empty.
-- live_instance: each running instance, its random id, the public half of a key pair that lives
-- in its memory only (base64url), and its last heartbeat (Unix milliseconds); rows of instances
-- silent for 20 seconds are deleted.
-- live_relay: what an instance sends another (a conversation's state, a forwarded command), each
-- row sealed (crypto_box_seal) to the recipient's key, deleted by the recipient as it reads it, and
-- by any instance once older than 20 seconds or addressed to a stopped instance. Nothing in it is
-- ever in clear, and nothing outlives the processes that could open it.
CREATE TABLE live_instance (
  id TEXT PRIMARY KEY,
  public_key TEXT NOT NULL,
  seen_at BIGINT NOT NULL
);

CREATE TABLE live_relay (
  sender TEXT NOT NULL,
  seq BIGINT NOT NULL,
  recipient TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  sealed TEXT NOT NULL,
  PRIMARY KEY (sender, seq, recipient)
);

CREATE INDEX live_relay_recipient ON live_relay (recipient);
