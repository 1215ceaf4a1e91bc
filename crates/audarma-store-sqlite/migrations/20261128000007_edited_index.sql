-- The queue shows how many segments of each job were edited: counted from this index alone, without
-- reading the segments' rows (which carry their terms, findings and memory matches).
CREATE INDEX target_segments_edited ON target_segments (job_id) WHERE edited IS NOT NULL;
