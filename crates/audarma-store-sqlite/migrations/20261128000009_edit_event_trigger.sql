-- Every edit of a segment appends its event (who, the text before and after, the new version) inside
-- the statement that makes it: the log cannot miss an edit, and an edit is one statement.
CREATE TRIGGER target_segments_edit_event AFTER UPDATE OF edited ON target_segments
BEGIN
    INSERT INTO events (at, actor, job_id, release_id, kind, detail, before, after)
    VALUES (new.updated_at, COALESCE(new.updated_by, 'unknown'), new.job_id, NULL, 'edit',
            json_object('segment', new.idx, 'version', new.version),
            COALESCE(old.edited, old.suggestion), new.edited);
END;
