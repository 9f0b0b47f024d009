-- Freshness of the directory (issue 11 §3, docs/territory-console.md "Freshness"): the period
-- at which each territory's organisations are asked whether their information is still right,
-- and where each organisation stands. Calendar days are 'YYYY-MM-DD' Paris days (text), as in
-- migrations/0003_directory.sql; timestamps are Unix seconds.

-- One row per territory that chose its period; without a row the default applies (6 months).
CREATE TABLE freshness_settings (
  territory_slug TEXT PRIMARY KEY REFERENCES territory (slug) ON DELETE CASCADE,
  period_months INTEGER NOT NULL,
  updated_at BIGINT NOT NULL
);

-- One row per organisation the freshness job has seen.
-- tracked_since: the day the job first saw it (the period counts from the later of this day and
--   organization.assured_date, so that deploying freshness does not mail everyone at once).
-- requested_on: the day of the question waiting for an answer; NULL when none is waiting.
-- reminded_on: the day of the last reminder sent from the console; NULL when none.
-- stale: 1 when the question went unanswered for more than 30 days; cleared by the answer.
CREATE TABLE organization_freshness (
  organization_id TEXT PRIMARY KEY REFERENCES organization (id) ON DELETE CASCADE,
  tracked_since TEXT NOT NULL,
  requested_on TEXT,
  reminded_on TEXT,
  stale INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX organization_freshness_stale ON organization_freshness (stale, requested_on);

-- The path an e-mail links to instead of /pro (the signed link of a freshness question); NULL
-- for every other notification. Never anything about a person.
ALTER TABLE outbox ADD COLUMN link_path TEXT;
