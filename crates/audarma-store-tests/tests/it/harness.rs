//! The throwaway PostgreSQL itself (not a conformance test): it starts, speaks UTF-8 with case folding
//! beyond ASCII, has `pg_trgm`, and hands out databases of their own, copied from a template made once.

use audarma_store_tests::pg::{Cluster, NOT_FOUND};
use sqlx::{Connection, PgConnection};

async fn cluster() -> Option<&'static Cluster> {
    let cluster = Cluster::get().await;
    if cluster.is_none() {
        eprintln!("SKIPPED: {NOT_FOUND}");
    }
    cluster
}

async fn one(url: &str, sql: &str) -> String {
    let mut c = PgConnection::connect(url).await.unwrap();
    let (value,): (String,) = sqlx::query_as(sql).fetch_one(&mut c).await.unwrap();
    c.close().await.unwrap();
    value
}

#[tokio::test]
async fn an_empty_database_folds_kazakh_case_and_has_trigrams() {
    let Some(cluster) = cluster().await else { return };
    let url = cluster.empty_database().await;
    assert!(url.starts_with("postgres://audarma@localhost/t_") && url.contains("?host=/"), "{url}");
    assert_eq!(one(&url, "SELECT lower('ҚАЗАҚ')").await, "қазақ");
    assert_eq!(one(&url, "SELECT upper('дәлізін')").await, "ДӘЛІЗІН");
    assert_eq!(one(&url, "SELECT current_setting('server_encoding')").await, "UTF8");
    let mut c = PgConnection::connect(&url).await.unwrap();
    sqlx::raw_sql("CREATE EXTENSION pg_trgm").execute(&mut c).await.unwrap();
    let (like,): (bool,) =
        sqlx::query_as("SELECT 'Транзите грузов' ILIKE '%ТРАНЗИТ%'").fetch_one(&mut c).await.unwrap();
    assert!(like);
    assert_eq!(one(&url, "SELECT current_database()::text").await, url.split(['/', '?']).nth(3).unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn databases_are_copied_from_a_template_migrated_once() {
    let Some(cluster) = cluster().await else { return };
    let migrations = std::sync::atomic::AtomicU32::new(0);
    let migrate = |url: String| {
        migrations.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        async move {
            // Left open on purpose: the template is copied all the same once it is closed.
            let mut c = PgConnection::connect(&url).await.unwrap();
            sqlx::raw_sql("CREATE TABLE migrated (note TEXT); INSERT INTO migrated VALUES ('from the template')")
                .execute(&mut c)
                .await
                .unwrap();
            drop(c);
        }
    };
    let (a, b) = tokio::join!(
        cluster.database_from("harness_template", migrate),
        cluster.database_from("harness_template", migrate)
    );
    assert_ne!(a, b);
    assert_eq!(migrations.load(std::sync::atomic::Ordering::Relaxed), 1, "the template is made once");
    let mut c = PgConnection::connect(&a).await.unwrap();
    sqlx::raw_sql("INSERT INTO migrated VALUES ('only in a')").execute(&mut c).await.unwrap();
    assert_eq!(
        one(&a, "SELECT string_agg(note, ', ' ORDER BY note) FROM migrated").await,
        "from the template, only in a"
    );
    assert_eq!(one(&b, "SELECT string_agg(note, ', ') FROM migrated").await, "from the template");
    // Nobody connects to the template after it is made.
    assert!(PgConnection::connect(&cluster.url("harness_template")).await.is_err());
}
