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
