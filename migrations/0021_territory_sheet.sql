-- Local versions of the practical sheets given from the territory console (issue 11 §1,
-- docs/territory-console.md "Local sheets"). Only the local versions: a row replaces, for its
-- territory, the national sheet of the same slug and locale (or the territory's file of that
-- sheet), or adds a sheet only that territory has. At start the files are read first, then these
-- rows; both pass the checks of `passerelle content check` (content::SheetLibrary::Load).
-- text: the whole sheet as a file would hold it (front matter between two `---` lines, then
--   Markdown), docs/content.md. locale: 'fr', 'en' or 'ar'. slug: the sheet's slug
--   (/fiches/<slug>). updated_by: 'account:<id>'. updated_at: Unix seconds.
CREATE TABLE territory_sheet (
  territory_slug TEXT NOT NULL REFERENCES territory (slug) ON DELETE CASCADE,
  locale TEXT NOT NULL,
  slug TEXT NOT NULL,
  text TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (territory_slug, locale, slug)
);
