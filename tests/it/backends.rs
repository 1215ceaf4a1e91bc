//! End to end against the fake translation server: a real vendor protocol (DeepL's), injected faults,
//! a killed run resumed, and keys that never leak.

use audarma_fakemt::{FakeConfig, RunningFake};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

const KEY: &str = "e2e-secret-key-5f1c9a";

pub(crate) fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_audarma"));
    c.env("AUDARMA_E2E_DEEPL_KEY", KEY).env_remove("AUDARMA_LOG");
    c
}

/// `n` distinct English releases in `dir`, each with a glossary term and a do-not-translate name.
pub(crate) fn releases(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    for i in 1..=n {
        let text = format!(
            "Head of State receives delegation number {i}\n{} March 2026\n\n\
             The Head of State received delegation number {i} at Akorda. The parties discussed {i} joint projects.\n\n\
             Astana Hub will host {i} start-ups from the partner country. The OSCE welcomed the initiative.\n",
            (i % 28) + 1
        );
        std::fs::write(dir.join(format!("en-{i:03}.txt")), text).unwrap();
    }
}

pub(crate) fn workflow(dir: &Path, fake: &RunningFake, concurrency: usize) -> PathBuf {
    let glossaries = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../glossaries");
    let wf = dir.join("wf.toml");
    std::fs::write(
        &wf,
        format!(
            "name = \"fake\"\n[sources]\npaths = [\"releases\"]\n[languages]\ntargets = [\"kk\", \"ru\"]\n\
             [glossary]\npaths = [\"{}\"]\n\
             [backend]\nkind = \"deepl\"\nbase_url = \"{}\"\napi_key_env = \"AUDARMA_E2E_DEEPL_KEY\"\n\
             concurrency = {concurrency}\nmax_retries = 8\ntimeout_secs = 5\n",
            glossaries.display(),
            fake.url()
        ),
    )
    .unwrap();
    wf
}

fn run(db: &str, wf: &Path) -> Output {
    bin().env("AUDARMA_DB", db).args(["run", wf.to_str().unwrap(), "--json"]).output().unwrap()
}

fn json(db: &str, args: &[&str]) -> Value {
    let out = bin().env("AUDARMA_DB", db).args(args).arg("--json").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn assert_no_key(out: &Output) {
    for stream in [&out.stdout, &out.stderr] {
        assert!(!String::from_utf8_lossy(stream).contains(KEY), "the API key leaked");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_releases_through_a_faulty_server_finish_honestly() {
    let fake = audarma_fakemt::spawn(FakeConfig {
        latency: Duration::from_millis(2),
        error_rate: 0.10,
        malformed_rate: 0.02,
        drop_placeholder_rate: 0.05,
        seed: 7,
        ..FakeConfig::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    releases(&dir.path().join("releases"), 50);
    let wf = workflow(dir.path(), &fake, 4);
    let db = format!("sqlite:{}", dir.path().join("f.db").display());

    let out = tokio::task::spawn_blocking({
        let (db, wf) = (db.clone(), wf.clone());
        move || run(&db, &wf)
    })
    .await
    .unwrap();
    assert_no_key(&out);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&out.stderr));
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["jobs_created"], 100);
    assert!(summary["usage"]["retries"].as_u64().unwrap() > 0, "faults were injected and retried: {summary}");

    // Every job is in review or honestly failed with its reason; nothing is lost.
    let jobs = json(&db, &["queue"]);
    let jobs = jobs["jobs"].as_array().unwrap();
    assert_eq!(jobs.len(), 100);
    for j in jobs {
        match j["state"].as_str().unwrap() {
            "in_review" => {}
            "failed" => assert!(!j["error"].as_str().unwrap_or_default().is_empty(), "{j}"),
            other => panic!("job {} left {other}", j["id"]),
        }
    }
    let in_review = jobs.iter().filter(|j| j["state"] == "in_review").count();
    assert!(in_review >= 90, "only {in_review} of 100 jobs made it through 10% faults");

    // A job in review has a machine translation for every segment, placeholders restored.
    let one = jobs.iter().find(|j| j["state"] == "in_review" && j["target_lang"] == "ru").unwrap();
    let detail = json(&db, &["show", &one["id"].to_string()]);
    for s in detail["segments"].as_array().unwrap() {
        let t = s["suggestion"].as_str().unwrap();
        let placeholder_left =
            t.contains('⟦') && t.split('⟦').skip(1).any(|r| r.starts_with(|c: char| c.is_ascii_digit()));
        assert!(!placeholder_left, "{t}");
        if s["source"].as_str().unwrap().contains("Astana Hub") {
            assert!(t.contains("Astana Hub"), "the do-not-translate name survives: {t}");
        }
    }

    // Each job was claimed once; a second run sends nothing.
    let events = json(&db, &["history"]);
    let claims = events["events"].as_array().unwrap().iter().filter(|e| e["after"] == "translating").count();
    assert_eq!(claims, 100, "nothing translated twice");
    let again = tokio::task::spawn_blocking(move || run(&db, &wf)).await.unwrap();
    let again: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(again["usage"]["chars"], 0, "{again}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_killed_in_the_middle_is_completed_by_the_next() {
    // One job at a time, 300 ms each: a window of several seconds to kill the run in the middle,
    // however slowly this machine starts it.
    let fake = audarma_fakemt::spawn(FakeConfig { latency: Duration::from_millis(300), ..FakeConfig::default() })
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    releases(&dir.path().join("releases"), 15);
    let wf = workflow(dir.path(), &fake, 1);
    let db = format!("sqlite:{}", dir.path().join("k.db").display());

    let mut child = bin()
        .env("AUDARMA_DB", &db)
        .args(["run", wf.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until some, not all, jobs are done and one is being translated, then kill the run outright.
    let count = |state: &str| json(&db, &["queue", "--state", state])["jobs"].as_array().map_or(0, Vec::len);
    let mut done = 0;
    for _ in 0..600 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        done = count("in_review");
        if done >= 4 && count("translating") > 0 {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // The job it held is left `translating` (unless the kill fell in the instant between two jobs).
    let held = count("translating");
    assert!((4..30).contains(&done), "{done} jobs done before the kill");
    let before = json(&db, &["queue", "--state", "in_review"])["jobs"].as_array().unwrap().len();
    // What the killed run was billed for its finished jobs is in the store: usage is recorded per job,
    // not at the end of a run that never came.
    {
        use audarma_store::Store;
        let store = audarma_store_sqlite::SqliteStore::open(&db).await.unwrap();
        let recorded: u64 = store.usage_totals().await.unwrap().iter().map(|u| u.chars).sum();
        assert!(recorded > 0 && recorded <= fake.stats().characters, "{recorded} of {}", fake.stats().characters);
    }

    let out = tokio::task::spawn_blocking({
        let (db, wf) = (db.clone(), wf.clone());
        move || run(&db, &wf)
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["jobs_translated"].as_u64().unwrap() as usize, 30 - before, "{s}");
    let all = json(&db, &["queue"]);
    assert!(all["jobs"].as_array().unwrap().iter().all(|j| j["state"] == "in_review"), "{all}");
    let events = json(&db, &["history"]);
    let reclaimed =
        events["events"].as_array().unwrap().iter().any(|e| e["detail"]["reason"] == "its run is no longer running");
    if held > 0 {
        assert!(reclaimed, "the next run took back the dead run's job at once, not after its lease");
    } else {
        eprintln!("note: the kill fell between two jobs; nothing was left to take back");
    }
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_the_jobs_in_flight_records_their_billing_and_exits_4() {
    use audarma_store::Store;
    let fake = audarma_fakemt::spawn(FakeConfig { latency: Duration::from_millis(300), ..FakeConfig::default() })
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    releases(&dir.path().join("releases"), 15);
    let wf = workflow(dir.path(), &fake, 2);
    let db = format!("sqlite:{}", dir.path().join("t.db").display());
    let child = bin()
        .env("AUDARMA_DB", &db)
        .args(["run", wf.to_str().unwrap(), "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..600 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if json(&db, &["queue", "--state", "in_review"])["jobs"].as_array().map_or(0, Vec::len) >= 3 {
            break;
        }
    }
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let out = tokio::task::spawn_blocking(move || child.wait_with_output()).await.unwrap().unwrap();
    assert_eq!(out.status.code(), Some(4), "a stopped run exits 4");
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["interrupted"], true, "{s}");
    let jobs = json(&db, &["queue"]);
    let jobs = jobs["jobs"].as_array().unwrap();
    assert!(
        jobs.iter().all(|j| j["state"] == "in_review" || j["state"] == "queued"),
        "nothing left translating: {jobs:?}"
    );
    let translated = jobs.iter().filter(|j| j["state"] == "in_review").count();
    assert!((3..30).contains(&translated), "{translated} translated before the signal");
    // Everything the server served was recorded as the run went, and nothing twice.
    let store = audarma_store_sqlite::SqliteStore::open(&db).await.unwrap();
    let billed: u64 = store.usage_totals().await.unwrap().iter().map(|u| u.chars).sum();
    assert_eq!(billed, fake.stats().characters, "usage recorded = characters the server translated");
}
