-- One request, one referral; no follow-up code from a copy of the data folder (issues 10 §2,
-- 15 F1; docs/referral.md). Until now `idempotency_key` held HMAC(server sub-key, flow token) in
-- clear and the follow-up code was words(HMAC(server sub-key "fucode", idempotency_key)): the
-- database and server.key together gave every code. From now on the code derives from a random
-- secret of her flow run that is never stored, and `idempotency_key` holds
-- "run:" || HMAC(server sub-key "referral", run secret, service): it recognises a resubmission
-- and gives nothing back.
--
-- Existing rows cannot be given the new hash (their run secret never existed), so their clear
-- key is replaced by a value that tells nothing ("legacy:" and the row's random id, still
-- unique). Their codes keep working: /suivi finds a referral by the lookup index and proves it
-- with the Argon2id hash (followup_lookup, followup_hash), neither of which changes here. A
-- flow token issued before the upgrade (valid two hours) may then send once more. Hand-over rows
-- ("handover:" and the id of the row handed over) hold nothing secret and stay.
UPDATE referral SET idempotency_key = 'legacy:' || id WHERE idempotency_key NOT LIKE 'run:%'
  AND idempotency_key NOT LIKE 'handover:%';

-- Her report, sending and follow-up pages are Post/Redirect/Get (issue 10 §1, ADR 0011): what
-- she typed waits here between the POST and the GET, not in her browser. id_hash: HMAC of the
-- random id of her `passerelle_draft` cookie under a server sub-key; sealed: the draft,
-- XChaCha20-Poly1305 under a key derived from that id (which is not stored) and the server key;
-- expires_at: unix seconds, rounded up to the hour (two to three hours after her last action).
-- The quick exit deletes her row; expired rows are deleted on every write.
CREATE TABLE public_draft (
  id_hash TEXT PRIMARY KEY,
  sealed TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
