-- Claims of a job so far, and how many of them ended with the lease running out (the worker died or
-- stalled mid-translation): after MAX_CRASHES such claims the job fails instead of being queued again.
ALTER TABLE jobs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN crashes INTEGER NOT NULL DEFAULT 0;
