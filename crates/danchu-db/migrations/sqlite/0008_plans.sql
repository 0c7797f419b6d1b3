-- Plans and their tasks (issue 5): a plan is a document of the library (22/KH-UBND)
-- followed up by one unit (Phòng Nội vụ); its tasks go to a lead unit and supporting
-- units, due once or every period; each assigned unit records progress with evidence.
-- Also the files attached to report submissions.
CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    document_id BIGINT NOT NULL REFERENCES documents(id),
    -- The unit that follows the plan up; its admins assign the tasks.
    unit_id BIGINT NOT NULL REFERENCES units(id),
    created_at BIGINT NOT NULL,
    UNIQUE (document_id)
);

CREATE TABLE plan_tasks (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans(id),
    position BIGINT NOT NULL,
    content TEXT NOT NULL,
    expected_output TEXT NOT NULL,
    lead_unit_id BIGINT NOT NULL REFERENCES units(id),
    -- First (or only) due date, yyyy-mm-dd.
    due_on TEXT NOT NULL,
    -- danchu_core::plans::Recurrence code.
    recurrence TEXT NOT NULL,
    -- The last day a recurring task can fall due, yyyy-mm-dd.
    until_on TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX plan_tasks_plan ON plan_tasks(plan_id, position);

CREATE TABLE plan_task_supporters (
    task_id BIGINT NOT NULL REFERENCES plan_tasks(id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (task_id, unit_id)
);

-- Append-only: the latest entry of a unit for a due date is its standing.
CREATE TABLE plan_progress (
    id INTEGER PRIMARY KEY,
    task_id BIGINT NOT NULL REFERENCES plan_tasks(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    occurrence TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX plan_progress_task ON plan_progress(task_id, unit_id, id);

CREATE TABLE plan_progress_files (
    progress_id BIGINT NOT NULL REFERENCES plan_progress(id),
    media_id BIGINT NOT NULL REFERENCES media(id),
    PRIMARY KEY (progress_id, media_id)
);

CREATE TABLE report_submission_files (
    submission_id BIGINT NOT NULL REFERENCES report_submissions(id),
    media_id BIGINT NOT NULL REFERENCES media(id),
    PRIMARY KEY (submission_id, media_id)
);
