//! Webhook deliveries from the event log (`audarma_store::notify`), deadline events and failed runs: queued
//! once per hook and event, claimed by one process at a time, retried when due, fenced by their lease.

use audarma_core::{Due, JobState, Lang, Paragraph, Release, SuggestionOrigin};
use audarma_store::{
    Attempt, Delivery, DeliveryFilter, DeliveryState, Hook, JobId, LeaseOwner, NotifyEvent, Store, StoreError,
    Suggestion,
};
use audarma_store_tests::{conformance, Backend, Guard};
use chrono::{Duration, NaiveDate, Utc};
use std::collections::BTreeSet;
use std::sync::Arc;

fn release(title: &str) -> Release {
    Release {
        source: format!("{title}.txt"),
        lang: Lang::Ru,
        title: title.into(),
        date: None,
        place: None,
        paragraphs: vec![Paragraph::new(vec!["Стороны подписали соглашение.".into()])],
    }
}

async fn queue_one(s: &dyn Store, title: &str, workflow: &str) -> JobId {
    let id = s.insert_release(&release(title), "cron").await.unwrap().id();
    s.ensure_jobs(id, &[Lang::Kk], workflow, "cron").await.unwrap()[0]
}

/// Claims the next job of `workflow` and translates it: it goes to review.
async fn translate_next(s: &dyn Store, workflow: &str) -> JobId {
    let job = s.claim_next_job(workflow, LeaseOwner("run:1"), 60).await.unwrap().unwrap();
    let sugg: Vec<Suggestion> = (0..job.segments.len() as u32)
        .map(|idx| Suggestion {
            idx,
            text: Some(format!("аударма {idx}")),
            origin: SuggestionOrigin::Pseudo,
            backend: Some("pseudo".into()),
            model: None,
            terms: vec![],
            findings: vec![],
            tm: None,
        })
        .collect();
    s.complete_translation(job.id, job.lease("run:1"), &sugg, "run:1").await.unwrap();
    job.id
}

const REVIEW_AND_APPROVAL: &[NotifyEvent] = &[NotifyEvent::InReview, NotifyEvent::Approved];
const EVERYTHING: &[NotifyEvent] = &NotifyEvent::ALL;

fn hook<'a>(workflow: &'a str, name: &'a str, events: &'a [NotifyEvent]) -> Hook<'a> {
    Hook { workflow, name, events }
}

async fn claim(s: &dyn Store, hooks: &[(&str, &str)], owner: &str) -> Vec<Delivery> {
    s.claim_deliveries(hooks, LeaseOwner(owner), 60, 100).await.unwrap()
}

/// Queues deliveries for `hook` until `expected` were queued or ten seconds passed; how many were. (An
/// event is read once its transaction is visible, which for a statement that just returned is at once;
/// the retries only keep a loaded machine from failing the test.)
async fn queue_until(s: &dyn Store, hook: &Hook<'_>, expected: u64) -> u64 {
    let start = std::time::Instant::now();
    let mut n = 0;
    loop {
        n += s.queue_deliveries(hook).await.unwrap();
        if n >= expected || start.elapsed() > std::time::Duration::from_secs(10) {
            return n;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
}

conformance! {
    /// A hook taken out of its workflow file: its deliveries waiting to be sent are given up with the
    /// reason (not one held by a claim in flight), its cursor goes, and the workflow's other hooks and
    /// other workflows' hooks keep theirs.
    async fn a_removed_hook_gives_up_its_pending_deliveries_and_its_cursor(s: Arc<dyn Store>) {
        let (chat, ops, there) = (hook("w", "chat", EVERYTHING), hook("w", "ops", EVERYTHING), hook("x", "ops", EVERYTHING));
        for h in [&chat, &ops, &there] {
            assert_eq!(s.queue_deliveries(h).await.unwrap(), 0);
        }
        queue_one(&*s, "Первый", "w").await;
        queue_one(&*s, "Второй", "w").await;
        queue_one(&*s, "Там", "x").await;
        translate_next(&*s, "w").await;
        translate_next(&*s, "w").await;
        translate_next(&*s, "x").await;
        assert_eq!(queue_until(&*s, &chat, 2).await, 2);
        assert_eq!(queue_until(&*s, &ops, 2).await, 2);
        assert_eq!(queue_until(&*s, &there, 1).await, 1);
        // One of ops's deliveries is being posted right now.
        let held = s.claim_deliveries(&[("w", "ops")], LeaseOwner("a"), 60, 1).await.unwrap();
        assert_eq!(held.len(), 1);

        let reason = "webhook ops is no longer in workflows/w.toml";
        assert_eq!(s.forget_removed_hooks("w", &["chat"], reason).await.unwrap(), 1);
        let log = s.deliveries(&DeliveryFilter { workflow: Some("w".into()), ..Default::default() }).await.unwrap();
        let ops_log: Vec<(DeliveryState, Option<&str>)> =
            log.iter().filter(|d| d.hook == "ops").map(|d| (d.state, d.last_error.as_deref())).collect();
        assert_eq!(ops_log.len(), 2);
        assert!(ops_log.contains(&(DeliveryState::Failed, Some(reason))), "{ops_log:?}");
        assert!(ops_log.contains(&(DeliveryState::Pending, None)), "the one in flight is its claimant's: {ops_log:?}");
        assert!(log.iter().filter(|d| d.hook == "chat").all(|d| d.state == DeliveryState::Pending));
        assert_eq!(claim(&*s, &[("w", "chat"), ("x", "ops")], "b").await.len(), 3, "the others still go out");

        // Added again, it starts at the end of the log like any new hook.
        queue_one(&*s, "Третий", "w").await;
        translate_next(&*s, "w").await;
        assert_eq!(s.queue_deliveries(&ops).await.unwrap(), 0, "no flood of what it missed");
        assert_eq!(s.forget_removed_hooks("w", &["chat", "ops"], reason).await.unwrap(), 0);
    }

    /// A hook is not sent the past: it starts where the log is when first seen, then gets each event of its
    /// workflow it subscribes to, once, with what the body tells: the job, its release, languages, the
    /// state it reached, who and when.
    async fn a_hook_gets_each_event_of_its_workflow_it_subscribes_to_once(s: Arc<dyn Store>) {
        let before = queue_one(&*s, "Прошлое", "w").await;
        translate_next(&*s, "w").await;
        let w = hook("w", "chat", REVIEW_AND_APPROVAL);
        assert_eq!(s.queue_deliveries(&w).await.unwrap(), 0, "first sight queues nothing");
        assert!(claim(&*s, &[("w", "chat")], "a").await.is_empty());

        let job = queue_one(&*s, "Визит в Монголию", "w").await;
        let other = queue_one(&*s, "Чужой", "elsewhere").await;
        assert_eq!(translate_next(&*s, "w").await, job);
        assert_eq!(translate_next(&*s, "elsewhere").await, other);
        s.approve_job(job, "aigerim", None).await.unwrap();
        s.approve_job(before, "aigerim", None).await.unwrap();
        // Queued, claimed, translating and rejected are not what this hook asked for.
        assert_eq!(queue_until(&*s, &w, 3).await, 3);
        assert_eq!(s.queue_deliveries(&w).await.unwrap(), 0, "each event is queued once");

        let got = claim(&*s, &[("w", "chat")], "a").await;
        let told: Vec<(NotifyEvent, Option<JobId>)> = got.iter().map(|d| (d.event, d.job)).collect();
        assert_eq!(
            told,
            [(NotifyEvent::InReview, Some(job)), (NotifyEvent::Approved, Some(job)), (NotifyEvent::Approved, Some(before))]
        );
        let approved = &got[1];
        assert_eq!(approved.title.as_deref(), Some("Визит в Монголию"));
        assert_eq!((approved.source_lang, approved.target_lang), (Some(Lang::Ru), Some(Lang::Kk)));
        assert_eq!(approved.state, Some(JobState::Approved));
        assert_eq!(got[0].state, Some(JobState::InReview));
        assert_eq!((approved.actor.as_str(), approved.attempt, approved.workflow.as_str()), ("aigerim", 1, "w"));
        assert!(approved.at <= Utc::now() && approved.at > Utc::now() - Duration::minutes(1));
        let events = s.events(Some(job)).await.unwrap();
        assert_eq!(events.iter().find(|e| e.after.as_deref() == Some("approved")).unwrap().id, approved.event_id);
        assert_eq!(approved.idempotency_key(), audarma_store::idempotency_key("w", "chat", approved.event_id));

        // Another hook of the workflow is another cursor and other deliveries.
        let ops = hook("w", "ops", EVERYTHING);
        assert_eq!(s.queue_deliveries(&ops).await.unwrap(), 0);
        let later = queue_one(&*s, "Позже", "w").await;
        translate_next(&*s, "w").await;
        assert_eq!(queue_until(&*s, &ops, 1).await, 1);
        assert_eq!(queue_until(&*s, &w, 1).await, 1);
        let got = claim(&*s, &[("w", "ops")], "a").await;
        assert_eq!(got.iter().map(|d| d.job).collect::<Vec<_>>(), [Some(later)]);
        assert_ne!(got[0].idempotency_key(), claim(&*s, &[("w", "chat")], "a").await[0].idempotency_key());
    }

    /// A failed job is told with its error; a failed run (no job) with its problems, to the hooks of its
    /// own workflow only.
    async fn failed_jobs_and_failed_runs_are_told_with_what_went_wrong(s: Arc<dyn Store>) {
        let w = hook("w", "ops", EVERYTHING);
        s.queue_deliveries(&w).await.unwrap();
        s.queue_deliveries(&hook("x", "ops", EVERYTHING)).await.unwrap();
        let job = queue_one(&*s, "Сбой", "w").await;
        let claimed = s.claim_next_job("w", LeaseOwner("run:1"), 60).await.unwrap().unwrap();
        s.fail_job(job, claimed.lease("run:1"), "backend: quota exhausted", "run:1").await.unwrap();
        let problems = vec!["feeds/akorda.xml: cannot read".to_string()];
        s.log_run_failure("w", &problems, "run:1").await.unwrap();
        s.log_run_failure("x", &["another".to_string()], "run:2").await.unwrap();
        assert_eq!(queue_until(&*s, &w, 2).await, 2);
        let got = claim(&*s, &[("w", "ops")], "a").await;
        assert_eq!(got[0].event, NotifyEvent::Failed);
        assert_eq!(got[0].state, Some(JobState::Failed));
        assert_eq!(got[0].detail["error"], "backend: quota exhausted");
        assert_eq!(got[1].event, NotifyEvent::RunFailed);
        assert_eq!((got[1].job, got[1].title.as_deref(), got[1].state), (None, None, None));
        assert_eq!(got[1].detail["problems"][0], "feeds/akorda.xml: cannot read");
        assert_eq!(got[1].actor, "run:1");
        let x = claim(&*s, &[("x", "ops")], "a").await;
        assert_eq!(x.len(), 0, "the hook of x was not queued yet");
        assert_eq!(queue_until(&*s, &hook("x", "ops", EVERYTHING), 1).await, 1);
        assert_eq!(claim(&*s, &[("x", "ops")], "a").await[0].detail["problems"][0], "another");
    }

    /// A claimed delivery is leased: nobody else gets it, only its claim records the outcome; a failure is
    /// tried again when due, its error kept in the log; a delivery is tried once more after a process died
    /// mid-attempt; giving up ends it.
    async fn a_delivery_is_leased_retried_when_due_and_logged(s: Arc<dyn Store>) {
        let w = hook("w", "chat", EVERYTHING);
        s.queue_deliveries(&w).await.unwrap();
        queue_one(&*s, "Первый", "w").await;
        translate_next(&*s, "w").await;
        assert_eq!(queue_until(&*s, &w, 1).await, 1);
        let hooks = [("w", "chat")];
        let d = claim(&*s, &hooks, "a:1").await.remove(0);
        assert!(claim(&*s, &hooks, "b:2").await.is_empty(), "leased to a:1");
        assert!(s.claim_deliveries(&[("w", "other")], LeaseOwner("b:2"), 60, 10).await.unwrap().is_empty());

        // Only the current claim records; an unknown delivery is said to be unknown.
        let ok = Attempt::Delivered { status: 204 };
        let wrong = s.finish_delivery(d.id, d.lease("b:2"), &ok).await;
        assert!(matches!(wrong, Err(StoreError::DeliveryLeaseLost(id)) if id == d.id), "{wrong:?}");
        assert!(matches!(s.finish_delivery(9999, d.lease("a:1"), &ok).await, Err(StoreError::NoSuchDelivery(9999))));

        // A failure to be tried in an hour is not due now.
        let later = Utc::now() + Duration::hours(1);
        let failed = Attempt::Failed { status: Some(503), error: "HTTP 503", retry_at: Some(later) };
        s.finish_delivery(d.id, d.lease("a:1"), &failed).await.unwrap();
        assert!(claim(&*s, &hooks, "b:2").await.is_empty());
        let log = s.deliveries(&DeliveryFilter::default()).await.unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!((log[0].state, log[0].attempts, log[0].last_status), (DeliveryState::Pending, 1, Some(503)));
        assert_eq!(log[0].last_error.as_deref(), Some("HTTP 503"));
        assert!((log[0].next_at.unwrap() - later).num_milliseconds().abs() < 5);
        assert_eq!((log[0].event, log[0].hook.as_str(), log[0].job), (NotifyEvent::InReview, "chat", d.job));

        // The first claim's late outcome no longer counts once it was finished.
        assert!(matches!(s.finish_delivery(d.id, d.lease("a:1"), &ok).await, Err(StoreError::DeliveryLeaseLost(_))));

        // A failure due at once is claimed again as attempt 2, under a lease of no time, and that process
        // dies mid-attempt: the next claim is attempt 3, and the dead one's outcome no longer counts.
        let now = Utc::now() - Duration::seconds(1);
        let job2 = queue_one(&*s, "Второй", "w").await;
        translate_next(&*s, "w").await;
        assert_eq!(queue_until(&*s, &w, 1).await, 1);
        let d2 = claim(&*s, &hooks, "a:1").await.remove(0);
        assert_eq!(d2.job, Some(job2));
        let refused = Attempt::Failed { status: None, error: "connection refused", retry_at: Some(now) };
        s.finish_delivery(d2.id, d2.lease("a:1"), &refused).await.unwrap();
        let dying = s.claim_deliveries(&hooks, LeaseOwner("dies:3"), 0, 10).await.unwrap().remove(0);
        assert_eq!((dying.id, dying.attempt), (d2.id, 2));
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let again = claim(&*s, &hooks, "b:2").await.remove(0);
        assert_eq!((again.id, again.attempt), (d2.id, 3));
        let late = s.finish_delivery(d2.id, dying.lease("dies:3"), &ok).await;
        assert!(matches!(late, Err(StoreError::DeliveryLeaseLost(_))), "{late:?}");
        s.finish_delivery(d2.id, again.lease("b:2"), &Attempt::Delivered { status: 200 }).await.unwrap();
        let log = s.deliveries(&DeliveryFilter { state: Some(DeliveryState::Delivered), ..Default::default() }).await.unwrap();
        assert_eq!(log.len(), 1);
        let r = &log[0];
        assert_eq!((r.id, r.attempts, r.last_status, r.next_at), (d2.id, 3, Some(200), None));
        assert_eq!(r.last_error.as_deref(), Some("connection refused"), "the last failure is kept");
        assert!(r.delivered_at.is_some());
        assert!(claim(&*s, &hooks, "b:2").await.is_empty(), "delivered is done");

        // Giving up: failed, never claimed again.
        let job3 = queue_one(&*s, "Третий", "w").await;
        translate_next(&*s, "w").await;
        queue_until(&*s, &w, 1).await;
        let d3 = claim(&*s, &hooks, "a:1").await.remove(0);
        assert_eq!(d3.job, Some(job3));
        let gave_up = Attempt::Failed { status: Some(410), error: "HTTP 410 Gone", retry_at: None };
        s.finish_delivery(d3.id, d3.lease("a:1"), &gave_up).await.unwrap();
        assert!(claim(&*s, &hooks, "b:2").await.is_empty());
        let failed = s.deliveries(&DeliveryFilter { state: Some(DeliveryState::Failed), ..Default::default() }).await.unwrap();
        assert_eq!(failed.iter().map(|r| (r.id, r.state, r.next_at)).collect::<Vec<_>>(), [(d3.id, DeliveryState::Failed, None)]);

        // The log: newest first, by workflow, limited.
        let all = s.deliveries(&DeliveryFilter::default()).await.unwrap();
        assert_eq!(all.iter().map(|r| r.id).collect::<Vec<_>>(), [d3.id, d2.id, d.id]);
        let one = s.deliveries(&DeliveryFilter { limit: Some(1), ..Default::default() }).await.unwrap();
        assert_eq!(one.len(), 1);
        let none = s.deliveries(&DeliveryFilter { workflow: Some("x".into()), ..Default::default() }).await.unwrap();
        assert!(none.is_empty());
    }

    /// Two processes queueing and claiming at once while jobs reach review: every event is queued once
    /// per hook and delivered by exactly one of them.
    async fn processes_queueing_and_claiming_at_once_deliver_each_event_once(s: Arc<dyn Store>, db: &Guard) {
        let other = db.open_again().await;
        let w = hook("w", "chat", EVERYTHING);
        s.queue_deliveries(&w).await.unwrap();
        let jobs = 12;
        for i in 0..jobs {
            queue_one(&*s, &format!("Релиз {i}"), "w").await;
        }
        let producer = {
            let s = s.clone();
            tokio::spawn(async move {
                for _ in 0..jobs {
                    translate_next(&*s, "w").await;
                }
            })
        };
        let deliverers: Vec<_> = (0..4)
            .map(|i| {
                let store = if i % 2 == 0 { s.clone() } else { other.clone() };
                tokio::spawn(async move {
                    let owner = format!("deliverer:{i}");
                    let mut got = Vec::new();
                    for _ in 0..40 {
                        store.queue_deliveries(&hook("w", "chat", EVERYTHING)).await.unwrap();
                        for d in store.claim_deliveries(&[("w", "chat")], LeaseOwner(&owner), 60, 3).await.unwrap() {
                            store.finish_delivery(d.id, d.lease(&owner), &Attempt::Delivered { status: 200 }).await.unwrap();
                            got.push(d.event_id);
                        }
                        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                    }
                    got
                })
            })
            .collect();
        producer.await.unwrap();
        let mut delivered = Vec::new();
        for d in deliverers {
            delivered.extend(d.await.unwrap());
        }
        // What was left after the deliverers stopped.
        queue_until(&*s, &w, (jobs - delivered.len()) as u64).await;
        for d in claim(&*s, &[("w", "chat")], "last").await {
            s.finish_delivery(d.id, d.lease("last"), &Attempt::Delivered { status: 200 }).await.unwrap();
            delivered.push(d.event_id);
        }
        let distinct: BTreeSet<i64> = delivered.iter().copied().collect();
        assert_eq!(distinct.len(), delivered.len(), "an event was delivered twice: {delivered:?}");
        assert_eq!(delivered.len(), jobs, "one in_review per job");
    }

    /// A job becomes due once per deadline: the day before it, on it or after it, unless it is done;
    /// marking twice, or from two processes at once, logs one event; a new deadline can be due again.
    async fn a_job_is_marked_due_once_per_deadline(s: Arc<dyn Store>, db: &Guard) {
        let other = db.open_again().await;
        let soon = queue_one(&*s, "Скоро", "w").await;
        let late = queue_one(&*s, "Поздно", "w").await;
        let far = queue_one(&*s, "Далеко", "w").await;
        let done = queue_one(&*s, "Готово", "w").await;
        queue_one(&*s, "Без срока", "w").await;
        s.plan_job(soon, 0, Some(day(11)), "aigerim").await.unwrap();
        s.plan_job(late, 0, Some(day(2)), "aigerim").await.unwrap();
        s.plan_job(far, 0, Some(day(20)), "aigerim").await.unwrap();
        s.plan_job(done, 0, Some(day(1)), "aigerim").await.unwrap();
        // The done job: translated and approved.
        let mut translated = Vec::new();
        for _ in 0..5 {
            translated.push(translate_next(&*s, "w").await);
        }
        s.approve_job(done, "aigerim", None).await.unwrap();

        let w = hook("w", "ops", &[NotifyEvent::Deadline]);
        s.queue_deliveries(&w).await.unwrap();
        let today = day(10);
        let (a, b) = tokio::join!(s.mark_due_jobs(Due::by(today), "deliverer:1"), other.mark_due_jobs(Due::by(today), "deliverer:2"));
        let mut marked: Vec<JobId> = a.unwrap().into_iter().chain(b.unwrap()).collect();
        marked.sort_unstable();
        assert_eq!(marked, [soon, late]);
        assert!(s.mark_due_jobs(Due::by(today), "deliverer:1").await.unwrap().is_empty(), "once");
        assert_eq!(queue_until(&*s, &w, 2).await, 2);
        let got = claim(&*s, &[("w", "ops")], "a").await;
        let told: Vec<_> = got.iter().map(|d| (d.job, d.detail["deadline"].as_str().unwrap().to_string(), d.state)).collect();
        let in_review = Some(JobState::InReview);
        assert_eq!(told, [(Some(soon), "2026-12-11".to_string(), in_review), (Some(late), "2026-12-02".to_string(), in_review)]);
        assert_eq!(got[0].event, NotifyEvent::Deadline);
        let events: Vec<_> = s.events(Some(soon)).await.unwrap().into_iter().filter(|e| e.kind == "deadline").collect();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].detail["workflow"], "w");

        // A later deadline is due again when its day comes; the far one too.
        s.plan_job(soon, 0, Some(day(15)), "aigerim").await.unwrap();
        assert!(s.mark_due_jobs(Due::by(today), "deliverer:1").await.unwrap().is_empty());
        assert_eq!(s.mark_due_jobs(Due::by(day(19)), "deliverer:1").await.unwrap(), [soon, far]);
    }
}

/// On PostgreSQL an event's id is taken when it is written, but it is seen when its transaction commits:
/// an event written before another and committed after it must not be skipped by the cursor.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_committed_after_a_later_one_is_not_skipped() {
    use sqlx::{Connection, PgConnection};
    let Some((s, db)) = audarma_store_tests::open(Backend::Postgres).await else { return };
    let url = db.postgres_url().unwrap().to_string();
    let w = hook("w", "chat", EVERYTHING);
    let first = queue_one(&*s, "Медленный", "w").await;
    let second = queue_one(&*s, "Быстрый", "w").await;
    s.queue_deliveries(&w).await.unwrap();

    // A slow transaction writes an event and stays open while a later one commits.
    let mut slow = PgConnection::connect(&url).await.unwrap();
    sqlx::raw_sql("BEGIN").execute(&mut slow).await.unwrap();
    let slow_event: i64 = sqlx::query_scalar(
        "INSERT INTO events (at, actor, job_id, kind, detail, before, after)
         VALUES (now(), 'slow', $1, 'state', '{}', 'translating', 'failed') RETURNING id",
    )
    .bind(first)
    .fetch_one(&mut slow)
    .await
    .unwrap();
    // (The slow transaction's event holds a key lock on its job, so the claim skips it.)
    let claimed = s.claim_next_job("w", LeaseOwner("run:1"), 60).await.unwrap().unwrap();
    assert_eq!(claimed.id, second);
    s.fail_job(claimed.id, claimed.lease("run:1"), "broken", "run:1").await.unwrap();
    // The committed one is queued; the open one is not visible yet.
    assert_eq!(s.queue_deliveries(&w).await.unwrap(), 1);
    sqlx::raw_sql("COMMIT").execute(&mut slow).await.unwrap();
    // Once it commits, the slow one is queued too, though a later event was read before it.
    assert_eq!(s.queue_deliveries(&w).await.unwrap(), 1);
    assert_eq!(s.queue_deliveries(&w).await.unwrap(), 0);
    let got = claim(&*s, &[("w", "chat")], "a").await;
    let ids: Vec<i64> = got.iter().map(|d| d.event_id).collect();
    assert!(ids.contains(&slow_event), "{ids:?} misses the slow event {slow_event}");
    assert_eq!(got.iter().map(|d| d.job).collect::<BTreeSet<_>>(), BTreeSet::from([Some(first), Some(second)]));
}
