-- R8 (Law Đ13 k4): which heads of thôn / tổ dân phố received a disclosure sent through
-- them, and how each told the households. One row per head and method.
CREATE TABLE disclosure_head_notices (
    id INTEGER PRIMARY KEY,
    channel_id BIGINT NOT NULL REFERENCES disclosure_channels(id),
    hamlet TEXT NOT NULL,
    head_name TEXT NOT NULL,
    notified_on TEXT NOT NULL,
    method TEXT NOT NULL,
    told_on TEXT NOT NULL
);
CREATE INDEX disclosure_head_notices_of ON disclosure_head_notices(channel_id);

-- R7 "nếu có": a commune without a loudspeaker system is not asked to broadcast.
CREATE TABLE disclosure_unit_options (
    unit_id BIGINT PRIMARY KEY REFERENCES units(id),
    no_loudspeaker BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- What the dashboards need of a disclosure's forms (R7/R46), written with each form so a
-- province's dashboard reads one row per disclosure: one bit per form used (by its place
-- in Channel::ALL) and the longest run of consecutive broadcast days.
ALTER TABLE disclosures ADD COLUMN forms_mask BIGINT NOT NULL DEFAULT 0;
ALTER TABLE disclosures ADD COLUMN broadcast_run BIGINT NOT NULL DEFAULT 0;
