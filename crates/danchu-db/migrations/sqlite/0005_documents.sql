-- Document library (văn bản): documents, their files, how they replace or amend each
-- other, and the articles that refer to them (SQLite).
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    number TEXT NOT NULL,
    number_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    issuer TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    effective_on TEXT,
    signer TEXT NOT NULL,
    field TEXT NOT NULL,
    summary TEXT NOT NULL,
    status TEXT NOT NULL,
    downloads INTEGER NOT NULL DEFAULT 0,
    search_key TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX documents_issued ON documents(issued_on);
CREATE INDEX documents_number_key ON documents(number_key);

CREATE TABLE document_files (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    media_id INTEGER NOT NULL REFERENCES media(id),
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (document_id, media_id)
);

CREATE TABLE document_relations (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    relation TEXT NOT NULL,
    other_id INTEGER NOT NULL REFERENCES documents(id),
    PRIMARY KEY (document_id, relation, other_id)
);

CREATE TABLE article_documents (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    PRIMARY KEY (article_id, document_id)
);
