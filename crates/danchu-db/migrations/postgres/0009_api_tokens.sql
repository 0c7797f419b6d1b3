-- Per-unit API tokens (issue 5): a unit's system submits its reports and progress
-- through /api/v1 with `Authorization: Bearer <token>`. Only a hash of the token is kept.
CREATE TABLE api_tokens (
    id BIGSERIAL PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
