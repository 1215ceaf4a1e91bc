-- What the translator started from, in more detail (issue 15): the model of a machine suggestion,
-- the best fuzzy memory match shown beside it, and the glossary terms the translator kept but
-- re-inflected (right term, wrong inflection), apart from the terms fixed. A translator may start from
-- a fuzzy memory match instead of the suggestion: its text and score, kept until approval.
ALTER TABLE target_segments ADD COLUMN model TEXT;
ALTER TABLE target_segments ADD COLUMN start_text TEXT;
ALTER TABLE target_segments ADD COLUMN start_score INTEGER;
ALTER TABLE segment_effort ADD COLUMN model TEXT;
ALTER TABLE segment_effort ADD COLUMN fuzzy INTEGER;
ALTER TABLE segment_effort ADD COLUMN inflection_fixes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE segment_effort ADD COLUMN inflected_terms TEXT NOT NULL DEFAULT '[]'; -- JSON: [{concept, from, to}]
-- The terms fixed most read only the segments with a fix of either kind.
CREATE INDEX segment_effort_term_fixes ON segment_effort (approved_at) WHERE term_fixes > 0;
CREATE INDEX segment_effort_inflection_fixes ON segment_effort (approved_at) WHERE inflection_fixes > 0;
