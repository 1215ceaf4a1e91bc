-- Machine translations already paid for, keyed by everything that could change them.
CREATE TABLE mt_cache (
    backend          TEXT NOT NULL,
    model            TEXT NOT NULL DEFAULT '',
    source_lang      TEXT NOT NULL,
    target_lang      TEXT NOT NULL,
    glossary_version TEXT NOT NULL,
    source_key       TEXT NOT NULL,           -- whitespace-collapsed source text
    translation      TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    PRIMARY KEY (backend, model, source_lang, target_lang, glossary_version, source_key)
);

-- What each run sent to each backend (cost accounting).
CREATE TABLE usage (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    workflow     TEXT NOT NULL,
    worker       TEXT NOT NULL,
    backend      TEXT NOT NULL,
    requests     INTEGER NOT NULL,
    chars        INTEGER NOT NULL,
    billed_chars INTEGER NOT NULL,
    tokens_in    INTEGER NOT NULL,
    tokens_out   INTEGER NOT NULL
);
