-- People of the review desk and the tokens scripts use. Only hashes are stored.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('translator', 'reviewer', 'glossary', 'admin')),
    password_hash TEXT NOT NULL,            -- Argon2id, PHC string
    created_at    TEXT NOT NULL
);

CREATE TABLE tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    token_hash   TEXT NOT NULL UNIQUE,      -- SHA-256 of the bearer token, hex
    created_at   TEXT NOT NULL,
    last_used_at TEXT
);
