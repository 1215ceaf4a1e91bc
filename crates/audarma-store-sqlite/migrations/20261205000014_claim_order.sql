-- Claims take the highest-priority queued job first, then the oldest (as on PostgreSQL).
CREATE INDEX jobs_claim ON jobs (workflow, state, priority DESC, id);
