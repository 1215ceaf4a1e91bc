//! A workflow of N releases × 2 target languages against the fake DeepL server at a fixed latency:
//! wall time against the lower bound (requests × latency ÷ concurrency), then a second run, which must
//! send nothing.
//!
//! `cargo bench -p audarma-bench --bench pipeline_fake -- [releases] [latency_ms] [concurrency]`
//! (defaults 1000 100 8).
// A bench writes its corpus files directly and sets the key variable its workflow names.
#![allow(clippy::disallowed_methods)]

use audarma_fakemt::FakeConfig;
use audarma_glossary::Glossary;
use audarma_pipeline::{run, NoProgress, Terminology, Workflow};
use audarma_store::Store;
use audarma_store_sqlite::SqliteStore;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let releases = args.first().copied().unwrap_or(1000);
    let latency = Duration::from_millis(args.get(1).copied().unwrap_or(100) as u64);
    let concurrency = args.get(2).copied().unwrap_or(8);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(bench(releases, latency, concurrency));
}

async fn bench(n: usize, latency: Duration, concurrency: usize) {
    let fake = audarma_fakemt::spawn(FakeConfig { latency, ..FakeConfig::default() }).await.expect("fake server");
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path().join("releases");
    std::fs::create_dir_all(&src).expect("mkdir");
    for i in 1..=n {
        let text = format!(
            "Head of State receives delegation number {i}\n{} June 2026\n\n\
             The Head of State received delegation number {i} at Akorda. The parties discussed {i} joint projects \
             in trade, energy and transport. Particular attention was paid to the {i}th intergovernmental commission.\n\n\
             The OSCE and the UN welcomed the initiative. The next meeting will take place in Astana in {}.\n",
            i % 28 + 1,
            2026 + i % 5
        );
        std::fs::write(src.join(format!("en-{i:05}.txt")), text).expect("write release");
    }
    std::env::set_var("AUDARMA_BENCH_KEY", "bench-key");
    let wf_text = format!(
        "name = \"bench\"\n[sources]\npaths = [\"{}\"]\nlang = \"en\"\n[languages]\ntargets = [\"kk\", \"ru\"]\n\
         [backend]\nkind = \"deepl\"\nbase_url = \"{}\"\napi_key_env = \"AUDARMA_BENCH_KEY\"\nconcurrency = {concurrency}\n",
        src.display(),
        fake.url()
    );
    let wf = Workflow::parse(&dir.path().join("wf.toml"), &wf_text).expect("workflow");
    let glossary_dir = audarma_bench::repo_root().join("glossaries");
    let terms = Terminology::new(Glossary::load(&[glossary_dir]).expect("glossary"));
    let store: Arc<dyn Store> =
        Arc::new(SqliteStore::open(dir.path().join("b.db").to_str().expect("utf-8 path")).await.expect("store"));
    let backend = audarma_pipeline::backend(store.clone(), &wf).expect("backend");

    // Ingest first, so the measured part is the translation the bound describes.
    let t0 = Instant::now();
    let mut ingest = audarma_pipeline::RunSummary::default();
    audarma_pipeline::ingest(store.as_ref(), &wf, "bench", &NoProgress, &mut ingest).await.expect("ingest");
    let ingest_time = t0.elapsed();

    let t1 = Instant::now();
    let first = run(store.clone(), &wf, &terms, backend.clone(), "bench", &NoProgress).await.expect("run");
    let wall = t1.elapsed();
    let requests = first.usage.requests;
    let bound = latency.mul_f64(requests as f64 / concurrency as f64);
    println!("pipeline_fake: {n} releases x 2 targets, latency {} ms, concurrency {concurrency}", latency.as_millis());
    println!("  ingest {:.2} s ({} releases)", ingest_time.as_secs_f64(), ingest.releases_new);
    println!(
        "  translate: {} jobs, {} requests, {} chars, wall {:.2} s, lower bound {:.2} s, ratio {:.3}",
        first.jobs_translated,
        requests,
        first.usage.chars,
        wall.as_secs_f64(),
        bound.as_secs_f64(),
        wall.as_secs_f64() / bound.as_secs_f64()
    );
    let before = backend.usage().chars;
    let second = run(store.clone(), &wf, &terms, backend.clone(), "bench-2", &NoProgress).await.expect("run");
    println!("  second run: {} jobs translated, {} chars sent", second.jobs_translated, backend.usage().chars - before);
}
