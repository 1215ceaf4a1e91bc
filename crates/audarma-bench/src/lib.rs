//! Shared helpers for audarma's benchmarks (`cargo bench -p audarma-bench --bench <name>`): the
//! benchmark corpus built from the project's own sample releases, and a tiny timing harness
//! (several repetitions, median and best). See `BENCHMARKS.md` at the top of the repository.
//!
//! The corpus rule is mirrored by `scripts/pysbd_compare.py`, so both sides segment the very same
//! bytes: for each language, the `.txt` and `.md` files in `examples/releases/` named `<lang>-*`
//! (sorted by name) are split at blank lines; a block is kept when it is one line of at least 80
//! characters that does not start with `#` and ends with `.`, `!`, `?`, `»`, `”` or `"` (this drops
//! titles, dates, menus and other page furniture). The kept paragraphs are repeated in order,
//! separated by a blank line, until the text reaches the requested size.

use audarma_core::Lang;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The three languages, in report order.
pub const LANGS: [Lang; 3] = [Lang::En, Lang::Ru, Lang::Kk];

/// The repository root (two levels above this crate).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `examples/releases/` in the repository.
pub fn examples_dir() -> PathBuf {
    repo_root().join("examples/releases")
}

/// The sample release files for `lang` (all formats), sorted by name.
pub fn sample_files(lang: Lang, extensions: &[&str]) -> Vec<PathBuf> {
    let prefix = format!("{}-", lang.code());
    let mut files: Vec<PathBuf> = std::fs::read_dir(examples_dir())
        .expect("examples/releases/ is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            name.starts_with(&prefix) && extensions.contains(&ext)
        })
        .collect();
    files.sort();
    files
}

/// The body paragraphs of the `.txt` and `.md` samples for `lang`, furniture dropped (see the
/// crate documentation for the rule).
pub fn paragraphs(lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    for path in sample_files(lang, &["txt", "md"]) {
        let text = std::fs::read_to_string(&path).expect("sample files are UTF-8").replace("\r\n", "\n");
        for block in text.split("\n\n") {
            let block = block.trim();
            let keep = !block.contains('\n')
                && block.chars().count() >= 80
                && !block.starts_with('#')
                && block.ends_with(['.', '!', '?', '»', '”', '"']);
            if keep {
                out.push(block.to_string());
            }
        }
    }
    assert!(!out.is_empty(), "no paragraphs for {}", lang.code());
    out
}

/// The paragraphs of `lang`, repeated in order until their total size (with the blank lines that
/// separate them) reaches `target_bytes`.
pub fn repeated_paragraphs(lang: Lang, target_bytes: usize) -> Vec<String> {
    let base = paragraphs(lang);
    let mut out = Vec::new();
    let mut size = 0;
    for p in base.iter().cycle() {
        if size >= target_bytes {
            break;
        }
        size += p.len() + 2;
        out.push(p.clone());
    }
    out
}

/// The corpus text: [`repeated_paragraphs`] joined by blank lines, ending with a line break.
pub fn corpus_text(paragraphs: &[String]) -> String {
    let mut s = paragraphs.join("\n\n");
    s.push('\n');
    s
}

/// Size of the segmentation corpus in bytes: `AUDARMA_BENCH_MB` (decimal megabytes), default 4.
pub fn corpus_bytes() -> usize {
    let mb: f64 = std::env::var("AUDARMA_BENCH_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(4.0);
    (mb * 1e6) as usize
}

/// Median and best of several timed repetitions.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub median: Duration,
    pub best: Duration,
    pub reps: usize,
}

impl Timing {
    /// Throughput in decimal megabytes per second for `bytes`: (median, best).
    pub fn mb_per_s(&self, bytes: usize) -> (f64, f64) {
        (bytes as f64 / 1e6 / self.median.as_secs_f64(), bytes as f64 / 1e6 / self.best.as_secs_f64())
    }

    /// Items per second for `n` items: (median, best).
    pub fn per_s(&self, n: usize) -> (f64, f64) {
        (n as f64 / self.median.as_secs_f64(), n as f64 / self.best.as_secs_f64())
    }
}

/// Runs `f` once to warm up, then `reps` timed times; returns the median and the best.
pub fn measure<T>(reps: usize, mut f: impl FnMut() -> T) -> Timing {
    std::hint::black_box(f());
    let mut times: Vec<Duration> = (0..reps.max(1))
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort();
    Timing { median: times[times.len() / 2], best: times[0], reps: times.len() }
}

/// One line about the machine's load when a bench starts (the machine is shared: numbers are
/// indicative). Reads `/proc/loadavg` where there is one.
pub fn load_note() -> String {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<&str> = load.split_whitespace().take(3).collect();
    format!("[{cores} cores, load average {}]", if load.is_empty() { "unknown".to_string() } else { load.join(" ") })
}

/// Milliseconds, for printing.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The store a bench runs on: with `AUDARMA_BENCH_STORE=postgres`, a fresh database on a throwaway
/// PostgreSQL started by the store tests' harness; else the SQLite file `sqlite` (opened as the desk
/// opens it when `server`).
pub async fn bench_store(sqlite: &std::path::Path, server: bool) -> std::sync::Arc<dyn audarma_store::Store> {
    if std::env::var("AUDARMA_BENCH_STORE").is_ok_and(|v| v == "postgres") {
        let cluster = audarma_store_tests::pg::Cluster::get().await.expect("PostgreSQL binaries for the bench");
        let url = cluster
            .fresh_database(|t| async move {
                drop(audarma_store_postgres::PgStore::open(&t).await.expect("template migrates"));
            })
            .await;
        println!("store: PostgreSQL ({url})");
        return std::sync::Arc::new(audarma_store_postgres::PgStore::open(&url).await.expect("store opens"));
    }
    println!("store: SQLite ({})", sqlite.display());
    let path = sqlite.to_str().expect("utf-8 path");
    if server {
        std::sync::Arc::new(audarma_store_sqlite::SqliteStore::open_for_server(path).await.expect("store opens"))
    } else {
        std::sync::Arc::new(audarma_store_sqlite::SqliteStore::open(path).await.expect("store opens"))
    }
}
