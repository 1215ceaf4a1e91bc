-- Review analytics (issue 15). The findings a suggestion had, kept when it is first edited, so that
-- approval can tell which glossary terms the translator fixed; per approved segment, what the
-- translator started from and the post-editing effort (written by approve_job, in Rust, with the
-- job's approval); and reviewers' MQM annotations.
ALTER TABLE target_segments ADD COLUMN suggestion_findings TEXT;
CREATE TABLE segment_effort (
    job_id      INTEGER NOT NULL REFERENCES jobs (id),
    idx         INTEGER NOT NULL,
    approved_at TEXT NOT NULL,
    approver    TEXT NOT NULL,
    translator  TEXT NOT NULL,
    workflow    TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    start       TEXT NOT NULL,               -- the suggestion's origin: memory, machine, pseudo, none
    backend     TEXT,
    words       INTEGER NOT NULL,
    tokens      INTEGER NOT NULL,
    word_edits  INTEGER NOT NULL,
    chrf        REAL NOT NULL,
    untouched   INTEGER NOT NULL,
    term_fixes  INTEGER NOT NULL,
    fixed_terms TEXT NOT NULL DEFAULT '[]',  -- JSON: the concepts fixed
    seconds     REAL,
    PRIMARY KEY (job_id, idx)
);
CREATE INDEX segment_effort_approved ON segment_effort (approved_at);
CREATE TABLE annotations (
    id         INTEGER PRIMARY KEY,
    job_id     INTEGER NOT NULL REFERENCES jobs (id),
    idx        INTEGER NOT NULL,
    span_start INTEGER,
    span_end   INTEGER,
    error_type TEXT NOT NULL,
    severity   TEXT NOT NULL,
    note       TEXT,
    text_hash  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    removed_at TEXT,
    removed_by TEXT
);
CREATE INDEX annotations_job ON annotations (job_id, idx);
