//! A throwaway PostgreSQL for the tests of one test binary.
//!
//! [`Cluster::get`] starts one cluster per test process, on first use: `initdb` in a temp dir (UTF-8,
//! `C.UTF-8` so that case folding and `pg_trgm` work in every script), then `postgres` on a Unix socket
//! in that dir, with durability off. Tests run on runtimes of their own, so the static keeps only paths
//! and names, never a pool or a connection; each test connects with the URL it is given.
//!
//! Nothing outlives the test process (statics are never dropped): initdb and postgres are run by a
//! small `sh` watchdog that is given the test process's id. Once that process is gone (polled once a
//! second), it stops postgres (SIGINT, a fast shutdown), waits for it and removes the temp dir; a
//! test process killed during initdb is noticed too. The watchdog runs in a process group of its own,
//! so a Ctrl-C of the test run does not stop it before it has cleaned up.
//!
//! PostgreSQL refuses to run as root: when the tests do, the temp dir is given to the `postgres` user
//! (from `/etc/passwd`) and initdb, the watchdog and postgres run as that user.
//!
//! The binaries: `AUDARMA_PG_BIN` (a bin dir), else the highest `/usr/lib/postgresql/*/bin` that has
//! `initdb` and `postgres`. None there: [`Cluster::get`] returns `None` (the caller prints
//! `SKIPPED: ` and [`NOT_FOUND`]), unless `AUDARMA_REQUIRE_POSTGRES=1`, then it panics.

use sqlx::{Connection, PgConnection};
use std::collections::HashMap;
use std::future::Future;
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::OnceCell;

/// Why there is no cluster (printed after `SKIPPED: `, or the panic when PostgreSQL is required).
pub const NOT_FOUND: &str = "PostgreSQL binaries not found (/usr/lib/postgresql/*/bin); install Debian's postgresql";

/// The template database [`Cluster::fresh_database`] copies: migrated once per test process.
pub const TEMPLATE: &str = "audarma_template";

/// The user initdb creates (in the watchdog); every connection is trusted.
const USER: &str = "audarma";

/// How long initdb and postgres may take until postgres accepts connections.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// The server settings: a test database needs no durability, and many tests connect at once.
const SETTINGS: &[&str] =
    &["listen_addresses=", "fsync=off", "synchronous_commit=off", "full_page_writes=off", "max_connections=300"];

/// The watchdog: `sh -c WATCHDOG audarma-pg-watchdog PID BIN DIR SETTING...`. Runs initdb, then
/// postgres in the background (`DIR/initdb.failed` or `DIR/postgres.exited` tell the test process that
/// it will wait in vain), polls the test process `PID` (`kill -0`; as another user that is refused, so
/// `/proc` too), then stops postgres, waits for it and removes `DIR`. The logs stay until the test
/// process is gone, so a failed start can be explained.
const WATCHDOG: &str = r#"
pid=$1 bin=$2 dir=$3
shift 3
# Each setting becomes `-c SETTING`.
for setting in "$@"; do set -- "$@" -c "$setting"; shift; done
started=
if "$bin/initdb" -D "$dir/data" -U audarma --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync \
    >"$dir/initdb.log" 2>&1 </dev/null; then
    { "$bin/postgres" -D "$dir/data" -k "$dir" "$@" >"$dir/postgres.log" 2>&1 </dev/null; : >"$dir/postgres.exited"; } &
    started=1
else
    : >"$dir/initdb.failed"
fi
alive() { kill -0 "$1" 2>/dev/null || [ -d "/proc/$1" ]; }
while alive "$pid"; do sleep 1; done
# Stop postgres unless it stopped by itself; it may still be starting (its pid not written yet).
while [ -n "$started" ] && [ ! -e "$dir/postgres.exited" ]; do
    postmaster=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null)
    [ -n "$postmaster" ] && kill -INT "$postmaster" 2>/dev/null && break
    sleep 1
done
wait
rm -rf "$dir"
"#;

/// The running cluster of this test process.
pub struct Cluster {
    /// The temp dir: `data/`, the socket, `postgres.log`.
    dir: PathBuf,
    /// Numbers the databases this process creates.
    next: AtomicU32,
    /// The templates made so far, each made once however many tests ask at once.
    templates: Mutex<HashMap<String, Arc<OnceCell<()>>>>,
}

static CLUSTER: OnceCell<Option<Cluster>> = OnceCell::const_new();

impl Cluster {
    /// The cluster of this test process, started on first use; `None` when there are no PostgreSQL
    /// binaries (and `AUDARMA_REQUIRE_POSTGRES` is not `1`: then this panics).
    pub async fn get() -> Option<&'static Cluster> {
        CLUSTER
            .get_or_init(|| async {
                match binaries() {
                    Some(bin) => Some(Cluster::start(bin).await),
                    None if required() => panic!("{NOT_FOUND} (and AUDARMA_REQUIRE_POSTGRES=1)"),
                    None => None,
                }
            })
            .await
            .as_ref()
    }

    /// The URL of database `name`: the socket directory is sqlx's `host` parameter.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://{USER}@localhost/{name}?host={}", self.dir.display())
    }

    /// The URL of the template database [`Cluster::fresh_database`] copies.
    pub fn template_url(&self) -> String {
        self.url(TEMPLATE)
    }

    /// The temp dir of the cluster (data, socket and `postgres.log`).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A new database, a copy of [`TEMPLATE`]; returns its URL. The template is created and migrated
    /// once per process by `migrate` (given the template's URL): `migrate` must drop its connections
    /// before it returns, since a database is not copied while anyone is connected to it. Later calls
    /// do not call `migrate`.
    pub async fn fresh_database<F, Fut>(&self, migrate: F) -> String
    where
        F: FnOnce(String) -> Fut,
        Fut: Future<Output = ()>,
    {
        self.database_from(TEMPLATE, migrate).await
    }

    /// Like [`Cluster::fresh_database`], from a template of another name (made once by `migrate`).
    pub async fn database_from<F, Fut>(&self, template: &str, migrate: F) -> String
    where
        F: FnOnce(String) -> Fut,
        Fut: Future<Output = ()>,
    {
        let once = self.templates.lock().expect("the templates' lock").entry(template.to_string()).or_default().clone();
        once.get_or_init(|| async {
            // A migration that panicked in an earlier test may have left the database half made.
            self.admin(&format!("DROP DATABASE IF EXISTS {template} WITH (FORCE)")).await;
            self.admin(&format!("CREATE DATABASE {template}")).await;
            migrate(self.url(template)).await;
            // Nobody connects to a template again; connections the migration dropped may still be
            // closing on the server.
            self.admin(&format!("ALTER DATABASE {template} WITH ALLOW_CONNECTIONS false")).await;
            self.admin(&format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{template}'"))
                .await;
        })
        .await;
        self.create_database(Some(template)).await
    }

    /// A new database with nothing in it (no migrations: for tests of migrating); returns its URL.
    pub async fn empty_database(&self) -> String {
        self.create_database(None).await
    }

    async fn create_database(&self, template: Option<&str>) -> String {
        let name = format!("t_{}_{}", std::process::id(), self.next.fetch_add(1, Ordering::Relaxed));
        let sql = match template {
            Some(t) => format!("CREATE DATABASE {name} TEMPLATE {t}"),
            None => format!("CREATE DATABASE {name}"),
        };
        let mut admin = self.connect("postgres").await;
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match sqlx::raw_sql(&sql).execute(&mut admin).await {
                Ok(_) => break,
                // 55006 object_in_use: a connection to the template is still closing.
                Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("55006") && Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => panic!("{sql}: {e}"),
            }
        }
        let _ = admin.close().await;
        self.url(&name)
    }

    /// Runs one statement in the `postgres` database.
    async fn admin(&self, sql: &str) {
        let mut admin = self.connect("postgres").await;
        if let Err(e) = sqlx::raw_sql(sql).execute(&mut admin).await {
            panic!("{sql}: {e}");
        }
        let _ = admin.close().await;
    }

    async fn connect(&self, database: &str) -> PgConnection {
        match PgConnection::connect(&self.url(database)).await {
            Ok(c) => c,
            Err(e) => panic!("connecting to the test PostgreSQL: {e}\n{}", self.log_tail()),
        }
    }

    async fn start(bin: PathBuf) -> Cluster {
        let cluster = Cluster { dir: start_watchdog(&bin), next: AtomicU32::new(1), templates: Mutex::default() };
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if cluster.dir.join("initdb.failed").exists() {
                panic!("initdb failed: {}", cluster.tail("initdb.log"));
            }
            if cluster.dir.join("postgres.exited").exists() {
                panic!("PostgreSQL stopped while starting: {}", cluster.log_tail());
            }
            match PgConnection::connect(&cluster.url("postgres")).await {
                Ok(c) => {
                    let _ = c.close().await;
                    return cluster;
                }
                Err(_) if Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(100)).await,
                Err(e) => panic!(
                    "PostgreSQL did not accept connections within {} s: {e}\n{}",
                    START_TIMEOUT.as_secs(),
                    cluster.log_tail()
                ),
            }
        }
    }

    /// The last lines of the server's log, for a panic message.
    fn log_tail(&self) -> String {
        self.tail("postgres.log")
    }

    fn tail(&self, log: &str) -> String {
        let log = self.dir.join(log);
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(30)..].join("\n");
        format!("{} (last lines):\n{tail}", log.display())
    }
}

/// The directory of `initdb` and `postgres`: `AUDARMA_PG_BIN`, else the highest Debian version.
fn binaries() -> Option<PathBuf> {
    let complete = |bin: &Path| bin.join("initdb").is_file() && bin.join("postgres").is_file();
    if let Some(bin) = std::env::var_os("AUDARMA_PG_BIN") {
        let bin = PathBuf::from(bin);
        assert!(complete(&bin), "AUDARMA_PG_BIN={} has no initdb and postgres", bin.display());
        return Some(bin);
    }
    let versions = std::fs::read_dir("/usr/lib/postgresql").ok()?;
    versions
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version: Vec<u32> =
                entry.file_name().to_str()?.split('.').map(|n| n.parse().ok()).collect::<Option<_>>()?;
            let bin = entry.path().join("bin");
            complete(&bin).then_some((version, bin))
        })
        .max()
        .map(|(_, bin)| bin)
}

fn required() -> bool {
    std::env::var("AUDARMA_REQUIRE_POSTGRES").is_ok_and(|v| v == "1")
}

/// Makes the temp dir and starts the watchdog (which runs initdb and postgres); returns the temp dir,
/// which the watchdog removes once the test process is gone.
fn start_watchdog(bin: &Path) -> PathBuf {
    let dir = tempfile::Builder::new().prefix("audarma-pg-").tempdir().expect("a temp dir for PostgreSQL").keep();
    let mut watchdog = Command::new("sh");
    watchdog
        .arg("-c")
        .arg(WATCHDOG)
        .arg("audarma-pg-watchdog")
        .arg(std::process::id().to_string())
        .arg(bin)
        .arg(&dir)
        .args(SETTINGS)
        // initdb and postgres complain about a working directory they cannot read (root's home).
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0);
    if running_as_root() {
        let (uid, gid) = postgres_user();
        if let Err(e) = std::os::unix::fs::chown(&dir, Some(uid), Some(gid)) {
            panic!("giving {} to the postgres user: {e}", dir.display());
        }
        watchdog.uid(uid).gid(gid);
    }
    // Not waited for: it ends after this process does.
    if let Err(e) = watchdog.spawn() {
        panic!("starting the PostgreSQL watchdog (sh): {e}");
    }
    dir
}

/// Whether this process runs as root (the owner of `/proc/self`), without libc.
fn running_as_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// The uid and gid of the `postgres` user, from `/etc/passwd`.
fn postgres_user() -> (u32, u32) {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    passwd
        .lines()
        .find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            match fields.as_slice() {
                ["postgres", _, uid, gid, ..] => Some((uid.parse().ok()?, gid.parse().ok()?)),
                _ => None,
            }
        })
        .unwrap_or_else(|| {
            panic!(
                "the tests run as root, which PostgreSQL refuses, and /etc/passwd has no `postgres` user to \
                 run it as (Debian's postgresql package creates one)"
            )
        })
}

/// A session holding one snapshot open (a `REPEATABLE READ` transaction that has read): while it lives,
/// no dead row version newer than its snapshot can be vacuumed away — the classic way a job queue on
/// PostgreSQL slows down. For benchmarks and tests of exactly that.
pub struct PinnedSnapshot {
    conn: sqlx::PgConnection,
}

impl PinnedSnapshot {
    pub async fn take(url: &str) -> PinnedSnapshot {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(url).await.expect("a connection to pin a snapshot");
        sqlx::raw_sql("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT COUNT(*) FROM jobs;")
            .execute(&mut conn)
            .await
            .expect("a snapshot taken");
        PinnedSnapshot { conn }
    }

    pub async fn release(mut self) {
        sqlx::raw_sql("ROLLBACK").execute(&mut self.conn).await.expect("the snapshot released");
    }
}
