-- Accounts that can be closed: a user can be disabled (their sessions end and their tokens stop
-- working), a token can expire or be revoked. Rows are kept, for the event log's sake.
ALTER TABLE users ADD COLUMN disabled_at TEXT;
ALTER TABLE tokens ADD COLUMN expires_at TEXT;
ALTER TABLE tokens ADD COLUMN revoked_at TEXT;
