-- A user's Atom feed of their jobs (`/feed/TOKEN.atom`, read without a session): one token per user,
-- stored only as its SHA-256 as bearer tokens are; a new one replaces the old.
CREATE TABLE feed_tokens (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
