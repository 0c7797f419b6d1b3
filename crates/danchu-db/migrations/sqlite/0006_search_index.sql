-- The search index (docs/adr/0002-search.md): one row per searchable thing (article,
-- document, later disclosures…), its folded words, and which words each one contains.
-- The old per-table folded copies are replaced by it.
CREATE TABLE search_docs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    ref_id BIGINT NOT NULL,
    -- Unix seconds from which the public may find it; NULL while it is not public.
    visible_from BIGINT,
    -- Its date (publication or issue), unix seconds: date filters and ties.
    at BIGINT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (kind, ref_id)
);
CREATE TABLE search_terms (
    id INTEGER PRIMARY KEY,
    word TEXT NOT NULL UNIQUE
);
CREATE TABLE search_postings (
    term BIGINT NOT NULL,
    doc BIGINT NOT NULL,
    -- 1 when the word is in the title.
    title BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (term, doc)
) WITHOUT ROWID;
ALTER TABLE articles DROP COLUMN search_key;
ALTER TABLE documents DROP COLUMN search_key;
-- Text extracted from uploaded PDF/DOCX/XLSX files, for search.
ALTER TABLE media ADD COLUMN text TEXT NOT NULL DEFAULT '';
