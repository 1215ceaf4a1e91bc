//! Ingest into SQLite: 10,000 distinct releases through `SqliteStore::open` + `Store::insert_release`,
//! releases per second.
//!
//! `cargo bench -p audarma-bench --bench store_ingest`
//! (`AUDARMA_BENCH_RELEASES`: how many, default 10000; `AUDARMA_BENCH_DIR`: where the database file
//! goes, default the system temp directory.)

use audarma_bench::{load_note, sample_files, LANGS};
use audarma_core::Release;
use audarma_ingest::read_file;
use audarma_store::{Inserted, Store};
use audarma_store_sqlite::SqliteStore;
use std::time::{Duration, Instant};

const REPS: usize = 5;

fn main() {
    let n: usize = std::env::var("AUDARMA_BENCH_RELEASES").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let base: Vec<Release> = LANGS
        .iter()
        .flat_map(|&l| sample_files(l, &["txt", "md", "html", "json"]))
        .map(|p| read_file(&p, None).expect("sample files read"))
        .collect();
    let releases: Vec<Release> = (0..n)
        .map(|i| {
            let mut r = base[i % base.len()].clone();
            r.title = format!("{} — {}", r.title, i + 1);
            r.source = format!("bench/{i}-{}", r.source);
            r
        })
        .collect();
    let segments: usize = releases.iter().map(Release::segment_count).sum();
    let body_bytes: usize = releases.iter().map(|r| r.title.len() + r.body().len()).sum();
    let dir_root =
        std::env::var_os("AUDARMA_BENCH_DIR").map(std::path::PathBuf::from).unwrap_or_else(std::env::temp_dir);
    println!(
        "{n} releases ({segments} segments, {:.1} segments/release, {:.1} MB of text), database in {} {}",
        segments as f64 / n as f64,
        body_bytes as f64 / 1e6,
        dir_root.display(),
        load_note()
    );
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");

    let mut fresh = Vec::new();
    let mut again = Vec::new();
    let mut memory = Vec::new();
    for rep in 0..REPS {
        let dir = tempfile::tempdir_in(&dir_root).expect("temp dir");
        let path = dir.path().join("bench.db");
        let (t_new, t_again) = rt.block_on(async {
            let store = SqliteStore::open(path.to_str().expect("utf-8 path")).await.expect("store opens");
            let t_new = insert_all(&store, &releases, true).await;
            let t_again = insert_all(&store, &releases, false).await;
            (t_new, t_again)
        });
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0)
            + std::fs::metadata(path.with_extension("db-wal")).map(|m| m.len()).unwrap_or(0);
        println!(
            "rep {}: new {:.2} s ({:.0} releases/s), again (all duplicates) {:.2} s ({:.0}/s), db+wal {:.1} MB",
            rep + 1,
            t_new.as_secs_f64(),
            n as f64 / t_new.as_secs_f64(),
            t_again.as_secs_f64(),
            n as f64 / t_again.as_secs_f64(),
            size as f64 / 1e6
        );
        fresh.push(t_new);
        again.push(t_again);
        let t_mem = rt.block_on(async {
            let store = SqliteStore::open("sqlite::memory:").await.expect("memory store opens");
            insert_all(&store, &releases, true).await
        });
        println!(
            "rep {}: in-memory store {:.2} s ({:.0} releases/s)",
            rep + 1,
            t_mem.as_secs_f64(),
            n as f64 / t_mem.as_secs_f64()
        );
        memory.push(t_mem);
    }
    println!("{:<40} {:>14} {:>14}", "what", "releases/s med", "releases/s best");
    for (what, times) in [
        ("insert_release, new, file (WAL)", &mut fresh),
        ("insert_release, duplicates, file", &mut again),
        ("insert_release, new, sqlite::memory:", &mut memory),
    ] {
        times.sort();
        let med = times[times.len() / 2];
        let best = times[0];
        println!("{what:<40} {:>14.0} {:>14.0}", rate(n, med), rate(n, best));
    }
}

fn rate(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64()
}

/// Inserts every release in order, one `insert_release` call each (as `audarma ingest` does).
async fn insert_all(store: &SqliteStore, releases: &[Release], expect_new: bool) -> Duration {
    let start = Instant::now();
    for r in releases {
        let inserted = store.insert_release(r, "bench").await.expect("insert_release");
        assert_eq!(matches!(inserted, Inserted::New { .. }), expect_new, "{}", r.source);
    }
    start.elapsed()
}
