-- Local wording of a territory given from the territory console (issue 11 §1,
-- docs/territory-console.md "Local wording"): it applies over the files (the national flow, then
-- the territory's override file), and only what a row sets. One table for every kind of wording.
-- kind: 'flow_node' (item: a node id of the help flow; wording: JSON {"text": …, "hint": …,
--   "labels": {answer code: label}}, each key present only when the territory replaced it).
-- locale: 'fr', 'en' or 'ar'. updated_by: 'account:<id>'. updated_at: Unix seconds.
CREATE TABLE territory_wording (
  territory_slug TEXT NOT NULL REFERENCES territory (slug) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  locale TEXT NOT NULL,
  item TEXT NOT NULL,
  wording TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (territory_slug, kind, locale, item)
);

-- The invitation of an organisation's first member from the territory console
-- (docs/territory-console.md "Invitations", docs/accounts.md): 1 when the link carries no key and
-- the organisation's keys are created when she sets her password (the recovery code is shown to
-- her then). Such a link is sent by e-mail to her address only, never shown to whoever invited her.
ALTER TABLE account_invitation ADD COLUMN creates_keys INTEGER NOT NULL DEFAULT 0;
