-- Archiving a territory (issue 11 §1, docs/territory-console.md "Territories"): an archived
-- territory is no longer offered to the public (the help flow's territories, the lists of the
-- console's hub) but stays in the database for history (its referrals, statistics, audit).
-- archived_at: Unix seconds; NULL while the territory is active.
ALTER TABLE territory ADD COLUMN archived_at BIGINT;
