-- The days a referral was first taken in hand and first marked contacted (issue 11 §4: the
-- statistics' medians of the time to acknowledgement and to first contact). Paris calendar days
-- only, like created_on (docs/referral.md "Days, not times"); set once, by the first change to
-- that status (contacted also sets acknowledged_on when it was skipped). Rows of before this
-- migration have neither and count in no median.
ALTER TABLE referral ADD COLUMN acknowledged_on TEXT;
ALTER TABLE referral ADD COLUMN contacted_on TEXT;
