//! Runs against a scripted vendor behind the real call policy: retries, quota stops, failed
//! segments, the translation cache and usage accounting.

use async_trait::async_trait;
use audarma_core::{JobState, Lang, Paragraph, Release};
use audarma_glossary::Glossary;
use audarma_mt::{BackendConfig, BackendKind, CallError, Governed, Translator, Vendor, VendorRequest, VendorResponse};
use audarma_pipeline::{run, NoProgress, Terminology, Workflow};
use audarma_store::{JobFilter, Store};
use audarma_store_sqlite::SqliteStore;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Translates to `[ru] text`; fails the first `transient` calls with 429; answers quota after
/// `quota_after` calls; never translates a text containing "POISON" properly.
struct Scripted {
    calls: AtomicUsize,
    chars: AtomicUsize,
    transient: usize,
    quota_after: usize,
}

#[async_trait]
impl Vendor for Scripted {
    fn name(&self) -> &str {
        "scripted"
    }
    fn supports(&self, _: Lang, _: Lang) -> bool {
        true
    }
    async fn call(&self, r: &VendorRequest) -> Result<VendorResponse, CallError> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        if n < self.transient {
            return Err(CallError::Retryable {
                message: "429 Too Many Requests".into(),
                retry_after: Some(Duration::from_millis(10)),
            });
        }
        if n >= self.quota_after {
            return Err(CallError::Quota { message: "456 Quota exceeded".into() });
        }
        self.chars.fetch_add(r.chars(), Ordering::SeqCst);
        let texts = r
            .texts
            .iter()
            .map(|t| {
                if t.contains("POISON") {
                    "Poisoned output in Latin letters only".into()
                } else {
                    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
                    format!("Переведенный текст {digits}")
                }
            })
            .collect();
        Ok(VendorResponse { texts, billed_chars: None, tokens: None })
    }
}

fn release(n: usize, extra: &str) -> Release {
    Release {
        source: format!("r{n}.txt"),
        lang: Lang::En,
        title: format!("Talks number {n}"),
        date: None,
        place: None,
        paragraphs: vec![Paragraph::new(vec![
            format!("The parties met for the {n}th time.{extra}"),
            "The visit ended.".into(),
        ])],
    }
}

async fn setup(releases: &[Release]) -> (tempfile::TempDir, Arc<dyn Store>, Workflow) {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path().join("p.db").to_str().unwrap()).await.unwrap());
    for r in releases {
        let id = store.insert_release(r, "t").await.unwrap().id();
        store.ensure_jobs(id, &[Lang::Ru], "w", "t").await.unwrap();
    }
    let wf = Workflow::parse(
        Path::new("w.toml"),
        &format!("name = \"w\"\n[sources]\npaths = [\"{}\"]\n[languages]\ntargets = [\"ru\"]\n[backend]\nkind = \"pseudo\"\n", dir.path().display()),
    )
    .unwrap();
    (dir, store, wf)
}

fn governed(v: Scripted) -> Arc<dyn Translator> {
    let mut cfg = BackendConfig::of(BackendKind::Deepl);
    cfg.concurrency = Some(3);
    Arc::new(Governed::try_new(Box::new(v), &cfg).unwrap())
}

#[tokio::test]
async fn transient_errors_are_retried_and_bad_segments_fail_their_job() {
    let (_d, store, wf) = setup(&[release(1, ""), release(2, " POISON"), release(3, "")]).await;
    let vendor = governed(Scripted {
        calls: AtomicUsize::new(0),
        chars: AtomicUsize::new(0),
        transient: 2,
        quota_after: usize::MAX,
    });
    let terms = Terminology::new(Glossary::default());
    let s = run(store.clone(), &wf, &terms, vendor.clone(), "run-1", &NoProgress).await.unwrap();
    assert_eq!((s.jobs_translated, s.jobs_failed), (2, 1), "{s:?}");
    assert!(s.failures[0].contains("not in ru script"), "{s:?}");
    assert!(s.usage.retries >= 2, "{s:?}");
    let failed = store.list_jobs(&JobFilter { state: Some(JobState::Failed), ..Default::default() }).await.unwrap();
    assert_eq!(failed.len(), 1);
    assert!(failed[0].error.as_deref().unwrap_or_default().starts_with("segment 1:"), "{:?}", failed[0].error);

    // Retrying the failed job sends only what is not cached: the title and the good sentence of
    // release 2 were translated and cached in the first run.
    store.retry_job(failed[0].id, "ops").await.unwrap();
    let before = vendor.usage().chars;
    let s2 = run(store.clone(), &wf, &terms, vendor.clone(), "run-2", &NoProgress).await.unwrap();
    assert_eq!(s2.jobs_failed, 1);
    let sent = vendor.usage().chars - before;
    assert_eq!(
        sent as usize,
        2 * "The parties met for the 2th time. POISON".chars().count(),
        "only the poisoned segment, twice (repair round)"
    );
    // One backend kept across runs (a long-running worker): each run reports and records only its own
    // use, so the store's totals are what the vendor was sent, never the first run counted again.
    assert_eq!(s2.usage.chars, sent, "{s2:?}");
    let totals = store.usage_totals().await.unwrap();
    assert_eq!(totals[0].backend, "scripted");
    assert_eq!(totals[0].chars, vendor.usage().chars, "{totals:?}");
}

#[tokio::test]
async fn quota_stops_the_run_and_leaves_the_rest_queued() {
    let releases: Vec<Release> = (1..=6).map(|n| release(n, "")).collect();
    let (_d, store, wf) = setup(&releases).await;
    let vendor =
        governed(Scripted { calls: AtomicUsize::new(0), chars: AtomicUsize::new(0), transient: 0, quota_after: 2 });
    let s =
        run(store.clone(), &wf, &Terminology::new(Glossary::default()), vendor, "run-1", &NoProgress).await.unwrap();
    assert!(s.stopped.as_deref().unwrap_or_default().contains("Quota exceeded"), "{s:?}");
    assert!(s.line().contains("stopped early: 456 Quota exceeded"), "{}", s.line());
    let queued = store.list_jobs(&JobFilter { state: Some(JobState::Queued), ..Default::default() }).await.unwrap();
    let review = store.list_jobs(&JobFilter { state: Some(JobState::InReview), ..Default::default() }).await.unwrap();
    assert_eq!(review.len(), 2);
    assert_eq!(queued.len(), 4, "nothing lost: the rest waits for the next run");
}
