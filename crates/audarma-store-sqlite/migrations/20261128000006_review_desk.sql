-- The review desk: who a job is assigned to, its priority and deadline, comments, the user's UI
-- language, login sessions, a word index over translation memory for fuzzy matches (kept with each
-- target segment when it is translated), job counts kept by triggers, and text search over releases.

ALTER TABLE jobs ADD COLUMN assignee TEXT;
ALTER TABLE jobs ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN deadline TEXT;
CREATE INDEX jobs_desk ON jobs (state, target_lang, id);
CREATE INDEX jobs_state_id ON jobs (state, id);

-- Fuzzy translation-memory matches found when the segment was translated (JSON); NULL: not looked up.
ALTER TABLE target_segments ADD COLUMN tm TEXT;

-- Jobs per (state, target language), kept exact by triggers so the queue's counts and the metrics do
-- not scan the jobs table.
CREATE TABLE job_counts (
    state       TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    jobs        INTEGER NOT NULL,
    PRIMARY KEY (state, target_lang)
) WITHOUT ROWID;
INSERT INTO job_counts (state, target_lang, jobs) SELECT state, target_lang, COUNT(*) FROM jobs GROUP BY state, target_lang;
CREATE TRIGGER job_counts_insert AFTER INSERT ON jobs
BEGIN
    INSERT INTO job_counts (state, target_lang, jobs) VALUES (new.state, new.target_lang, 1)
        ON CONFLICT (state, target_lang) DO UPDATE SET jobs = jobs + 1;
END;
CREATE TRIGGER job_counts_update AFTER UPDATE OF state, target_lang ON jobs
    WHEN old.state IS NOT new.state OR old.target_lang IS NOT new.target_lang
BEGIN
    UPDATE job_counts SET jobs = jobs - 1 WHERE state = old.state AND target_lang = old.target_lang;
    INSERT INTO job_counts (state, target_lang, jobs) VALUES (new.state, new.target_lang, 1)
        ON CONFLICT (state, target_lang) DO UPDATE SET jobs = jobs + 1;
END;
CREATE TRIGGER job_counts_delete AFTER DELETE ON jobs
BEGIN
    UPDATE job_counts SET jobs = jobs - 1 WHERE state = old.state AND target_lang = old.target_lang;
END;
CREATE INDEX jobs_assignee ON jobs (assignee, state, id);

ALTER TABLE users ADD COLUMN locale TEXT CHECK (locale IN ('en', 'kk', 'ru'));

CREATE TABLE comments (
    id         INTEGER PRIMARY KEY,
    job_id     INTEGER NOT NULL REFERENCES jobs (id),
    segment    INTEGER,                     -- NULL: about the whole job
    author     TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX comments_job ON comments (job_id, id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,            -- SHA-256 of the cookie's value; the value itself is never stored
    user_id    INTEGER NOT NULL REFERENCES users (id),
    csrf       TEXT NOT NULL,               -- the token every state-changing request must echo
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- Words, case-folded in every script; diacritics kept (й is not и, and Kazakh letters stay themselves).
CREATE VIRTUAL TABLE tm_fts USING fts5 (source_key, content = 'tm_units', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 0');
INSERT INTO tm_fts (tm_fts) VALUES ('rebuild');
CREATE TRIGGER tm_fts_insert AFTER INSERT ON tm_units
BEGIN INSERT INTO tm_fts (rowid, source_key) VALUES (new.id, new.source_key); END;
CREATE TRIGGER tm_fts_delete AFTER DELETE ON tm_units
BEGIN INSERT INTO tm_fts (tm_fts, rowid, source_key) VALUES ('delete', old.id, old.source_key); END;

-- The queue's text search: releases' titles and bodies, case-folded trigrams (Cyrillic included, which
-- LIKE does not fold).
CREATE VIRTUAL TABLE release_fts USING fts5 (title, body, content = 'releases', content_rowid = 'id', tokenize = 'trigram');
INSERT INTO release_fts (release_fts) VALUES ('rebuild');
CREATE TRIGGER release_fts_insert AFTER INSERT ON releases
BEGIN INSERT INTO release_fts (rowid, title, body) VALUES (new.id, new.title, new.body); END;
