//! What several workers and several desks on one database rely on: a job that keeps losing its worker
//! fails instead of looping, idle workers are woken, login failures are counted by every process, and
//! `db check` reports the schema.

use audarma_core::{JobState, Lang, Paragraph, Release, Role};
use audarma_store::{JobFilter, LeaseOwner, Store, MAX_CRASHES};
use audarma_store_tests::{conformance, Backend, Guard};
use std::sync::Arc;
use std::time::Duration;

fn release(title: &str) -> Release {
    Release {
        source: format!("{title}.txt"),
        lang: Lang::Ru,
        title: title.into(),
        date: None,
        place: None,
        paragraphs: vec![Paragraph::new(vec!["Стороны подписали пять соглашений.".into()])],
    }
}

async fn queue_one(s: &dyn Store, title: &str, workflow: &str) -> i64 {
    let id = s.insert_release(&release(title), "cron").await.unwrap().id();
    s.ensure_jobs(id, &[Lang::Kk], workflow, "cron").await.unwrap()[0]
}

conformance! {
    /// A job whose worker dies mid-translation is claimed again; after MAX_CRASHES lost leases it fails,
    /// saying why, instead of taking down one worker after another. A completed job starts counting anew.
    async fn a_job_that_keeps_killing_its_workers_fails_with_the_reason(s: Arc<dyn Store>) {
        let job = queue_one(&*s, "Визит", "w").await;
        for crash in 1..=MAX_CRASHES {
            // A lease of no time at all: the worker is as good as dead once it has claimed.
            let claimed = s.claim_next_job("w", LeaseOwner(&format!("host:{crash}")), 0).await.unwrap();
            assert_eq!(claimed.map(|c| c.id), Some(job), "claim {crash}");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        // The next claim takes the job back for the third time: failed, not queued.
        assert!(s.claim_next_job("w", LeaseOwner("host:9"), 60).await.unwrap().is_none());
        let summary = s.job_summary(job).await.unwrap();
        assert_eq!(summary.state, JobState::Failed);
        let error = summary.error.unwrap();
        assert!(error.contains(&format!("lease ran out {MAX_CRASHES} times")), "{error}");
        let events = s.events(Some(job)).await.unwrap();
        let reclaims: Vec<_> = events.iter().filter(|e| e.before.as_deref() == Some("translating")).collect();
        assert_eq!(reclaims.len(), MAX_CRASHES as usize);
        assert_eq!(reclaims.last().unwrap().after.as_deref(), Some("failed"));
        assert_eq!(reclaims[0].detail["reason"], "lease expired");
        assert_eq!(reclaims[0].detail["owner"], "host:1");

        // A retry starts the count again: one crash now queues the job as before.
        s.retry_job(job, "aigerim").await.unwrap();
        s.claim_next_job("w", LeaseOwner("host:10"), 0).await.unwrap().unwrap();
        tokio::time::sleep(Duration::from_millis(5)).await;
        assert_eq!(s.claim_next_job("w", LeaseOwner("host:11"), 60).await.unwrap().map(|c| c.id), Some(job));
    }

    /// A lease renewed by its worker's heartbeat outlives its first term; one not renewed is taken back.
    async fn a_heartbeat_keeps_a_lease_and_silence_loses_it(s: Arc<dyn Store>) {
        let a = queue_one(&*s, "Первый", "w").await;
        let b = queue_one(&*s, "Второй", "w").await;
        assert_eq!(s.claim_next_job("w", LeaseOwner("alive:1"), 1).await.unwrap().unwrap().id, a);
        assert_eq!(s.claim_next_job("w", LeaseOwner("dead:2"), 1).await.unwrap().unwrap().id, b);
        s.renew_leases(LeaseOwner("alive:1"), 60).await.unwrap();
        tokio::time::sleep(Duration::from_millis(1100)).await;
        s.renew_leases(LeaseOwner("alive:1"), 60).await.unwrap();
        // The dead worker's job is claimed again by the next worker; the living one's is not.
        let next = s.claim_next_job("w", LeaseOwner("next:3"), 60).await.unwrap().unwrap();
        assert_eq!(next.id, b);
        assert!(s.claim_next_job("w", LeaseOwner("next:3"), 60).await.unwrap().is_none());
        assert_eq!(s.lease_owners("w").await.unwrap(), ["alive:1", "next:3"]);
    }

    /// Jobs queued by one process wake a worker waiting in another (PostgreSQL's notification); a
    /// store that cannot be told waits out its poll interval. Either way the waiter then finds the job.
    async fn a_waiting_worker_is_woken_by_jobs_queued_elsewhere(s: Arc<dyn Store>, db: &Guard) {
        let other = db.open_again().await;
        let poll = Duration::from_secs(if db.backend() == Backend::Postgres { 60 } else { 1 });
        // The listener is set up by a first wait.
        s.wait_for_jobs(&["w"], Duration::from_millis(10)).await.unwrap();
        let waiter = tokio::spawn({
            let s = s.clone();
            async move {
                let started = std::time::Instant::now();
                s.wait_for_jobs(&["w", "x"], poll).await.unwrap();
                started.elapsed()
            }
        });
        tokio::time::sleep(Duration::from_millis(200)).await;
        // Jobs of a workflow nobody waits for do not wake it; those of one it waits for do.
        queue_one(&*other, "Чужой", "elsewhere").await;
        queue_one(&*other, "Свой", "x").await;
        let waited = waiter.await.unwrap();
        if db.backend() == Backend::Postgres {
            assert!(waited < Duration::from_secs(30), "woken after {waited:?}, not by the notification");
        }
        assert!(s.claim_next_job("x", LeaseOwner("w:1"), 60).await.unwrap().is_some());
    }

    /// Login failures are kept in the database: two desk processes count them together, and guesses sent
    /// at once are all counted before any is verified.
    async fn login_failures_are_counted_across_processes_and_at_once(s: Arc<dyn Store>, db: &Guard) {
        let other = db.open_again().await;
        let window = Duration::from_secs(60);
        let limits = |name: &'static str| [("ip:10.0.0.1", 100u32), (name, 3u32)];
        assert_eq!(s.login_attempt(&limits("user:aigerim"), window).await.unwrap(), None);
        assert_eq!(other.login_attempt(&limits("user:aigerim"), window).await.unwrap(), None);
        assert_eq!(s.login_attempt(&limits("user:aigerim"), window).await.unwrap(), None);
        let wait = other.login_attempt(&limits("user:aigerim"), window).await.unwrap().unwrap();
        assert!((1..=60).contains(&wait), "{wait}");
        // A success forgets the name and takes the address's last attempt back.
        s.login_succeeded("user:aigerim", "ip:10.0.0.1").await.unwrap();
        assert_eq!(other.login_attempt(&limits("user:aigerim"), window).await.unwrap(), None);

        // Twenty guesses at once, from both processes, against a limit of three: three get through.
        let tasks: Vec<_> = (0..20)
            .map(|i| {
                let store = if i % 2 == 0 { s.clone() } else { other.clone() };
                tokio::spawn(async move {
                    store.login_attempt(&[("ip:10.0.0.9", 100), ("user:daniyar", 3)], window).await.unwrap()
                })
            })
            .collect();
        let mut through = 0;
        for t in tasks {
            through += usize::from(t.await.unwrap().is_none());
        }
        assert_eq!(through, 3);
    }

    /// A session made by one desk is valid on the other; ending it on one ends it on both.
    async fn a_session_made_by_one_desk_works_on_another(s: Arc<dyn Store>, db: &Guard) {
        let other = db.open_again().await;
        s.add_user("aigerim", Role::Reviewer, "hash", "admin").await.unwrap();
        let expires = chrono::Utc::now() + chrono::Duration::hours(1);
        s.create_session("cookie-hash", "aigerim", "csrf-token", expires).await.unwrap();
        let seen = other.session("cookie-hash").await.unwrap().unwrap();
        assert_eq!((seen.user.name.as_str(), seen.csrf.as_str()), ("aigerim", "csrf-token"));
        other.delete_session("cookie-hash").await.unwrap();
        assert!(s.session("cookie-hash").await.unwrap().is_none());
    }

    /// `db check`: the backend, and a schema as new as the build's.
    async fn health_names_the_backend_and_a_current_schema(s: Arc<dyn Store>, db: &Guard) {
        let h = s.health().await.unwrap();
        assert_eq!(h.backend, db.backend().name());
        assert_eq!(h.schema_version, h.latest_schema);
        assert!(h.problems.is_empty(), "{:?}", h.problems);
        assert_eq!(h.expired_leases, 0);
        queue_one(&*s, "Визит", "w").await;
        s.claim_next_job("w", LeaseOwner("gone:1"), 0).await.unwrap().unwrap();
        tokio::time::sleep(Duration::from_millis(5)).await;
        assert_eq!(s.health().await.unwrap().expired_leases, 1);
        assert_eq!(s.count_jobs(&JobFilter { state: Some(JobState::Translating), ..Default::default() }).await.unwrap(), 1);
    }

    /// The counts the queue and the metrics show stay exact through many transitions, whatever the
    /// store does to keep them cheap (PostgreSQL appends deltas and folds them in after a thousand).
    async fn job_counts_stay_exact_through_many_transitions(s: Arc<dyn Store>) {
        for i in 0..600 {
            queue_one(&*s, &format!("Визит {i}"), "w").await;
        }
        for i in 0..300 {
            s.claim_next_job("w", LeaseOwner(&format!("host:{}", i % 4)), 60).await.unwrap().unwrap();
        }
        for _ in 0..2 {
            let counts: Vec<(JobState, u64)> =
                s.job_counts().await.unwrap().into_iter().map(|c| (c.state, c.jobs)).collect();
            assert_eq!(counts, [(JobState::Queued, 300), (JobState::Translating, 300)]);
            let queued = JobFilter { state: Some(JobState::Queued), ..Default::default() };
            assert_eq!(s.count_jobs(&queued).await.unwrap(), 300);
            assert_eq!(s.count_jobs(&JobFilter::default()).await.unwrap(), 600);
        }
    }

    /// Workers take the highest-priority job first, then the oldest.
    async fn claims_follow_priority_then_age(s: Arc<dyn Store>) {
        let a = queue_one(&*s, "Первый", "w").await;
        let b = queue_one(&*s, "Второй", "w").await;
        let c = queue_one(&*s, "Третий", "w").await;
        s.plan_job(c, 5, None, "aigerim").await.unwrap();
        let mut claimed = Vec::new();
        while let Some(job) = s.claim_next_job("w", LeaseOwner("host:1"), 60).await.unwrap() {
            claimed.push(job.id);
        }
        assert_eq!(claimed, [c, a, b]);
    }
}
