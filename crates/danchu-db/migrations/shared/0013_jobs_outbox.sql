-- Background work (issue 15): one row per periodic job with its next due time and the
-- lease of the node running it; a row per run for the admin page; the outbox of
-- notifications, written in the transaction of the step that causes them.

CREATE TABLE jobs (
    name TEXT PRIMARY KEY,
    next_due_ms BIGINT NOT NULL,
    -- The claim of the node running it: a token per claim, and when it lapses.
    lease_token TEXT,
    lease_node TEXT,
    lease_until_ms BIGINT,
    runs BIGINT NOT NULL DEFAULT 0,
    failures BIGINT NOT NULL DEFAULT 0
){{without_rowid}};

CREATE TABLE job_runs (
    id {{id}},
    name TEXT NOT NULL,
    due_ms BIGINT NOT NULL,
    node TEXT NOT NULL,
    started_ms BIGINT NOT NULL,
    finished_ms BIGINT,
    -- done | failed; none while running or when the node died during the run.
    outcome TEXT,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX job_runs_name ON job_runs(name, started_ms);

CREATE TABLE outbox (
    id {{id}},
    -- email | sms | zalo
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    -- What caused it (an audit action code) and on what, for the admin page.
    topic TEXT NOT NULL,
    entity_type TEXT NOT NULL DEFAULT '',
    entity_id TEXT NOT NULL DEFAULT '',
    -- pending | sending | sent | parked
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    due_ms BIGINT NOT NULL,
    claim_node TEXT,
    claim_until_ms BIGINT,
    last_error TEXT NOT NULL DEFAULT '',
    created_ms BIGINT NOT NULL,
    sent_ms BIGINT
);
CREATE INDEX outbox_due ON outbox(state, due_ms);
CREATE INDEX outbox_created ON outbox(created_ms);
