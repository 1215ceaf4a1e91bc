//! Several workers on one PostgreSQL, as a press office runs them on several hosts: `audarma worker`
//! processes killed at random (`kill -9`) and replaced, against the fake translation server with faults.
//! Nothing may be lost, translated into review twice, billed without being served, or logged out of order.

use crate::backends::{bin, releases, workflow};
use audarma_core::JobState;
use audarma_fakemt::FakeConfig;
use audarma_store::{JobFilter, Store};
use std::collections::BTreeMap;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A logged state change: (before, after).
type Transition = (Option<String>, Option<String>);

/// Jobs in review or failed: those no worker will touch again.
async fn finished(s: &dyn Store) -> u64 {
    let mut done = 0;
    for state in [JobState::InReview, JobState::Failed] {
        done += s.count_jobs(&JobFilter { state: Some(state), ..Default::default() }).await.unwrap();
    }
    done
}

fn worker(db: &str, wf: &std::path::Path) -> Child {
    bin()
        .env("AUDARMA_DB", db)
        .args(["worker", wf.to_str().unwrap(), "--poll", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_workers_killed_at_random_leave_every_job_in_review_exactly_once() {
    let Some(cluster) = audarma_store_tests::pg::Cluster::get().await else {
        eprintln!("SKIPPED: {}", audarma_store_tests::pg::NOT_FOUND);
        return;
    };
    // An empty database: the four workers starting at once migrate it (under the advisory lock).
    let db = cluster.empty_database().await;
    let fake = audarma_fakemt::spawn(FakeConfig {
        latency: Duration::from_millis(150),
        error_rate: 0.05,
        malformed_rate: 0.01,
        seed: 13,
        ..FakeConfig::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    releases(&dir.path().join("releases"), 30);
    let wf = workflow(dir.path(), &fake, 1);

    let mut workers: Vec<Child> = (0..4).map(|_| worker(&db, &wf)).collect();
    // The test's own view of the database, once a worker has migrated it.
    let store = {
        let mut tries = 0;
        loop {
            tokio::time::sleep(Duration::from_millis(300)).await;
            match audarma_store_postgres::PgStore::open(&db).await {
                Ok(s) => break s,
                Err(e) if tries < 50 => {
                    tries += 1;
                    eprintln!("waiting for the database: {e}");
                }
                Err(e) => panic!("{e}"),
            }
        }
    };
    let started = Instant::now();
    let mut kills = 0;
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    while finished(&store).await < 60 {
        assert!(
            started.elapsed() < Duration::from_secs(240),
            "the jobs did not finish: {:?}",
            store.job_counts().await
        );
        tokio::time::sleep(Duration::from_millis(900)).await;
        // A random worker dies without a word and another takes its place.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let victim = (seed % workers.len() as u64) as usize;
        workers[victim].kill().unwrap();
        workers[victim].wait().unwrap();
        kills += 1;
        workers[victim] = worker(&db, &wf);
    }
    // SIGTERM: an idle worker stops cleanly (exit 0), leaving nothing `translating` (the newest one is
    // given time to start and set up its signal handler first).
    tokio::time::sleep(Duration::from_secs(2)).await;
    for w in &mut workers {
        let term = std::process::Command::new("kill").args(["-TERM", &w.id().to_string()]).status().unwrap();
        assert!(term.success());
    }
    for w in &mut workers {
        let status = w.wait().unwrap();
        assert_eq!(status.code(), Some(0), "a worker stopped by SIGTERM: {status:?}");
    }
    assert!(kills >= 2, "only {kills} kills: the run was too short to test anything");

    let jobs = store.list_jobs(&JobFilter::default()).await.unwrap();
    assert_eq!(jobs.len(), 60);
    assert!(jobs.iter().all(|j| j.state == JobState::InReview), "{:?}", store.job_counts().await);
    // The event log: each job's state changes chain (each starts where the last ended), from `queued`,
    // and each job went into review exactly once.
    let mut chains: BTreeMap<i64, Vec<Transition>> = BTreeMap::new();
    for e in store.events(None).await.unwrap() {
        if let (Some(job), "state" | "job-created") = (e.job_id, e.kind.as_str()) {
            chains.entry(job).or_default().push((e.before, e.after));
        }
    }
    assert_eq!(chains.len(), 60);
    let mut reclaimed = 0;
    for (job, chain) in &chains {
        let mut state = None;
        for (before, after) in chain {
            assert_eq!(before, &state, "job {job}: {chain:?}");
            state = after.clone();
        }
        assert_eq!(state.as_deref(), Some("in_review"), "job {job}");
        let reviews = chain.iter().filter(|(_, a)| a.as_deref() == Some("in_review")).count();
        assert_eq!(reviews, 1, "job {job} went into review {reviews} times: {chain:?}");
        reclaimed +=
            chain.iter().filter(|(b, a)| b.as_deref() == Some("translating") && a.as_deref() == Some("queued")).count();
    }
    // Billing: every billed character the store recorded was served (a killed worker's last job may go
    // unrecorded, nothing is recorded twice). Characters *sent* also count refused and failed requests.
    let recorded: u64 = store.usage_totals().await.unwrap().iter().map(|u| u.billed_chars).sum();
    let served = fake.stats().characters;
    assert!(recorded > 0 && recorded <= served, "recorded {recorded} billed chars, the server served {served}");
    eprintln!("{kills} kills, {reclaimed} jobs taken back, {recorded} of {served} served chars recorded");
}

/// `audarma db copy` moves a whole SQLite installation: the queue, the event log, memory and users read
/// the same from PostgreSQL afterwards; a second copy into the same database is refused, naming why.
#[test]
fn db_copy_moves_an_sqlite_installation_and_db_check_reports_both() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some(cluster) = rt.block_on(audarma_store_tests::pg::Cluster::get()) else {
        eprintln!("SKIPPED: {}", audarma_store_tests::pg::NOT_FOUND);
        return;
    };
    let pg = rt.block_on(cluster.empty_database());
    let a = crate::e2e::Audarma::new();
    a.ok(&["run", "workflows/demo.toml"]);
    let job = a.json(&["queue", "--state", "in_review"])["jobs"][0]["id"].to_string();
    a.ok(&["edit", &job, "1", "Тараптар ынтымақтастықты талқылады.", "--version", "1"]);
    a.ok(&["approve", &job, "--override", "checked by hand"]);
    a.ok(&["tm", "import", "examples/tm/seed.tsv"]);
    let sqlite = a.db.clone();
    let on = |db: &str, args: &[&str]| -> serde_json::Value {
        let out =
            bin().current_dir(crate::e2e::root()).env("AUDARMA_DB", db).args(args).arg("--json").output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };

    let copied = on(&sqlite, &["db", "copy", "--from", &sqlite, "--to", &pg]);
    let tables = copied["tables"].as_array().unwrap();
    assert!(tables.iter().all(|t| t["source_rows"] == t["target_rows"]), "{copied}");
    let rows = |name: &str| tables.iter().find(|t| t["table"] == name).unwrap()["target_rows"].as_u64().unwrap();
    assert_eq!(rows("jobs"), 24);
    assert!(rows("events") > 50 && rows("tm_units") > 0, "{copied}");

    for args in [&["queue"][..], &["history"], &["show", &job]] {
        assert_eq!(on(&sqlite, args), on(&pg, args), "{args:?} differs after the copy");
    }
    let check = on(&pg, &["db", "check"]);
    assert_eq!((check["backend"].as_str(), check["problems"].as_array().map(Vec::len)), (Some("postgres"), Some(0)));
    assert_eq!(check["schema_version"], check["latest_schema"]);
    assert_eq!(on(&sqlite, &["db", "check"])["backend"], "sqlite");
    // New work on PostgreSQL continues the ids.
    let retried = bin()
        .current_dir(crate::e2e::root())
        .env("AUDARMA_DB", &pg)
        .args(["reject", &on(&pg, &["queue", "--state", "in_review"])["jobs"][0]["id"].to_string(), "--reason", "redo"])
        .output()
        .unwrap();
    assert!(retried.status.success(), "{}", String::from_utf8_lossy(&retried.stderr));

    let again = bin().env("AUDARMA_DB", &sqlite).args(["db", "copy", "--from", &sqlite, "--to", &pg]).output().unwrap();
    assert_eq!(again.status.code(), Some(3));
    let err = String::from_utf8_lossy(&again.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("the target database is not empty (releases has 12 rows)"), "{err}");
    let missing = bin().args(["db", "copy", "--from", "sqlite:/nonexistent/a.db", "--to", &pg]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&missing.stderr), "audarma: --from: /nonexistent/a.db: no such SQLite file\n");
}
