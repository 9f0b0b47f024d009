-- Files uploaded to the territory console's import (issue 11, docs/territory-console.md
-- "Import"), kept from the dry run to "Appliquer" so that the coordinator sends them once, and
-- any instance can apply them. A row lives one hour at most: applying it deletes it, and each new
-- upload deletes the expired ones.
--
-- id: random (128 bits, hex), only ever shown to the account that uploaded the file.
-- territory_slug, account_id: the territory and the account it was uploaded for and by; another
--   territory or account does not find it.
-- format: csv or hsds. filename: as her browser gave it, shown back to her.
-- content: the file (UTF-8 text, checked by the dry run before it is kept).
-- created_at: Unix seconds.
CREATE TABLE console_import_upload (
  id TEXT PRIMARY KEY,
  territory_slug TEXT NOT NULL,
  account_id TEXT NOT NULL,
  format TEXT NOT NULL,
  filename TEXT NOT NULL,
  content TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE INDEX console_import_upload_created ON console_import_upload (created_at);
