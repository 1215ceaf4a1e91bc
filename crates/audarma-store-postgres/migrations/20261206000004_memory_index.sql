-- The fuzzy memory's word index, as SQLite's (migration memory_index there): the keys of each unit's
-- source words (audarma_store::index_text) with the unit's length, and how many units hold each key,
-- so a lookup reads only rare words' postings. It replaces the tsvector index, whose lookups read the
-- posting lists of common words too. Units stored before it are indexed once at open.
DROP INDEX tm_words;
ALTER TABLE tm_units DROP COLUMN source_words;
ALTER TABLE tm_units ADD COLUMN created_by TEXT;
CREATE TABLE tm_terms (
    term  BIGINT PRIMARY KEY,
    units BIGINT NOT NULL
);
CREATE TABLE tm_postings (
    term  BIGINT NOT NULL,
    chars INTEGER NOT NULL,
    unit  BIGINT NOT NULL,
    PRIMARY KEY (term, chars, unit)
);
CREATE TABLE tm_index_backfill (pending INTEGER NOT NULL);
INSERT INTO tm_index_backfill (pending) SELECT 1 WHERE EXISTS (SELECT 1 FROM tm_units);
