//! What only the PostgreSQL store has to get right: refusing a database whose locale would make it
//! miss Kazakh and Russian words, and many processes migrating one new database at once.

use audarma_store::Store;
use audarma_store_postgres::PgStore;
use audarma_store_tests::pg::{Cluster, NOT_FOUND};
use sqlx::{Connection, PgConnection};

async fn cluster() -> Option<&'static Cluster> {
    let cluster = Cluster::get().await;
    if cluster.is_none() {
        eprintln!("SKIPPED: {NOT_FOUND}");
    }
    cluster
}

#[tokio::test]
async fn a_database_whose_locale_does_not_fold_cyrillic_is_refused_saying_how_to_make_one() {
    let Some(cluster) = cluster().await else { return };
    let url = cluster.empty_database().await;
    let mut c = PgConnection::connect(&url).await.unwrap();
    sqlx::raw_sql("CREATE DATABASE latin_only TEMPLATE template0 LC_CTYPE 'C' LC_COLLATE 'C'")
        .execute(&mut c)
        .await
        .unwrap();
    c.close().await.unwrap();
    let Err(e) = PgStore::open(&cluster.url("latin_only")).await else { panic!("a C-locale database was accepted") };
    let e = e.to_string();
    assert!(e.contains("database \"latin_only\" has LC_CTYPE \"C\""), "{e}");
    assert!(e.contains("createdb --template=template0 --locale=C.UTF-8 latin_only"), "{e}");
    // Nothing was created in it.
    let mut c = PgConnection::connect(&cluster.url("latin_only")).await.unwrap();
    let (tables,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'").fetch_one(&mut c).await.unwrap();
    assert_eq!(tables, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_processes_opening_a_new_database_at_once_migrate_it_once() {
    let Some(cluster) = cluster().await else { return };
    let url = cluster.empty_database().await;
    let opens: Vec<_> = (0..8)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move { PgStore::open(&url).await.map(|s| s.pool().clone()) })
        })
        .collect();
    let mut stores = Vec::new();
    for o in opens {
        stores.push(o.await.unwrap().unwrap());
    }
    let (applied, distinct): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT version) FROM _sqlx_migrations")
            .fetch_one(&stores[0])
            .await
            .unwrap();
    let store = PgStore::open(&url).await.unwrap();
    let h = store.health().await.unwrap();
    assert!(applied >= 2 && applied == distinct, "each migration applied once: {applied} rows, {distinct} versions");
    assert_eq!(h.schema_version, h.latest_schema);
}

#[tokio::test]
async fn a_password_in_the_url_is_never_shown() {
    let Some(cluster) = cluster().await else { return };
    let url = cluster.url("no_such_database").replace("audarma@", "audarma:hunter2-secret@");
    let Err(e) = PgStore::open(&url).await else { panic!("opened a database that does not exist") };
    let e = e.to_string();
    assert!(e.contains("audarma:***@localhost/no_such_database"), "{e}");
    assert!(!e.contains("hunter2"), "{e}");
}
