//! The store conformance suite: what every `audarma_store::Store` must do, written once and run on
//! each store (`tests/it`), and the throwaway PostgreSQL those tests use ([`pg`]).
//!
//! A conformance test is an `async fn` over `Arc<dyn Store>` inside [`conformance!`], which makes a
//! module of that name with one `#[tokio::test]` per backend (`search::every_word_is_required::sqlite`,
//! `…::postgres`). Each test gets a store of its own: a new SQLite file in a temp dir, or a new
//! PostgreSQL database copied from a template migrated once per test process. Without PostgreSQL
//! binaries the postgres tests print `SKIPPED: …` and pass, unless `AUDARMA_REQUIRE_POSTGRES=1`.

pub mod pg;

use audarma_store::Store;
use audarma_store_sqlite::SqliteStore;
use std::sync::Arc;

/// A store implementation the suite runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub const ALL: [Backend; 2] = [Backend::Sqlite, Backend::Postgres];

    /// `sqlite` or `postgres`, as in the test names.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Keeps a test's database alive (the SQLite temp dir) and opens it again.
pub struct Guard {
    backend: Backend,
    place: Place,
}

enum Place {
    Sqlite { _dir: tempfile::TempDir, path: String },
    Postgres { url: String },
}

impl Guard {
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The database's URL when it is PostgreSQL: for tests that need a connection of their own.
    pub fn postgres_url(&self) -> Option<&str> {
        match &self.place {
            Place::Postgres { url } => Some(url),
            Place::Sqlite { .. } => None,
        }
    }

    /// A second store on the same database, with connections of its own: another process.
    pub async fn open_again(&self) -> Arc<dyn Store> {
        match &self.place {
            Place::Sqlite { path, .. } => open_sqlite(path).await,
            Place::Postgres { url } => open_postgres(url).await,
        }
    }
}

/// A new, empty, migrated store of `backend`, and the guard that keeps its database. `None` when
/// PostgreSQL is unavailable (and not required): `SKIPPED: …` is printed to stderr.
pub async fn open(backend: Backend) -> Option<(Arc<dyn Store>, Guard)> {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("a temp dir for the SQLite store");
            let path = dir.path().join("store.db").to_str().expect("a UTF-8 temp dir").to_string();
            let store = open_sqlite(&path).await;
            Some((store, Guard { backend, place: Place::Sqlite { _dir: dir, path } }))
        }
        Backend::Postgres => {
            let Some(cluster) = pg::Cluster::get().await else {
                eprintln!("SKIPPED: {}", pg::NOT_FOUND);
                return None;
            };
            let url = cluster
                .fresh_database(|template| async move {
                    // Migrates the template; dropping the store drops its pool.
                    drop(open_postgres(&template).await);
                })
                .await;
            let store = open_postgres(&url).await;
            Some((store, Guard { backend, place: Place::Postgres { url } }))
        }
    }
}

async fn open_sqlite(path: &str) -> Arc<dyn Store> {
    match SqliteStore::open(path).await {
        Ok(store) => Arc::new(store),
        Err(e) => panic!("opening the SQLite store {path}: {e}"),
    }
}

/// Opens (and migrates) the PostgreSQL store at `url`.
async fn open_postgres(url: &str) -> Arc<dyn Store> {
    match audarma_store_postgres::PgStore::open(url).await {
        Ok(store) => Arc::new(store),
        Err(e) => panic!("opening the PostgreSQL store {url}: {e}"),
    }
}

/// Conformance tests: each `async fn` runs once per [`Backend`], on a new store of its own.
///
/// ```ignore
/// use audarma_store::Store;
/// use audarma_store_tests::{conformance, Guard};
/// use std::sync::Arc;
///
/// conformance! {
///     /// Every word of a search is required.
///     async fn every_word_is_required(s: Arc<dyn Store>) {
///         assert!(s.words(audarma_core::Lang::Kk).await.unwrap().is_empty());
///     }
///
///     /// A second parameter `&Guard` gives the backend and a second store on the same database.
///     async fn two_processes(s: Arc<dyn Store>, db: &Guard) {
///         let other = db.open_again().await;
///         if db.backend().name() == "postgres" { /* … */ }
///     }
/// }
/// ```
///
/// Each becomes `mod NAME { async fn sqlite(); async fn postgres(); }` (tests
/// `MODULE::NAME::sqlite` and `MODULE::NAME::postgres`) on multi-threaded runtimes of two workers; the
/// module `use`s everything of the enclosing one.
#[macro_export]
macro_rules! conformance {
    ($(
        $(#[$meta:meta])*
        async fn $name:ident($store:ident : $store_ty:ty $(, $db:ident : $db_ty:ty)? $(,)?) $body:block
    )*) => {$(
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn conformance_test($store: $store_ty $(, $db: $db_ty)?) $body

            #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::conformance!(@run $crate::Backend::Sqlite $(, $db : $db_ty)?);
            }

            #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $crate::conformance!(@run $crate::Backend::Postgres $(, $db : $db_ty)?);
            }
        }
    )*};
    (@run $backend:expr $(, $db:ident : $db_ty:ty)?) => {
        let Some((store, guard)) = $crate::open($backend).await else { return };
        conformance_test(store $(, { let $db: $db_ty = &guard; $db })?).await;
        drop(guard);
    };
}
