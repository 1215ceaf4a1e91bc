-- Webhooks (`[[notify]]` tables of workflow files), delivered from the event log: a cursor per hook (the
-- last event id it has read) and one delivery per (hook, event) with its attempts. A hook is known by its
-- workflow and name; its URL and secret stay in the workflow file and the environment.
CREATE TABLE notify_hooks (
    workflow   TEXT NOT NULL,
    name       TEXT NOT NULL,
    position   INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (workflow, name)
);

CREATE TABLE notify_deliveries (
    id           INTEGER PRIMARY KEY,
    workflow     TEXT NOT NULL,
    hook         TEXT NOT NULL,
    event_id     INTEGER NOT NULL REFERENCES events (id),
    event        TEXT NOT NULL CHECK (event IN ('in_review', 'approved', 'failed', 'run_failed', 'deadline')),
    state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    -- Claims so far: an attempt cut short by a dying process counts.
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      TEXT,
    lease_owner  TEXT,
    lease_until  TEXT,
    last_status  INTEGER,
    last_error   TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    delivered_at TEXT,
    UNIQUE (workflow, hook, event_id)
);
-- The claim reads only pending deliveries, in the order they fall due.
CREATE INDEX notify_due ON notify_deliveries (next_at, id) WHERE state = 'pending';
CREATE INDEX notify_log ON notify_deliveries (workflow, id);

-- A job's `deadline` event is logged once per deadline it is given.
CREATE TABLE deadline_notices (
    job_id   INTEGER NOT NULL REFERENCES jobs (id),
    deadline TEXT NOT NULL,
    at       TEXT NOT NULL,
    PRIMARY KEY (job_id, deadline)
);
-- Jobs that have a deadline, for the sweep that marks them due (most jobs have none).
CREATE INDEX jobs_deadline ON jobs (deadline) WHERE deadline IS NOT NULL;
