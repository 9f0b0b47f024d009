-- The days a referral was first taken in hand and first marked contacted (issue 11 §4: the
-- statistics' medians of the time to acknowledgement and to first contact). Paris calendar days
-- only, like created_on (docs/referral.md "Days, not times"); set once, by the first change to
-- that status (contacted also sets acknowledged_on when it was skipped). Rows of before this
-- migration have neither and count in no median.
ALTER TABLE referral ADD COLUMN acknowledged_on TEXT;
ALTER TABLE referral ADD COLUMN contacted_on TEXT;

-- Monthly sums of stat_counter (issue 11 §4: statistics of three years read in milliseconds), one
-- row per month, territory, kind and detail, written once a month is over (src/stats/repository.cpp
-- "RollUp"): counters are only ever written for the current Paris day, so a past month never changes.
CREATE TABLE stat_counter_month (
  month TEXT NOT NULL,
  territory_slug TEXT NOT NULL,
  kind TEXT NOT NULL,
  detail TEXT NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (territory_slug, kind, month, detail)
);

CREATE INDEX stat_counter_month_by_month ON stat_counter_month (month, kind);
-- Covering, in the order of the gap analysis' GROUP BY detail: no sort of a territory's months.
CREATE INDEX stat_counter_month_detail ON stat_counter_month (territory_slug, kind, detail, month, count);

-- The months already summed ("YYYY-MM"), for every territory at once.
CREATE TABLE stat_month_rolled (
  month TEXT PRIMARY KEY
);

-- Raw counters of one territory over a range of days, without the other territories' rows.
CREATE INDEX stat_counter_territory_day ON stat_counter (territory_slug, kind, day);
