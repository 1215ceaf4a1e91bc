-- Index entries of units added in bulk (a TMX or TSV import), appended here as the units are stored
-- and merged into tm_postings and tm_terms in one sorted pass when the import ends (or at the next
-- open, after a crash): inserting millions of postings one batch at a time in term order rewrote most
-- of the index's pages for every batch. A plain rowid table, so appending costs one page at a time.
CREATE TABLE tm_postings_pending (
    term  INTEGER NOT NULL,
    chars INTEGER NOT NULL,
    unit  INTEGER NOT NULL
);
-- Exact lookups go by the unique index (source_lang, target_lang, source_key, target), whose prefix
-- is this index's: one wide index fewer to update for every unit stored.
DROP INDEX tm_lookup;
