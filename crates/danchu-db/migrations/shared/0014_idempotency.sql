-- Safe retries of API writes (issue 15): the key a client sent with a POST or PUT, written
-- in the transaction of the write it names, so the row exists exactly when the write
-- committed; the answer is stored beside it once the request ends.

CREATE TABLE idempotency_keys (
    -- Who sent it: 'token:<id>' or 'user:<id>'; keys of different clients never meet.
    principal TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    -- SHA-256 of method, path and body (core::idempotency::fingerprint).
    fingerprint TEXT NOT NULL,
    -- The stored answer; NULL while the request is still being answered (or its node died
    -- between the commit and the answer).
    status BIGINT,
    body TEXT,
    content_type TEXT NOT NULL DEFAULT '',
    created_ms BIGINT NOT NULL,
    PRIMARY KEY (principal, idem_key)
){{without_rowid}};
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_ms);
