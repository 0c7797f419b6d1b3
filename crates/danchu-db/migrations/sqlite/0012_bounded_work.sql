-- Issue 13: a document whose text could not be read within the extraction limits is kept
-- without text, and says why; progress histories are read by their latest entry per due
-- date (no scan of every entry on each write).
ALTER TABLE media ADD COLUMN text_note TEXT NOT NULL DEFAULT '';
CREATE INDEX plan_progress_latest ON plan_progress(task_id, unit_id, occurrence, id);
