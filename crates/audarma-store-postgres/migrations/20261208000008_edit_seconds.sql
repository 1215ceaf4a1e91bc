-- Seconds in the editor, when the desk measured them: each edit's (in its event, `detail.seconds`)
-- and the segment's total, which approval writes to segment_effort.seconds.
ALTER TABLE target_segments ADD COLUMN edit_seconds DOUBLE PRECISION;
ALTER TABLE target_segments ADD COLUMN seconds_total DOUBLE PRECISION;

CREATE OR REPLACE FUNCTION target_segments_edited() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE jobs SET updated_at = NEW.updated_at WHERE id = NEW.job_id;
    INSERT INTO events (at, actor, job_id, release_id, kind, detail, before, after)
    VALUES (NEW.updated_at, COALESCE(NEW.updated_by, 'unknown'), NEW.job_id, NULL, 'edit',
            jsonb_build_object('segment', NEW.idx, 'version', NEW.version)
              || CASE WHEN NEW.edit_seconds IS NULL THEN '{}'::jsonb
                      ELSE jsonb_build_object('seconds', NEW.edit_seconds) END,
            COALESCE(OLD.edited, OLD.suggestion), NEW.edited);
    RETURN NULL;
END $$;
