-- Failed logins per key (`user:name`, `ip:address`) within the rate limit's window, kept in the
-- database so a restart of the desk does not reset the limit.
CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at  TEXT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);
