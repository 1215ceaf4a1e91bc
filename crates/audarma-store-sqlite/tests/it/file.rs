//! What is the SQLite store's own: a database file that other connections and processes open too.
//! What every store must do is tested on each store in `crates/audarma-store-tests`.

use audarma_store_sqlite::SqliteStore;

#[tokio::test]
async fn the_event_log_is_append_only() {
    let dir = tempfile::tempdir().unwrap();
    let _ = SqliteStore::open(dir.path().join("a.db").to_str().unwrap()).await.unwrap();
    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", dir.path().join("a.db").display())).await.unwrap();
    sqlx::query("INSERT INTO events (at, actor, kind) VALUES ('t', 'a', 'k')").execute(&pool).await.unwrap();
    assert!(sqlx::query("DELETE FROM events").execute(&pool).await.is_err());
    assert!(sqlx::query("UPDATE events SET actor = 'b'").execute(&pool).await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn several_processes_may_open_a_new_database_at_once() {
    // A race: one round passed by luck often enough to hide it, so several rounds on new files.
    for round in 0..20 {
        let dir = tempfile::tempdir().unwrap();
        let url = dir.path().join("race.db").to_str().unwrap().to_string();
        let opens: Vec<_> = (0..6)
            .map(|_| {
                let u = url.clone();
                tokio::spawn(async move { SqliteStore::open(&u).await.map(|_| ()) })
            })
            .collect();
        for o in opens {
            if let Err(e) = o.await.unwrap() {
                panic!("round {round}: {e}");
            }
        }
    }
}

#[tokio::test]
async fn units_stored_before_the_word_index_are_indexed_once_at_open() {
    use audarma_core::Lang;
    use audarma_store::{fuzzy_matches, Store, TmUnit};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let path = path.to_str().unwrap();
    let unit = TmUnit::new(Lang::Ru, Lang::Kk, "Министр провёл встречу с послом.", "Министр елшімен кездесті.");
    SqliteStore::open(path).await.unwrap().tm_add(&[unit], "t").await.unwrap();
    // As a database migrated from before the index: units, no postings, the backfill pending.
    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{path}")).await.unwrap();
    for sql in ["DELETE FROM tm_postings", "DELETE FROM tm_terms", "INSERT INTO tm_index_backfill VALUES (1)"] {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    let text = "Министр провёл встречу с послом Японии.";
    let store = SqliteStore::open(path).await.unwrap();
    let found = fuzzy_matches(&store, Lang::Ru, Lang::Kk, text, 60, 3).await.unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    let again = SqliteStore::open(path).await.unwrap();
    let postings: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tm_postings").fetch_one(&pool).await.unwrap();
    assert_eq!(postings, 4, "министр, провёл, встречу, послом: once each");
    assert_eq!(fuzzy_matches(&again, Lang::Ru, Lang::Kk, text, 60, 3).await.unwrap(), found);
}

#[tokio::test]
async fn a_bulk_import_stopped_before_its_index_merge_is_indexed_at_the_next_open() {
    use audarma_core::Lang;
    use audarma_store::{fuzzy_matches, Store, TmUnit};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bulk.db");
    let path = path.to_str().unwrap();
    let unit = TmUnit::new(Lang::Ru, Lang::Kk, "Министр провёл встречу с послом.", "Министр елшімен кездесті.");
    let text = "Министр провёл встречу с послом Японии.";
    {
        let store = SqliteStore::open(path).await.unwrap();
        assert_eq!(store.tm_add_bulk(&[unit], "import:big.tmx").await.unwrap(), 1);
        assert!(fuzzy_matches(&store, Lang::Ru, Lang::Kk, text, 60, 3).await.unwrap().is_empty(), "not indexed yet");
        // The import stops here: no tm_index_pending.
    }
    let store = SqliteStore::open(path).await.unwrap();
    assert_eq!(fuzzy_matches(&store, Lang::Ru, Lang::Kk, text, 60, 3).await.unwrap().len(), 1);
    assert_eq!(store.tm_index_pending().await.unwrap(), 0, "nothing left pending");
}
