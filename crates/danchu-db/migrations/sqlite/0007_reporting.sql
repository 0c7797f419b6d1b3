-- Periodic reporting (issue 5): versioned report templates, report rounds with the units
-- that must report, each unit's submission and every version it submitted.
CREATE TABLE report_templates (
    id INTEGER PRIMARY KEY,
    -- The id of the template's first version: all versions share it.
    family_id BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL,
    name TEXT NOT NULL,
    -- JSON (danchu_core::reporting::TemplateBody); never changed once written.
    body TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX report_templates_family ON report_templates(family_id, version);

CREATE TABLE report_rounds (
    id INTEGER PRIMARY KEY,
    template_id BIGINT NOT NULL REFERENCES report_templates(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    title TEXT NOT NULL,
    frequency TEXT NOT NULL,
    -- Period code (2023-H1, 2024-Q1, …); empty for an ad hoc report.
    period TEXT NOT NULL,
    cutoff_from TEXT NOT NULL,
    cutoff_to TEXT NOT NULL,
    deadline TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE report_round_units (
    round_id BIGINT NOT NULL REFERENCES report_rounds(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (round_id, unit_id)
);

CREATE TABLE report_submissions (
    id INTEGER PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES report_rounds(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    status TEXT NOT NULL,
    -- What was typed (JSON object of text), kept even when it has errors.
    typed TEXT NOT NULL,
    -- The checked answers (JSON object).
    answers TEXT NOT NULL,
    -- How many times it was submitted.
    version BIGINT NOT NULL DEFAULT 0,
    submitted_at BIGINT,
    decided_at BIGINT,
    reason TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL,
    UNIQUE (round_id, unit_id)
);

CREATE TABLE report_submission_versions (
    submission_id BIGINT NOT NULL REFERENCES report_submissions(id),
    version BIGINT NOT NULL,
    answers TEXT NOT NULL,
    submitted_at BIGINT NOT NULL,
    submitted_by TEXT NOT NULL,
    PRIMARY KEY (submission_id, version)
);
