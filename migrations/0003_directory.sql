-- Directory: organizations, their phones, locations and services (HSDS 3.1 names where one
-- exists; see docs/data-formats.md). Portable SQL for SQLite and PostgreSQL: TEXT, INTEGER,
-- BIGINT, DOUBLE PRECISION only; booleans are INTEGER 0/1; timestamps are Unix seconds; calendar
-- dates are 'YYYY-MM-DD' text; lists of codes are comma-separated text.
-- Ids are TEXT: stable ids given by an import, or generated.

CREATE TABLE organization (
  id TEXT PRIMARY KEY,
  territory_slug TEXT NOT NULL REFERENCES territory (slug),
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  website TEXT NOT NULL,
  email TEXT NOT NULL,
  accepts_referrals INTEGER NOT NULL,
  assured_date TEXT,
  verified_by TEXT NOT NULL,
  status TEXT NOT NULL,
  closed_from TEXT,
  closed_until TEXT,
  alert TEXT NOT NULL,
  visibility TEXT NOT NULL,
  is_demo INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE INDEX organization_territory ON organization (territory_slug);

CREATE TABLE phone (
  organization_id TEXT NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
  sort_order INTEGER NOT NULL,
  number TEXT NOT NULL,
  type TEXT NOT NULL,
  description TEXT NOT NULL,
  PRIMARY KEY (organization_id, sort_order)
);

-- A confidential location's address, name, coordinates and transport notes are for
-- professionals only: the public projection (src/directory/public_view.h) drops them.
CREATE TABLE location (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  address TEXT NOT NULL,
  postal_code TEXT NOT NULL,
  city TEXT NOT NULL,
  insee_code TEXT NOT NULL,
  latitude DOUBLE PRECISION,
  longitude DOUBLE PRECISION,
  confidential INTEGER NOT NULL,
  transportation TEXT NOT NULL
);

CREATE INDEX location_organization ON location (organization_id);
CREATE INDEX location_insee ON location (insee_code);

CREATE TABLE service (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  minimum_age INTEGER,
  maximum_age INTEGER,
  genders TEXT NOT NULL,
  eligibility_description TEXT NOT NULL,
  fees TEXT NOT NULL,
  languages TEXT NOT NULL,
  accessibility TEXT NOT NULL,
  application_process TEXT NOT NULL,
  opening_hours TEXT NOT NULL
);

CREATE INDEX service_organization ON service (organization_id);

-- Categories get their own table so that "every lawyer of the territory" is one indexed query.
CREATE TABLE service_category (
  service_id TEXT NOT NULL REFERENCES service (id) ON DELETE CASCADE,
  category TEXT NOT NULL,
  sort_order INTEGER NOT NULL,
  PRIMARY KEY (service_id, category)
);

CREATE INDEX service_category_category ON service_category (category);

CREATE TABLE service_at_location (
  service_id TEXT NOT NULL REFERENCES service (id) ON DELETE CASCADE,
  location_id TEXT NOT NULL REFERENCES location (id) ON DELETE CASCADE,
  PRIMARY KEY (service_id, location_id)
);

CREATE INDEX service_at_location_location ON service_at_location (location_id);
