-- The checks (dry runs) and applies of files uploaded to the territory console's import, run
-- off the request thread (issue 11 §2 "progress is shown for large files";
-- docs/territory-console.md "Import and export of actors", "Progress"). One row per kept file
-- and kind; its page refreshes itself until the row is finished.
--
-- upload_id: the id of the kept file (console_import_upload.id, migration 0014); no foreign key:
--   applying deletes the kept file in its transaction, and the row stays to show the result.
-- kind: check (the dry run after the upload) or apply ("Appliquer").
-- territory_slug, account_id: as the kept file's; another territory or account does not find it.
-- filename: as her browser gave it, shown back to her.
-- state: running, done, refused (the file, or the apply, was refused as a whole: nothing
--   written) or interrupted (the server stopped or failed during the run: nothing written,
--   since the apply is one transaction).
-- result: JSON written with the state: the dry run's report, the counts applied, or the errors.
-- started_at, finished_at: Unix seconds. Rows go with the kept files, one hour after started_at.
CREATE TABLE console_import_job (
  upload_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  territory_slug TEXT NOT NULL,
  account_id TEXT NOT NULL,
  filename TEXT NOT NULL,
  state TEXT NOT NULL,
  result TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  finished_at BIGINT,
  PRIMARY KEY (upload_id, kind)
);

CREATE INDEX console_import_job_started ON console_import_job (started_at);
