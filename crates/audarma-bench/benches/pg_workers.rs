//! Several workers on one PostgreSQL (issue 13), on a throwaway server started by the store tests'
//! harness (Debian's binaries; `fsync=off`, so commits cost no disk flush — the numbers are the
//! database's work and audarma's, not this machine's disk):
//!
//! 1. the pipeline with 1, 2, 4 and 8 workers (each its own store and backend, one request at a time)
//!    against the fake DeepL server: wall time against the backend-bound lower bound;
//! 2. claim throughput: workers claiming and completing no-op jobs as fast as they can;
//! 3. claim latency while another session holds one snapshot open (a pinned xmin, under which dead
//!    tuples of finished claims cannot be vacuumed away).
//!
//! `cargo bench -p audarma-bench --bench pg_workers -- [releases] [latency_ms] [noop_jobs] [pin_secs]`
//! (defaults 100 100 20000 120; `AUDARMA_BENCH_ONLY=1,3` runs only those parts).
// A bench writes its corpus files directly and sets the key variable its workflow names.
#![allow(clippy::disallowed_methods)]

use audarma_core::{Lang, Paragraph, Release};
use audarma_fakemt::FakeConfig;
use audarma_glossary::Glossary;
use audarma_pipeline::{NoProgress, Terminology, Workflow};
use audarma_store::{LeaseOwner, Store};
use audarma_store_postgres::PgStore;
use audarma_store_tests::pg::Cluster;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<u64> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let releases = args.first().copied().unwrap_or(100) as usize;
    let latency = Duration::from_millis(args.get(1).copied().unwrap_or(100));
    let noop = args.get(2).copied().unwrap_or(20_000) as usize;
    let pin = Duration::from_secs(args.get(3).copied().unwrap_or(120));
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let Some(cluster) = Cluster::get().await else {
            println!("pg_workers: SKIPPED ({})", audarma_store_tests::pg::NOT_FOUND);
            return;
        };
        // AUDARMA_BENCH_ONLY=1,3: only these parts.
        let only: Option<Vec<u32>> = std::env::var("AUDARMA_BENCH_ONLY")
            .ok()
            .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect());
        let want = |n: u32| only.as_ref().is_none_or(|o| o.contains(&n));
        if want(1) {
            pipeline(cluster, releases, latency).await;
        }
        if want(2) {
            claims(cluster, noop).await;
        }
        if want(3) {
            pinned(cluster, pin).await;
        }
    });
}

async fn open(url: &str) -> Arc<dyn Store> {
    Arc::new(PgStore::open(url).await.expect("store"))
}

async fn pipeline(cluster: &Cluster, n: usize, latency: Duration) {
    let fake = audarma_fakemt::spawn(FakeConfig { latency, ..FakeConfig::default() }).await.expect("fake server");
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path().join("releases");
    std::fs::create_dir_all(&src).expect("mkdir");
    for i in 1..=n {
        let text = format!(
            "Head of State receives delegation number {i}\n{} June 2026\n\n\
             The Head of State received delegation number {i} at Akorda. The parties discussed {i} joint projects \
             in trade, energy and transport.\n\nThe OSCE and the UN welcomed the initiative.\n",
            i % 28 + 1
        );
        std::fs::write(src.join(format!("en-{i:05}.txt")), text).expect("write release");
    }
    std::env::set_var("AUDARMA_BENCH_KEY", "bench-key");
    let wf_text = format!(
        "name = \"bench\"\n[sources]\npaths = [\"{}\"]\nlang = \"en\"\n[languages]\ntargets = [\"kk\", \"ru\"]\n\
         [backend]\nkind = \"deepl\"\nbase_url = \"{}\"\napi_key_env = \"AUDARMA_BENCH_KEY\"\nconcurrency = 1\n",
        src.display(),
        fake.url()
    );
    let wf = Workflow::parse(&dir.path().join("wf.toml"), &wf_text).expect("workflow");
    let terms =
        Arc::new(Terminology::new(Glossary::load(&[audarma_bench::repo_root().join("glossaries")]).expect("glossary")));
    println!(
        "pg_workers 1: {n} releases x 2 targets, latency {} ms, one request at a time per worker",
        latency.as_millis()
    );
    println!("  workers  jobs  requests  wall s  bound s  ratio  start s  translating s  ratio of translating");
    for workers in [1usize, 2, 4, 8] {
        let url = cluster.fresh_database(|t| async move { drop(open(&t).await) }).await;
        let setup = open(&url).await;
        let mut ingest = audarma_pipeline::RunSummary::default();
        audarma_pipeline::ingest(setup.as_ref(), &wf, "bench", &NoProgress, &mut ingest).await.expect("ingest");
        let before = fake.stats().requests.total;
        let t = Instant::now();
        let runs: Vec<_> = (0..workers)
            .map(|w| {
                let (url, wf, terms) = (url.clone(), wf.clone(), terms.clone());
                let timeline = Arc::new(Timeline::new(t));
                let timeline2 = timeline.clone();
                tokio::spawn(async move {
                    // Each worker as its own process would be: its own connections and backend.
                    let store = open(&url).await;
                    let backend = audarma_pipeline::backend(store.clone(), &wf).expect("backend");
                    let worker = format!("bench:{w}");
                    let summary = audarma_pipeline::run(store, &wf, &terms, backend, &worker, timeline2.as_ref())
                        .await
                        .expect("run");
                    (summary, timeline2.started())
                })
            })
            .collect();
        let mut jobs = 0;
        // When the last worker began translating: before that, each run opened its store, took back
        // dead runs' jobs, learnt from the store and ingested (every file already known).
        let mut started = Duration::ZERO;
        for r in runs {
            let (summary, s) = r.await.expect("worker");
            jobs += summary.jobs_translated;
            started = started.max(s);
        }
        let wall = t.elapsed();
        let requests = fake.stats().requests.total - before;
        let bound = latency.mul_f64(requests as f64 / workers as f64);
        let translating = wall.saturating_sub(started);
        println!(
            "  {workers:>7}  {jobs:>4}  {requests:>8}  {:>6.2}  {:>7.2}  {:.3}  {:>7.2}  {:>13.2}  {:.3}",
            wall.as_secs_f64(),
            bound.as_secs_f64(),
            wall.as_secs_f64() / bound.as_secs_f64(),
            started.as_secs_f64(),
            translating.as_secs_f64(),
            translating.as_secs_f64() / bound.as_secs_f64()
        );
    }
}

/// When a run began translating, measured from the bench's start.
struct Timeline {
    start: Instant,
    started: std::sync::Mutex<Option<Duration>>,
}

impl Timeline {
    fn new(start: Instant) -> Timeline {
        Timeline { start, started: std::sync::Mutex::new(None) }
    }

    fn started(&self) -> Duration {
        self.started.lock().expect("timeline").unwrap_or_default()
    }
}

impl audarma_pipeline::Progress for Timeline {
    fn translate_started(&self, _jobs: usize) {
        *self.started.lock().expect("timeline") = Some(self.start.elapsed());
    }
}

/// `n` queued jobs of workflow `noop`, one release each (two segments), inserted directly.
async fn queue_noop(store: &dyn Store, n: usize) {
    for i in 0..n {
        let r = Release {
            source: format!("noop-{i}"),
            lang: Lang::En,
            title: format!("Release {i}"),
            date: None,
            place: None,
            paragraphs: vec![Paragraph::new(vec![format!("Sentence {i}.")])],
        };
        let id = store.insert_release(&r, "bench").await.expect("release").id();
        store.ensure_jobs(id, &[Lang::Kk], "noop", "bench").await.expect("job");
    }
}

/// Claims (and with `complete`, completes with no suggestions) until the queue is empty; each claim's
/// latency.
async fn drain(store: Arc<dyn Store>, worker: String, complete: bool) -> Vec<Duration> {
    let mut latencies = Vec::new();
    loop {
        let t = Instant::now();
        let Some(job) = store.claim_next_job("noop", LeaseOwner(&worker), 30).await.expect("claim") else { break };
        latencies.push(t.elapsed());
        if complete {
            store.complete_translation(job.id, job.lease(&worker), &[], &worker).await.expect("complete");
        }
    }
    latencies
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

async fn claims(cluster: &Cluster, n: usize) {
    println!("pg_workers 2: {n} no-op jobs, 4 workers");
    for complete in [false, true] {
        let url = cluster.fresh_database(|t| async move { drop(open(&t).await) }).await;
        queue_noop(open(&url).await.as_ref(), n).await;
        let t = Instant::now();
        let tasks: Vec<_> = (0..4)
            .map(|w| {
                let url = url.clone();
                tokio::spawn(async move { drain(open(&url).await, format!("noop:{w}"), complete).await })
            })
            .collect();
        let mut all = Vec::new();
        for task in tasks {
            all.extend(task.await.expect("worker"));
        }
        let wall = t.elapsed();
        all.sort();
        println!(
            "  {}: {} claims in {:.2} s, {:.0} claims/s; claim p50 {:.2} ms, p99 {:.2} ms",
            if complete { "claim and complete" } else { "claim only" },
            all.len(),
            wall.as_secs_f64(),
            all.len() as f64 / wall.as_secs_f64(),
            percentile(&all, 0.50),
            percentile(&all, 0.99)
        );
    }
}

async fn pinned(cluster: &Cluster, pin: Duration) {
    println!("pg_workers 3: claims while a transaction holds its snapshot for {} s", pin.as_secs());
    let url = cluster.fresh_database(|t| async move { drop(open(&t).await) }).await;
    let store = open(&url).await;
    // Enough queued jobs for the whole window, claimed at a steady pace by 4 workers.
    let jobs = 4 * (pin.as_secs() as usize) * 25 + 1000;
    queue_noop(store.as_ref(), jobs).await;
    let pinning = audarma_store_tests::pg::PinnedSnapshot::take(&url).await;
    let start = Instant::now();
    let tasks: Vec<_> = (0..4)
        .map(|w| {
            let url = url.clone();
            tokio::spawn(async move {
                let store = open(&url).await;
                let worker = format!("pinned:{w}");
                let mut by_window: Vec<Vec<Duration>> = vec![Vec::new(); 4];
                while start.elapsed() < pin {
                    let t = Instant::now();
                    let Some(job) = store.claim_next_job("noop", LeaseOwner(&worker), 30).await.expect("claim") else {
                        break;
                    };
                    let took = t.elapsed();
                    let window = ((start.elapsed().as_secs_f64() / pin.as_secs_f64()) * 4.0) as usize;
                    by_window[window.min(3)].push(took);
                    store.complete_translation(job.id, job.lease(&worker), &[], &worker).await.expect("complete");
                    // A steady pace (25 claims/s per worker), as a busy office's workers, not a flood.
                    tokio::time::sleep(Duration::from_millis(40)).await;
                }
                by_window
            })
        })
        .collect();
    let mut windows: Vec<Vec<Duration>> = vec![Vec::new(); 4];
    for task in tasks {
        for (i, w) in task.await.expect("worker").into_iter().enumerate() {
            windows[i].extend(w);
        }
    }
    let health = store.health().await.expect("health");
    pinning.release().await;
    println!("  quarter  claims  p50 ms  p99 ms");
    for (i, mut w) in windows.into_iter().enumerate() {
        w.sort();
        println!("  {:>7}  {:>6}  {:>6.2}  {:>6.2}", i + 1, w.len(), percentile(&w, 0.5), percentile(&w, 0.99));
    }
    for (k, v) in health.details.iter().filter(|(k, _)| k.starts_with("jobs_dead") || k.starts_with("oldest")) {
        println!("  at the end: {k} = {v}");
    }
}
