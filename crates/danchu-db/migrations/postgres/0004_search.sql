-- A folded copy of each article's text for search (see docs/adr/0002-search.md).
ALTER TABLE articles ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
