-- The public disclosure register (issue 7; Law 10/2022 Đ11–13): categories as data,
-- disclosures with every version, the channels used with their dates and evidence.
CREATE TABLE disclosure_categories (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    -- JSON (danchu_core::disclosures::Category).
    body TEXT NOT NULL,
    position BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE disclosures (
    id BIGSERIAL PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    category_id BIGINT NOT NULL REFERENCES disclosure_categories(id),
    -- The period a recurring disclosure covers (2023-Q3), or empty.
    period TEXT NOT NULL,
    -- The current version's title (kept here for listing and search).
    title TEXT NOT NULL,
    version BIGINT NOT NULL,
    -- First day it was posted (portal or notice board), yyyy-mm-dd; empty before.
    posted_on TEXT NOT NULL,
    -- Taken down: the day, who and why.
    taken_down_on TEXT NOT NULL DEFAULT '',
    takedown_reason TEXT NOT NULL DEFAULT '',
    -- 1 once posted on the portal channel: published at /cong-khai.
    public BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX disclosures_unit ON disclosures(unit_id, category_id, period);
CREATE INDEX disclosures_posted ON disclosures(posted_on);
CREATE INDEX disclosures_category ON disclosures(category_id, posted_on);

CREATE TABLE disclosure_versions (
    disclosure_id BIGINT NOT NULL REFERENCES disclosures(id),
    version BIGINT NOT NULL,
    title TEXT NOT NULL,
    -- Sanitised HTML.
    body TEXT NOT NULL,
    change_note TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (disclosure_id, version)
);

CREATE TABLE disclosure_channels (
    id BIGSERIAL PRIMARY KEY,
    disclosure_id BIGINT NOT NULL REFERENCES disclosures(id),
    channel TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    evidence TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX disclosure_channels_of ON disclosure_channels(disclosure_id);

CREATE TABLE disclosure_channel_files (
    channel_id BIGINT NOT NULL REFERENCES disclosure_channels(id),
    media_id BIGINT NOT NULL REFERENCES media(id),
    PRIMARY KEY (channel_id, media_id)
);

CREATE TABLE disclosure_files (
    disclosure_id BIGINT NOT NULL REFERENCES disclosures(id),
    media_id BIGINT NOT NULL REFERENCES media(id),
    PRIMARY KEY (disclosure_id, media_id)
);

CREATE TABLE disclosure_documents (
    disclosure_id BIGINT NOT NULL REFERENCES disclosures(id),
    document_id BIGINT NOT NULL REFERENCES documents(id),
    PRIMARY KEY (disclosure_id, document_id)
);
