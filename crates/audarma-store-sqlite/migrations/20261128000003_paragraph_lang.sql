-- A paragraph may be in another language than its release (a Russian quotation in a Kazakh release).
ALTER TABLE segments ADD COLUMN lang TEXT CHECK (lang IN ('en', 'kk', 'ru'));

-- Target segments may keep their source as is ('source'): it is already in the target language.
CREATE TABLE target_segments_new (
    job_id      INTEGER NOT NULL REFERENCES jobs (id),
    idx         INTEGER NOT NULL,
    suggestion  TEXT,
    origin      TEXT NOT NULL CHECK (origin IN ('memory', 'machine', 'pseudo', 'source', 'none')),
    backend     TEXT,
    edited      TEXT,
    version     INTEGER NOT NULL DEFAULT 1,
    terms       TEXT NOT NULL DEFAULT '[]',
    findings    TEXT NOT NULL DEFAULT '[]',
    updated_at  TEXT NOT NULL,
    updated_by  TEXT,
    PRIMARY KEY (job_id, idx)
);
INSERT INTO target_segments_new SELECT * FROM target_segments;
DROP TABLE target_segments;
ALTER TABLE target_segments_new RENAME TO target_segments;
