//! Opening a database: the connection pragmas (WAL, busy timeout, foreign keys), the migrations and
//! the lock that keeps two processes from migrating a new file at once, and the server's background
//! checkpoint.

use crate::rows::db;
use crate::SqliteStore;
use audarma_store::Result;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

/// The database file a `sqlite:` URL names.
fn opts_filename(url: &str) -> Result<std::path::PathBuf> {
    Ok(SqliteConnectOptions::from_str(url).map_err(|e| db(format!("{url}: {e}")))?.get_filename().to_path_buf())
}

/// Frames (pages) in the write-ahead log past which the server's background checkpoint waits for
/// writers to finish and truncates the log: 16,384 pages, 64 MB.
const WAL_RESTART_FRAMES: i64 = 16_384;

impl SqliteStore {
    /// Opens (creating and migrating when needed) the database at `url`: `sqlite:path`,
    /// `sqlite://path` or a plain file path. `sqlite::memory:` gives a private in-memory store.
    pub async fn open(url: &str) -> Result<Self> {
        Self::open_with(url, false).await
    }

    /// Like [`SqliteStore::open`], for a long-running server: the write-ahead log is checkpointed by a
    /// background task twice a second instead of by whichever request's commit crosses the threshold,
    /// so no request waits for a checkpoint's copying and syncing. Other processes on the same file
    /// still checkpoint as usual.
    pub async fn open_for_server(url: &str) -> Result<Self> {
        let store = Self::open_with(url, true).await?;
        if !url.contains(":memory:") {
            let pool = store.pool.clone();
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(Duration::from_millis(500));
                loop {
                    tick.tick().await;
                    if pool.is_closed() {
                        break;
                    }
                    // (busy, frames in the log, frames copied back). A passive checkpoint never
                    // waits, so under writes that never pause it never completes and the log never
                    // starts over: 35 GB in 20 minutes of approvals. Past WAL_RESTART_FRAMES the
                    // checkpoint waits for the writer (up to the busy timeout), copies everything
                    // and truncates the log.
                    let passive: Result<(i64, i64, i64)> =
                        sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)").fetch_one(&pool).await.map_err(db);
                    let done = match passive {
                        Ok((_, frames, _)) if frames > WAL_RESTART_FRAMES => {
                            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&pool).await.map(|_| ()).map_err(db)
                        }
                        other => other.map(|_| ()),
                    };
                    if let Err(e) = done {
                        tracing::warn!(error = %e, "background checkpoint");
                    }
                }
            });
        }
        Ok(store)
    }

    async fn open_with(url: &str, background_checkpoint: bool) -> Result<Self> {
        let url = if url.starts_with("sqlite:") { url.to_string() } else { format!("sqlite:{url}") };
        let memory = url.contains(":memory:");
        let mut opts = SqliteConnectOptions::from_str(&url)
            .map_err(|e| db(format!("{url}: {e}")))?
            .create_if_missing(true)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30))
            .journal_mode(if memory { SqliteJournalMode::Memory } else { SqliteJournalMode::Wal })
            .synchronous(SqliteSynchronous::Normal)
            // The memory's index outgrows SQLite's default 2 MB page cache long before a million units:
            // 64 MB a connection, and reads through a 1 GB memory map (address space, not memory).
            .pragma("cache_size", "-65536")
            .pragma("mmap_size", "1073741824");
        if background_checkpoint && !memory {
            opts = opts.pragma("wal_autocheckpoint", "0");
        }
        // Two processes opening a new database at once (cron and the CLI) would both migrate it, and
        // both switch the new file to WAL, which SQLite may refuse with "database is locked" without
        // waiting out the busy timeout. An exclusive lock on a file beside it, taken before the first
        // connection, makes the second wait and then find WAL set and every migration applied. Not on
        // the database file itself: closing any descriptor of that file would drop the POSIX locks
        // SQLite holds on it.
        let lock = if memory {
            None
        } else {
            let mut lock_path = opts_filename(&url)?.into_os_string();
            lock_path.push(".migrate-lock");
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&lock_path)
                .map_err(|e| db(format!("cannot open {}: {e}", std::path::Path::new(&lock_path).display())))?;
            let file = tokio::task::spawn_blocking(move || file.lock().map(|()| file))
                .await
                .map_err(db)?
                .map_err(|e| db(format!("cannot lock {url} to migrate it: {e}")))?;
            Some(file)
        };
        let pool = SqlitePoolOptions::new()
            .max_connections(if memory { 1 } else { 8 })
            .connect_with(opts)
            .await
            .map_err(|e| db(format!("cannot open {url}: {e}")))?;
        crate::migrations::migrator()
            .await
            .map_err(|e| db(format!("migrating {url}: {e}")))?
            .run(&pool)
            .await
            .map_err(|e| db(format!("migrating {url}: {e}")))?;
        crate::memory::backfill_index(&pool).await.map_err(|e| db(format!("indexing the memory of {url}: {e}")))?;
        drop(lock);
        Ok(SqliteStore { pool, writer: Default::default() })
    }
}
