-- Foundation: territories, their communes, and privacy-preserving statistics.
-- Portable SQL for SQLite and PostgreSQL: TEXT, INTEGER, BIGINT, DOUBLE PRECISION only;
-- timestamps are Unix seconds (BIGINT); booleans are INTEGER 0/1; structured settings are JSON text.

CREATE TABLE territory (
  slug TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  centre_lat DOUBLE PRECISION NOT NULL,
  centre_lon DOUBLE PRECISION NOT NULL,
  default_radius_km DOUBLE PRECISION NOT NULL,
  neutral_exit_url TEXT NOT NULL,
  languages TEXT NOT NULL,
  youth_services TEXT NOT NULL,
  emergency_contacts TEXT NOT NULL,
  is_demo INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE territory_commune (
  territory_slug TEXT NOT NULL REFERENCES territory (slug) ON DELETE CASCADE,
  insee_code TEXT NOT NULL,
  name TEXT NOT NULL,
  postal_code TEXT NOT NULL,
  PRIMARY KEY (territory_slug, insee_code)
);

CREATE INDEX territory_commune_insee ON territory_commune (insee_code);

-- One row per day, territory, event kind and detail: no identifier, no IP, no time of day.
CREATE TABLE stat_counter (
  day TEXT NOT NULL,
  territory_slug TEXT NOT NULL,
  kind TEXT NOT NULL,
  detail TEXT NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (day, territory_slug, kind, detail)
);
