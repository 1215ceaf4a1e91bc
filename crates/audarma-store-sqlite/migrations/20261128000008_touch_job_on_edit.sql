-- An edit touches its job, inside SQLite, without another statement from the caller.
CREATE TRIGGER target_segments_touch_job AFTER UPDATE OF edited ON target_segments
BEGIN UPDATE jobs SET updated_at = new.updated_at WHERE id = new.job_id; END;
