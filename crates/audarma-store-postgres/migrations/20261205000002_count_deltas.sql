-- Counts without a hot row. Every claim and completion changed the (state, language) row of
-- job_counts, and every stored finding its (check, pair) row of finding_counts: concurrent workers
-- queued on those row locks until each other's commit. Triggers now append deltas (inserts never
-- wait on each other); readers add them to the folded counts, and fold them in now and then.

CREATE TABLE job_count_deltas (
    state       TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    delta       INTEGER NOT NULL
);

CREATE OR REPLACE FUNCTION job_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO job_count_deltas (state, target_lang, delta) VALUES (OLD.state, OLD.target_lang, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO job_count_deltas (state, target_lang, delta) VALUES (NEW.state, NEW.target_lang, 1);
    END IF;
    RETURN NULL;
END $$;

CREATE TABLE finding_count_deltas (
    check_name  TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    raised      INTEGER NOT NULL,
    dismissed   INTEGER NOT NULL
);

CREATE OR REPLACE FUNCTION finding_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO finding_count_deltas (check_name, source_lang, target_lang, raised, dismissed)
    VALUES (NEW.check_name, NEW.source_lang, NEW.target_lang,
            CASE WHEN TG_TABLE_NAME = 'findings_raised' THEN 1 ELSE 0 END,
            CASE WHEN TG_TABLE_NAME = 'finding_dismissals' THEN 1 ELSE 0 END);
    RETURN NULL;
END $$;

-- Folds the deltas into the counts: one statement per table, so a reader sees them either before or
-- after, never twice or not at all.
CREATE FUNCTION fold_counts() RETURNS void LANGUAGE sql AS $$
    WITH moved AS (DELETE FROM job_count_deltas RETURNING state, target_lang, delta)
    INSERT INTO job_counts (state, target_lang, jobs)
    SELECT state, target_lang, SUM(delta) FROM moved GROUP BY state, target_lang
    ON CONFLICT (state, target_lang) DO UPDATE SET jobs = job_counts.jobs + EXCLUDED.jobs;
    WITH moved AS (DELETE FROM finding_count_deltas RETURNING check_name, source_lang, target_lang, raised, dismissed)
    INSERT INTO finding_counts (check_name, source_lang, target_lang, raised, dismissed)
    SELECT check_name, source_lang, target_lang, SUM(raised), SUM(dismissed) FROM moved
     GROUP BY check_name, source_lang, target_lang
    ON CONFLICT (check_name, source_lang, target_lang) DO UPDATE
        SET raised = finding_counts.raised + EXCLUDED.raised, dismissed = finding_counts.dismissed + EXCLUDED.dismissed;
$$;

-- The claim's index orders the queue itself (highest priority, then oldest), so no other index can
-- answer the claim's ORDER BY: with (workflow, id) the planner preferred the primary key whenever its
-- statistics said most jobs were queued, and walked every claimed job on each claim.
DROP INDEX jobs_claimable;
CREATE INDEX jobs_claim ON jobs (workflow, priority DESC, id) WHERE state = 'queued';
