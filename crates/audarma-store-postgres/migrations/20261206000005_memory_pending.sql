-- Index entries of units added in bulk (a TMX or TSV import), appended here as the units are stored
-- and moved into tm_postings and tm_terms in one sorted statement when the import ends (or at the next
-- open, after a crash), as SQLite's (migration memory_pending there). No index: it is only appended to
-- and emptied whole.
CREATE TABLE tm_postings_pending (
    term  BIGINT NOT NULL,
    chars INTEGER NOT NULL,
    unit  BIGINT NOT NULL
);
-- Exact lookups go by tm_units_unique (source_lang, target_lang, md5(source_key), md5(target)), whose
-- prefix is this index's: one index fewer to update for every unit stored.
DROP INDEX tm_lookup;
