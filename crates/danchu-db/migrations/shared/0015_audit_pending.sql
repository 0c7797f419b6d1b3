-- The audit chain's sequencer (issue 15, ADR 0008): a change writes its audit entries
-- here, in its own transaction, taking no lock that other changes share; the sequencer
-- (every node runs one; they take turns on audit_head's row) moves them into audit_log
-- with their chain hashes within a second, oldest number first, and deletes them here.
CREATE TABLE audit_pending (
    id {{id}},
    at_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
