-- Publication state of an organization (issue 11 §2, docs/territory-console.md "Census"): an
-- actor a coordinator adds from the console is a draft, seen by professionals only, until she
-- publishes it. Existing rows, the command-line and demo imports stay public.
-- publication: draft | public.
ALTER TABLE organization ADD COLUMN publication TEXT NOT NULL DEFAULT 'public';
