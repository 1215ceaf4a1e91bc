//! Opening a database: the pool, the locale check, and the migrations (under PostgreSQL's advisory
//! lock, which sqlx's migrator takes, so processes starting at once do not race).

use crate::rows::db;
use crate::PgStore;
use audarma_store::{Result, StoreError};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgConnection, Row};
use std::str::FromStr;
use std::time::Duration;

/// A URL as it may be shown: the password replaced by `***`.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

impl PgStore {
    /// Opens (migrating when needed) the database at `url` (`postgres://user:password@host/db`, or
    /// `postgres:///db?host=/run/postgresql` for a Unix socket). Refuses a database whose `LC_CTYPE`
    /// does not fold Cyrillic and Kazakh letters' case (`C`, `POSIX`): the queue's search and the
    /// memory's word index would silently miss.
    pub async fn open(url: &str) -> Result<Self> {
        Self::open_with(url, 16).await
    }

    /// [`PgStore::open`] with at most `connections` connections in the pool.
    pub async fn open_with(url: &str, connections: u32) -> Result<Self> {
        let shown = redact(url);
        let opts =
            PgConnectOptions::from_str(url).map_err(|e| db(format!("{shown}: {e}")))?.application_name("audarma");
        // One connection first: a wrong address or password is reported at once (the pool would retry
        // it until its acquire timeout), and the locale is checked on it.
        let mut first =
            PgConnection::connect_with(&opts).await.map_err(|e| db(format!("cannot connect to {shown}: {e}")))?;
        let row = sqlx::query("SELECT lower('ҚӘІӨ') = 'қәіө', current_setting('lc_ctype'), current_database()")
            .fetch_one(&mut first)
            .await
            .map_err(|e| db(format!("{shown}: {e}")))?;
        let _ = first.close().await;
        let pool = PgPoolOptions::new()
            .max_connections(connections)
            .acquire_timeout(Duration::from_secs(30))
            .connect_lazy_with(opts);
        let (folds, ctype, name): (bool, String, String) = (row.get(0), row.get(1), row.get(2));
        if !folds {
            return Err(StoreError::Database(
                format!(
                    "database {name:?} has LC_CTYPE {ctype:?}, which does not fold Cyrillic case: searches and the \
                     memory index would miss Kazakh and Russian words; create it with a UTF-8 locale \
                     (createdb --template=template0 --locale=C.UTF-8 {name})"
                )
                .into(),
            ));
        }
        crate::migrations::migrator()
            .await
            .map_err(|e| db(format!("migrating {shown}: {e}")))?
            .run(&pool)
            .await
            .map_err(|e| db(format!("migrating {shown}: {e}")))?;
        crate::memory::backfill_index(&pool).await.map_err(|e| db(format!("indexing the memory of {shown}: {e}")))?;
        Ok(PgStore { pool, listener: Default::default(), fold_checked: Default::default() })
    }

    /// The schema version (the newest migration applied) and whether every migration this build knows
    /// is applied.
    pub async fn schema_version(&self) -> Result<(i64, bool)> {
        let row = sqlx::query("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
            .fetch_one(&self.pool)
            .await
            .map_err(db)?;
        let v: i64 = row.get(0);
        Ok((v, v >= crate::migrations::LATEST))
    }

    /// The connection pool, for tools that read the database directly (`audarma db`).
    pub fn pool(&self) -> &sqlx::PgPool {
        &self.pool
    }
}

pub(crate) async fn health(store: &PgStore) -> Result<audarma_store::Health> {
    let (version, _) = store.schema_version().await?;
    let row = sqlx::query(
        "SELECT version(), current_setting('lc_ctype'), pg_database_size(current_database())::bigint,
                lower('ҚӘІӨ') = 'қәіө',
                (SELECT COUNT(*) FROM jobs WHERE state = 'translating' AND lease_until < now()),
                (SELECT COALESCE(n_dead_tup, 0) FROM pg_stat_user_tables WHERE relname = 'jobs'),
                (SELECT COALESCE(MAX(age(backend_xmin)), 0) FROM pg_stat_activity WHERE backend_xmin IS NOT NULL)::bigint",
    )
    .fetch_one(&store.pool)
    .await
    .map_err(db)?;
    let (server, ctype, size, folds, expired, dead, xmin_age): (String, String, i64, bool, i64, Option<i64>, i64) =
        (row.get(0), row.get(1), row.get(2), row.get(3), row.get(4), row.get(5), row.get(6));
    let mut problems = Vec::new();
    if !folds {
        problems.push(format!("LC_CTYPE {ctype:?} does not fold Cyrillic case"));
    }
    if version < crate::migrations::LATEST {
        problems.push(format!("schema {version} is older than this build's {}", crate::migrations::LATEST));
    }
    Ok(audarma_store::Health {
        backend: "postgres",
        schema_version: version,
        latest_schema: crate::migrations::LATEST,
        expired_leases: expired as u64,
        details: vec![
            ("server".into(), server),
            ("lc_ctype".into(), ctype),
            ("size_bytes".into(), size.to_string()),
            ("jobs_dead_tuples".into(), dead.unwrap_or(0).to_string()),
            ("oldest_snapshot_xid_age".into(), xmin_age.to_string()),
        ],
        problems,
    })
}
