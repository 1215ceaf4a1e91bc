-- What the translator started from, in more detail (issue 15): the model of a machine suggestion,
-- the best fuzzy memory match shown beside it, and the glossary terms the translator kept but
-- re-inflected (right term, wrong inflection), apart from the terms fixed.
ALTER TABLE target_segments ADD COLUMN model TEXT;
ALTER TABLE segment_effort ADD COLUMN model TEXT;
ALTER TABLE segment_effort ADD COLUMN fuzzy INTEGER;
ALTER TABLE segment_effort ADD COLUMN inflection_fixes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE segment_effort ADD COLUMN inflected_terms TEXT NOT NULL DEFAULT '[]'; -- JSON: [{concept, from, to}]
