-- A reviewer's "not a problem" on a finding, the findings raised per check and language pair, and the
-- word lists that extend the spelling dictionaries.

-- The hash (SHA-256, hex) of the segment's current text, written with the text by the store, so triggers
-- can tie raised findings to it. NULL on rows stored before this migration.
ALTER TABLE target_segments ADD COLUMN text_hash TEXT;

-- Every finding ever stored, once per (segment, check, message, text): storing the same findings again
-- for an unchanged text adds nothing. The language pair is the segment's source language and the job's
-- target language.
CREATE TABLE findings_raised (
    job_id      INTEGER NOT NULL REFERENCES jobs (id),
    idx         INTEGER NOT NULL,
    check_name  TEXT NOT NULL,
    message     TEXT NOT NULL,
    text_hash   TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    PRIMARY KEY (job_id, idx, check_name, message, text_hash)
) WITHOUT ROWID;

-- A dismissal holds for the text whose hash it carries: once an edit changes the text, the same
-- finding counts again. Rows are never updated or deleted (the event log keeps each one too).
CREATE TABLE finding_dismissals (
    job_id      INTEGER NOT NULL REFERENCES jobs (id),
    idx         INTEGER NOT NULL,
    check_name  TEXT NOT NULL,
    message     TEXT NOT NULL,
    text_hash   TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    reason      TEXT,
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (job_id, idx, check_name, message, text_hash)
) WITHOUT ROWID;
CREATE TRIGGER finding_dismissals_no_update BEFORE UPDATE ON finding_dismissals
BEGIN SELECT RAISE(ABORT, 'dismissals are kept as given'); END;
CREATE TRIGGER finding_dismissals_no_delete BEFORE DELETE ON finding_dismissals
BEGIN SELECT RAISE(ABORT, 'dismissals are kept as given'); END;

-- Raised and dismissed per (check, source, target), kept by triggers so the desk and /metrics read a few
-- rows instead of counting.
CREATE TABLE finding_counts (
    check_name  TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    raised      INTEGER NOT NULL DEFAULT 0,
    dismissed   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (check_name, source_lang, target_lang)
) WITHOUT ROWID;

CREATE TRIGGER findings_raised_count AFTER INSERT ON findings_raised
BEGIN
    INSERT INTO finding_counts (check_name, source_lang, target_lang, raised, dismissed)
    VALUES (new.check_name, new.source_lang, new.target_lang, 1, 0)
    ON CONFLICT (check_name, source_lang, target_lang) DO UPDATE SET raised = raised + 1;
END;

CREATE TRIGGER finding_dismissals_count AFTER INSERT ON finding_dismissals
BEGIN
    INSERT INTO finding_counts (check_name, source_lang, target_lang, raised, dismissed)
    VALUES (new.check_name, new.source_lang, new.target_lang, 0, 1)
    ON CONFLICT (check_name, source_lang, target_lang) DO UPDATE SET dismissed = dismissed + 1;
END;

-- Findings are recorded as raised whenever they are stored: at translation (insert) and at each edit
-- (the edit's single UPDATE sets findings and text_hash together). Ignored when already recorded.
CREATE TRIGGER target_segments_raise_insert AFTER INSERT ON target_segments
BEGIN
    INSERT OR IGNORE INTO findings_raised (job_id, idx, check_name, message, text_hash, source_lang, target_lang)
    SELECT new.job_id, new.idx, COALESCE(json_extract(f.value, '$.check'), ''),
           COALESCE(json_extract(f.value, '$.message'), ''), COALESCE(new.text_hash, ''), p.source_lang, p.target_lang
      FROM json_each(CASE WHEN json_valid(new.findings) AND json_type(new.findings) = 'array'
                          THEN new.findings ELSE '[]' END) f,
           (SELECT COALESCE(s.lang, r.lang) AS source_lang, j.target_lang AS target_lang
              FROM jobs j JOIN releases r ON r.id = j.release_id
              LEFT JOIN segments s ON s.release_id = j.release_id AND s.idx = new.idx
             WHERE j.id = new.job_id) p;
END;

CREATE TRIGGER target_segments_raise_update AFTER UPDATE OF findings, text_hash ON target_segments
BEGIN
    INSERT OR IGNORE INTO findings_raised (job_id, idx, check_name, message, text_hash, source_lang, target_lang)
    SELECT new.job_id, new.idx, COALESCE(json_extract(f.value, '$.check'), ''),
           COALESCE(json_extract(f.value, '$.message'), ''), COALESCE(new.text_hash, ''), p.source_lang, p.target_lang
      FROM json_each(CASE WHEN json_valid(new.findings) AND json_type(new.findings) = 'array'
                          THEN new.findings ELSE '[]' END) f,
           (SELECT COALESCE(s.lang, r.lang) AS source_lang, j.target_lang AS target_lang
              FROM jobs j JOIN releases r ON r.id = j.release_id
              LEFT JOIN segments s ON s.release_id = j.release_id AND s.idx = new.idx
             WHERE j.id = new.job_id) p;
END;

-- Words a language's spelling check accepts besides its dictionary, added from the desk. Unique per
-- language in any case (`folded` is the lower-cased word; SQLite's lower() knows only ASCII).
CREATE TABLE words (
    lang     TEXT NOT NULL CHECK (lang IN ('en', 'kk', 'ru')),
    folded   TEXT NOT NULL,
    word     TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (lang, folded)
) WITHOUT ROWID;
