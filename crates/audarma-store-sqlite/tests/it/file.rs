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
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("race.db");
    let url = path.to_str().unwrap().to_string();
    let opens: Vec<_> = (0..6)
        .map(|_| {
            tokio::spawn({
                let u = url.clone();
                async move { SqliteStore::open(&u).await.map(|_| ()) }
            })
        })
        .collect();
    for o in opens {
        o.await.unwrap().unwrap();
    }
}
