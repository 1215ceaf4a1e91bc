-- Seconds in the editor, when the desk measured them: each edit's (in its event, `detail.seconds`)
-- and the segment's total, which approval writes to segment_effort.seconds.
ALTER TABLE target_segments ADD COLUMN edit_seconds REAL;
ALTER TABLE target_segments ADD COLUMN seconds_total REAL;

DROP TRIGGER target_segments_edit_event;
CREATE TRIGGER target_segments_edit_event AFTER UPDATE OF edited ON target_segments
BEGIN
    INSERT INTO events (at, actor, job_id, release_id, kind, detail, before, after)
    VALUES (new.updated_at, COALESCE(new.updated_by, 'unknown'), new.job_id, NULL, 'edit',
            CASE WHEN new.edit_seconds IS NULL THEN json_object('segment', new.idx, 'version', new.version)
                 ELSE json_object('segment', new.idx, 'version', new.version, 'seconds', new.edit_seconds) END,
            COALESCE(old.edited, old.suggestion), new.edited);
END;
