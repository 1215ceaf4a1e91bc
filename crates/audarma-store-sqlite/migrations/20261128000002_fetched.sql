-- What each fetched URL's server said last time, for conditional GET (ETag / Last-Modified).
CREATE TABLE fetched (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    fetched_at    TEXT NOT NULL
);
