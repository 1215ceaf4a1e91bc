-- Fuzzy memory candidates are ranked by ts_rank over their words: with the words kept in the row
-- (a stored generated column) the rank no longer parses every candidate's text again, which was
-- most of a lookup's time (26 ms → 10 ms against 5,000 units of one pair in desk_load's memory).
ALTER TABLE tm_units ADD COLUMN source_words tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', source_key)) STORED;
DROP INDEX tm_words;
CREATE INDEX tm_words ON tm_units USING gin (source_words);
