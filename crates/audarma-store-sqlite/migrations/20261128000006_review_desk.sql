-- The review desk: who a job is assigned to, its priority and deadline, comments, the user's UI
-- language, login sessions, and a trigram index over translation memory for fuzzy matches.

ALTER TABLE jobs ADD COLUMN assignee TEXT;
ALTER TABLE jobs ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN deadline TEXT;
CREATE INDEX jobs_desk ON jobs (state, target_lang, id);
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

CREATE VIRTUAL TABLE tm_fts USING fts5 (source_key, content = 'tm_units', content_rowid = 'id', tokenize = 'trigram');
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
