-- Gazetteer: every French commune and arrondissement municipal with its coordinates.
-- Filled from the default gazetteer built from npm packages (scripts/build-gazetteer.mjs), then
-- from an official communes file (passerelle gazetteer import) and coordinators' corrections.
-- Lists (postal codes, former names) are comma-separated; empty text means none.
-- precision: exact | postal_code | epci_seat | departement_seat (default gazetteer),
--            official (imported file) | corrected (set by a coordinator).

CREATE TABLE commune (
  insee_code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  postal_codes TEXT NOT NULL,
  population BIGINT NOT NULL,
  lat DOUBLE PRECISION NOT NULL,
  lon DOUBLE PRECISION NOT NULL,
  precision TEXT NOT NULL,
  departement TEXT NOT NULL,
  epci_code TEXT NOT NULL DEFAULT '',
  parent_insee_code TEXT NOT NULL DEFAULT '',
  former_names TEXT NOT NULL DEFAULT ''
);
