-- R8 (Law Đ13 k4): which heads of thôn / tổ dân phố received a disclosure sent through
-- them, and how each told the households. One row per head and method.
CREATE TABLE disclosure_head_notices (
    id BIGSERIAL PRIMARY KEY,
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
