//! The review desk under load: 100,000 jobs in SQLite (50,000 releases × 2 target languages; 2,000 of
//! them translated and in review, with glossary terms, QA findings and 20,000 translation-memory units
//! for fuzzy matches), the real server on loopback, and 32 concurrent clients. Reports latency
//! percentiles for the queue page, the job page, the job list API and saving a segment (with its checks).
//!
//! `cargo bench -p audarma-bench --bench desk_load`
//! (`AUDARMA_BENCH_RELEASES`: releases to seed, default 50000; `AUDARMA_BENCH_CLIENTS`: default 32;
//! `AUDARMA_BENCH_REQUESTS`: requests per scenario, default 4000; `AUDARMA_BENCH_DB`: keep the seeded
//! database at this path and reuse it on the next run; `AUDARMA_BENCH_STORE=postgres`: the same on a
//! throwaway PostgreSQL started by the store tests' harness; `AUDARMA_BENCH_STORE=postgres://…`: on that
//! database, seeded when it has no jobs and reused when it has.)
//!
//! Targets (issue 7): queue and job pages p99 < 50 ms, saving a segment p99 < 30 ms.

use audarma_bench::{load_note, ms, paragraphs, repo_root, sample_files, LANGS};
use audarma_core::{Lang, Release, SuggestionOrigin};
use audarma_ingest::read_file;
use audarma_pipeline::Terminology;
use audarma_store::{JobFilter, LeaseOwner, Store, Suggestion, TmUnit};
use audarma_store_sqlite::SqliteStore;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

const IN_REVIEW: usize = 2_000;

fn main() {
    let releases = env("AUDARMA_BENCH_RELEASES", 50_000);
    let clients = env("AUDARMA_BENCH_CLIENTS", 32);
    let requests = env("AUDARMA_BENCH_REQUESTS", 4_000);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    rt.block_on(run(releases, clients, requests));
}

async fn run(n: usize, clients: usize, requests: usize) {
    let keep = std::env::var_os("AUDARMA_BENCH_DB").map(std::path::PathBuf::from);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = keep.clone().unwrap_or_else(|| dir.path().join("desk.db"));
    let reuse = keep.is_some() && path.exists();
    let kind = std::env::var("AUDARMA_BENCH_STORE").unwrap_or_default();
    let postgres = kind == "postgres" || kind.starts_with("postgres://");
    let store: Arc<dyn Store> = if kind.starts_with("postgres://") {
        // A database of one's own (scripts/pg-local.sh), seeded on the first run and reused after.
        println!("store: PostgreSQL ({})", audarma_store_postgres::redact(&kind));
        Arc::new(audarma_store_postgres::PgStore::open_with(&kind, 32).await.expect("store opens"))
    } else if postgres {
        let cluster = audarma_store_tests::pg::Cluster::get().await.expect("PostgreSQL binaries for the bench");
        let url = cluster
            .fresh_database(|t| async move {
                drop(audarma_store_postgres::PgStore::open(&t).await.expect("template migrates"));
            })
            .await;
        println!("store: PostgreSQL ({url})");
        Arc::new(audarma_store_postgres::PgStore::open_with(&url, 32).await.expect("store opens"))
    } else {
        Arc::new(SqliteStore::open_for_server(path.to_str().expect("utf-8 path")).await.expect("store opens"))
    };
    let reuse = if postgres { store.count_jobs(&JobFilter::default()).await.expect("count") > 0 } else { reuse };
    let glossary = audarma_glossary::Glossary::load(&[repo_root().join("glossaries")]).expect("glossary loads");
    let terms = Arc::new(Terminology::new(glossary));
    if !reuse {
        seed(&store, &terms, n).await;
    }
    let total: u64 = store.job_counts().await.expect("counts").iter().map(|c| c.jobs).sum();
    let review = store
        .list_jobs(&JobFilter { state: Some(audarma_core::JobState::InReview), ..Default::default() })
        .await
        .expect("jobs");
    println!(
        "{total} jobs ({} in review), {clients} clients, {requests} requests per scenario {}",
        review.len(),
        load_note()
    );

    if store.user("bench").await.expect("user").is_none() {
        store.add_user("bench", audarma_core::Role::Reviewer, "x", "bench").await.expect("user");
    }
    let (secret, hash) = audarma_web::auth::new_token();
    store.add_token("bench", &hash, None, "bench").await.expect("token");

    let desk = audarma_web::Desk::new(store.clone(), terms.clone(), audarma_web::DeskConfig::default()).expect("desk");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(audarma_web::serve(desk, listener));
    let http = reqwest::Client::builder().pool_max_idle_per_host(clients).build().expect("client");

    let ids: Arc<Vec<i64>> = Arc::new(review.iter().map(|j| j.id).collect());
    let pages = (review.len() / 50).max(1);
    let all_pages = (total as usize / 50).max(1);

    // Warm-up: a few of each, so the first connections and caches are not measured.
    scenario(&http, &base, &secret, 8, 200, |i| Req::get(format!("/queue?page={}", i % 20 + 1))).await;

    // AUDARMA_BENCH_ONLY=1,4: run only these scenarios (numbered as in the table, from 1).
    let only: Option<Vec<usize>> =
        std::env::var("AUDARMA_BENCH_ONLY").ok().map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect());
    let want = |n: usize| only.as_ref().is_none_or(|o| o.contains(&n));
    let mut rows: Vec<(&str, Outcome)> = Vec::new();
    let ids2 = ids.clone();
    if want(1) {
        rows.push((
            "queue page, in review, ru+kk, random page",
            scenario(&http, &base, &secret, clients, requests, move |i| {
                Req::get(format!("/queue?state=in_review&page={}", (i * 7919) % pages + 1))
            })
            .await,
        ));
        if let Some((n, r)) = rows.last() {
            eprintln!("progress: {}", row(n, r));
        }
    }
    if want(2) {
        rows.push((
            "queue page, all 100k jobs, random page of the first 200",
            scenario(&http, &base, &secret, clients, requests, move |i| {
                Req::get(format!("/queue?page={}", (i * 7919) % all_pages.min(200) + 1))
            })
            .await,
        ));
        if let Some((n, r)) = rows.last() {
            eprintln!("progress: {}", row(n, r));
        }
    }
    if want(3) {
        rows.push((
            "queue page, text search (a place, an acronym in Kazakh, a release number)",
            scenario(&http, &base, &secret, clients, requests, |i| {
                // Seoul: 1 release in 12; ШЫҰ (SCO): 1 in 12; a number: one release.
                let q = ["Seoul", "%D0%A8%D0%AB%D2%B0", "31337"][i % 3];
                Req::get(format!("/queue?q={q}"))
            })
            .await,
        ));
        if let Some((n, r)) = rows.last() {
            eprintln!("progress: {}", row(n, r));
        }
    }
    if want(4) {
        rows.push((
            "job page (segments, terms, findings, fuzzy TM)",
            scenario(&http, &base, &secret, clients, requests, move |i| {
                Req::get(format!("/jobs/{}", ids2[(i * 7919) % ids2.len()]))
            })
            .await,
        ));
        if let Some((n, r)) = rows.last() {
            eprintln!("progress: {}", row(n, r));
        }
    }
    if want(5) {
        rows.push((
            "GET /api/jobs?state=in_review&limit=50",
            scenario(&http, &base, &secret, clients, requests, |i| {
                Req::get(format!("/api/jobs?state=in_review&limit=50&offset={}", (i % 40) * 50))
            })
            .await,
        ));
        if let Some((n, r)) = rows.last() {
            eprintln!("progress: {}", row(n, r));
        }
    }

    // Saving: each client edits its own jobs (no conflicts), versions tracked as the server returns them.
    if want(6) {
        let texts: Arc<Vec<String>> = Arc::new(paragraphs(Lang::Ru).into_iter().take(20).collect());
        let save = save_scenario(&http, &base, &secret, clients, requests, &store, &review, texts).await;
        rows.push(("save a segment (PUT, checks run, event logged)", save));
        if let Some((n, r)) = rows.last() {
            eprintln!("progress: {}", row(n, r));
        }
    }

    println!("\n| scenario | requests | errors | throughput | p50 ms | p95 ms | p99 ms | max ms |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (name, r) in &rows {
        println!("{}", row(name, r));
    }
    drop(dir);
}

fn row(name: &str, r: &Outcome) -> String {
    format!(
        "| {name} | {} | {} | {:.0}/s | {:.1} | {:.1} | {:.1} | {:.1} |",
        r.latencies.len(),
        r.errors,
        r.latencies.len() as f64 / r.wall.as_secs_f64(),
        ms(r.pct(50.0)),
        ms(r.pct(95.0)),
        ms(r.pct(99.0)),
        ms(r.pct(100.0))
    )
}

struct Req {
    method: reqwest::Method,
    path: String,
    body: Option<serde_json::Value>,
}

impl Req {
    fn get(path: String) -> Req {
        Req { method: reqwest::Method::GET, path, body: None }
    }
}

struct Outcome {
    latencies: Vec<Duration>,
    errors: usize,
    wall: Duration,
}

impl Outcome {
    fn pct(&self, p: f64) -> Duration {
        let mut v = self.latencies.clone();
        v.sort();
        if v.is_empty() {
            return Duration::ZERO;
        }
        let i = ((p / 100.0) * (v.len() - 1) as f64).round() as usize;
        v[i.min(v.len() - 1)]
    }
}

/// The clients' latencies and errors, and the wall time since `start`.
async fn gather(tasks: Vec<tokio::task::JoinHandle<(Vec<Duration>, usize)>>, start: Instant) -> Outcome {
    let mut out = Outcome { latencies: Vec::new(), errors: 0, wall: Duration::ZERO };
    for t in tasks {
        let (l, e) = t.await.expect("client task");
        out.latencies.extend(l);
        out.errors += e;
    }
    out.wall = start.elapsed();
    out
}

async fn scenario(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    clients: usize,
    requests: usize,
    make: impl Fn(usize) -> Req + Send + Sync + 'static,
) -> Outcome {
    let make = Arc::new(make);
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (http, base, token, make, next) =
            (http.clone(), base.to_string(), token.to_string(), make.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= requests {
                    break;
                }
                let r = make(i);
                let mut b = http.request(r.method, format!("{base}{}", r.path)).bearer_auth(&token);
                if let Some(body) = r.body {
                    b = b.json(&body);
                }
                let t = Instant::now();
                let ok = match b.send().await {
                    Ok(res) => {
                        let ok = res.status().is_success();
                        let _ = res.bytes().await;
                        ok
                    }
                    Err(_) => false,
                };
                lat.push(t.elapsed());
                if !ok {
                    errors += 1;
                }
            }
            (lat, errors)
        }));
    }
    gather(tasks, start).await
}

#[allow(clippy::too_many_arguments)]
async fn save_scenario(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    clients: usize,
    requests: usize,
    store: &Arc<dyn Store>,
    review: &[audarma_store::JobSummary],
    texts: Arc<Vec<String>>,
) -> Outcome {
    // Only jobs into Russian, so the texts are in the target language; each client its own jobs.
    let mut jobs: Vec<(i64, u32)> = Vec::new();
    for j in review.iter().filter(|j| j.target_lang == Lang::Ru) {
        jobs.push((j.id, j.segments));
    }
    let mut versions = std::collections::HashMap::new();
    for (id, _) in &jobs {
        for s in store.job(*id).await.expect("job").segments {
            versions.insert((*id, s.idx), s.version);
        }
    }
    let start = Instant::now();
    let per = requests / clients;
    let mut tasks = Vec::new();
    for c in 0..clients {
        let mine: Vec<(i64, u32)> = jobs.iter().copied().skip(c).step_by(clients).collect();
        let mut versions = versions.clone();
        let (http, base, token, texts) = (http.clone(), base.to_string(), token.to_string(), texts.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0;
            for i in 0..per {
                let (job, segs) = mine[i % mine.len()];
                let idx = (i as u32 * 7) % segs.max(1);
                let v = versions.get(&(job, idx)).copied().unwrap_or(1);
                let body = serde_json::json!({ "text": texts[i % texts.len()], "version": v });
                let t = Instant::now();
                let res = http
                    .put(format!("{base}/api/jobs/{job}/segments/{idx}"))
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await;
                let ok = match res {
                    Ok(r) if r.status().is_success() => {
                        let saved: serde_json::Value = r.json().await.unwrap_or_default();
                        versions.insert((job, idx), saved["version"].as_i64().unwrap_or(v + 1));
                        true
                    }
                    _ => false,
                };
                lat.push(t.elapsed());
                if !ok {
                    errors += 1;
                }
            }
            (lat, errors)
        }));
    }
    gather(tasks, start).await
}

async fn seed(store: &Arc<dyn Store>, terms: &Terminology, n: usize) {
    let t = Instant::now();
    let base: Vec<Release> = LANGS
        .iter()
        .flat_map(|&l| sample_files(l, &["txt", "md", "html", "json"]))
        .map(|p| read_file(&p, None).expect("sample files read"))
        .collect();
    // Four writers at once (a server store takes them; SQLite serialises them itself).
    let base = Arc::new(base);
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (store, base) = (store.clone(), base.clone());
            tokio::spawn(async move {
                for i in (w..n).step_by(4) {
                    let mut r = base[i % base.len()].clone();
                    r.title = format!("{} — {}", r.title, i + 1);
                    r.source = format!("bench/{i}-{}", r.source);
                    let id = store.insert_release(&r, "bench").await.expect("insert").id();
                    let targets: Vec<Lang> = Lang::ALL.into_iter().filter(|l| *l != r.lang).collect();
                    store.ensure_jobs(id, &targets, "bench", "bench").await.expect("jobs");
                }
            })
        })
        .collect();
    for w in writers {
        w.await.expect("seeding writer");
    }
    println!("seeded {n} releases in {:.1} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    // Translation memory: sentences of the samples paired with themselves, varied, 20,000 units.
    let mut units = Vec::new();
    for (k, (s, tl)) in
        [(Lang::En, Lang::Ru), (Lang::Ru, Lang::En), (Lang::Kk, Lang::Ru), (Lang::En, Lang::Kk)].iter().enumerate()
    {
        let ps = paragraphs(*s);
        for i in 0..5_000 {
            let src = format!("{} ({})", ps[i % ps.len()], i + k * 5_000);
            units.push(TmUnit {
                source_lang: *s,
                target_lang: *tl,
                target: format!("[{}] {src}", tl.code()),
                source: src,
                created_at: None,
                created_by: None,
            });
        }
    }
    store.tm_add(&units, "bench").await.expect("tm");
    // In review: the first 2,000 jobs, with suggestions checked as a run would check them.
    for _ in 0..IN_REVIEW {
        let Some(job) = store.claim_next_job("bench", LeaseOwner("bench"), 600).await.expect("claim") else { break };
        let suggestions: Vec<Suggestion> = job
            .segments
            .iter()
            .map(|s| {
                let hints = terms.hints(&s.text, job.source_lang, job.target_lang);
                let text = audarma_mt::pseudo_translate(&s.text, job.target_lang, &hints);
                let (t, f) = terms.review(&s.text, Some(&text), job.source_lang, job.target_lang, job.release_date);
                Suggestion {
                    idx: s.idx,
                    text: Some(text),
                    origin: SuggestionOrigin::Pseudo,
                    backend: Some("pseudo".into()),
                    model: None,
                    terms: t,
                    findings: f,
                    tm: None,
                }
            })
            .collect();
        // Fuzzy matches are looked up at translation time, as the pipeline does.
        let mut suggestions = suggestions;
        for (s, seg) in suggestions.iter_mut().zip(&job.segments) {
            let sl = seg.lang.unwrap_or(job.source_lang);
            s.tm = Some(
                audarma_pipeline::fuzzy_matches(store.as_ref(), &seg.text, sl, job.target_lang).await.expect("tm"),
            );
        }
        store.complete_translation(job.id, job.lease("bench"), &suggestions, "bench").await.expect("complete");
    }
    println!("translation memory and {IN_REVIEW} jobs in review in {:.1} s", t.elapsed().as_secs_f64());
}
