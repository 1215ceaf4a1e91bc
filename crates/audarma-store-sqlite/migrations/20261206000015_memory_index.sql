-- The fuzzy memory's word index, replacing the FTS5 table: the keys of each unit's source words
-- (audarma_store::index_text: case-folded words of 3+ letters or digits, hashed with the language pair)
-- with the unit's length, and how many units hold each key, so a lookup reads only rare words' postings.
-- Written by the store in Rust as units are added; units stored before this migration are indexed once
-- at open (tm_index_backfill).
DROP TRIGGER tm_fts_insert;
DROP TRIGGER tm_fts_delete;
DROP TABLE tm_fts;
ALTER TABLE tm_units ADD COLUMN created_by TEXT;
CREATE TABLE tm_terms (
    term  INTEGER PRIMARY KEY,
    units INTEGER NOT NULL
);
CREATE TABLE tm_postings (
    term  INTEGER NOT NULL,
    chars INTEGER NOT NULL,
    unit  INTEGER NOT NULL,
    PRIMARY KEY (term, chars, unit)
) WITHOUT ROWID;
CREATE TABLE tm_index_backfill (pending INTEGER NOT NULL);
INSERT INTO tm_index_backfill (pending) SELECT 1 WHERE EXISTS (SELECT 1 FROM tm_units);
