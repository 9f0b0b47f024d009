-- Failed follow-up attempts at /suivi (issue 15, F6; docs/security.md), kept in the database so
-- that a restart forgets nothing and N instances give the protection of one.
--
-- throttle_key: HMAC (a sub-key of the server key) of the client address, of a code's three
--   words, or of both: neither the address nor the words are stored.
-- failures: failed attempts in the window.
-- window_start: Unix seconds, a multiple of the window (15 minutes): a row dates a failure to
--   its quarter of an hour only, and is deleted once its window is over.
CREATE TABLE attempt_throttle (
  throttle_key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  window_start BIGINT NOT NULL
);

CREATE INDEX attempt_throttle_window ON attempt_throttle (window_start);
