-- audarma's initial schema (SQLite). Timestamps are RFC 3339 UTC text.

CREATE TABLE releases (
    id           INTEGER PRIMARY KEY,
    source       TEXT NOT NULL,               -- file path or URL it was read from
    lang         TEXT NOT NULL CHECK (lang IN ('en', 'kk', 'ru')),
    title        TEXT NOT NULL,
    release_date TEXT,                        -- ISO date, when the release carries one
    place        TEXT,                        -- dateline place
    body         TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL
);

CREATE TABLE segments (
    release_id INTEGER NOT NULL REFERENCES releases (id),
    idx        INTEGER NOT NULL,              -- 0 = title, then sentences in order
    paragraph  INTEGER,                       -- NULL for the title
    text       TEXT NOT NULL,
    PRIMARY KEY (release_id, idx)
);

CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    release_id   INTEGER NOT NULL REFERENCES releases (id),
    target_lang  TEXT NOT NULL CHECK (target_lang IN ('en', 'kk', 'ru')),
    workflow     TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('queued', 'translating', 'in_review', 'approved', 'rejected', 'failed')),
    error        TEXT,                        -- kept while the job is failed
    lease_owner  TEXT,                        -- the run holding a translating job
    lease_until  TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    approved_at  TEXT,
    approved_by  TEXT,
    UNIQUE (release_id, target_lang)
);
CREATE INDEX jobs_state ON jobs (workflow, state, id);

CREATE TABLE target_segments (
    job_id      INTEGER NOT NULL REFERENCES jobs (id),
    idx         INTEGER NOT NULL,
    suggestion  TEXT,                         -- the machine's (or memory's) offer
    origin      TEXT NOT NULL CHECK (origin IN ('memory', 'machine', 'pseudo', 'none')),
    backend     TEXT,
    edited      TEXT,                         -- the translator's text, once edited
    version     INTEGER NOT NULL DEFAULT 1,
    terms       TEXT NOT NULL DEFAULT '[]',   -- JSON: glossary terms found in the source
    findings    TEXT NOT NULL DEFAULT '[]',   -- JSON: QA findings on the current text
    updated_at  TEXT NOT NULL,
    updated_by  TEXT,
    PRIMARY KEY (job_id, idx)
);

-- Append-only: nothing updates or deletes rows here (enforced below).
CREATE TABLE events (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    job_id     INTEGER REFERENCES jobs (id),
    release_id INTEGER REFERENCES releases (id),
    kind       TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '{}',
    before     TEXT,
    after      TEXT
);
CREATE INDEX events_job ON events (job_id, id);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;

CREATE TABLE tm_units (
    id          INTEGER PRIMARY KEY,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    source_key  TEXT NOT NULL,                -- whitespace-collapsed source, the exact-match key
    source      TEXT NOT NULL,
    target      TEXT NOT NULL,
    origin      TEXT NOT NULL,                -- 'job:12', 'import:seed.tsv'
    created_at  TEXT NOT NULL,
    UNIQUE (source_lang, target_lang, source_key, target)
);
CREATE INDEX tm_lookup ON tm_units (source_lang, target_lang, source_key, id);
