//! Deliveries as a receiver sees them: signed bodies telling the event, retried with backoff under one
//! idempotency key until they succeed or are given up, logged in the store; secrets and URL paths never
//! stored or shown.

use audarma_core::{JobState, Lang, Paragraph, Release, SuggestionOrigin};
use audarma_notify::{Next, Notifier, RawWebhook, Retry, Webhook, WorkflowHooks};
use audarma_store::{DeliveryFilter, DeliveryState, JobId, LeaseOwner, Store, Suggestion};
use audarma_store_sqlite::SqliteStore;
use hmac::{Hmac, Mac};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const SECRET: &str = "whsec-test-9f8e7d6c5b4a";

struct Fixture {
    store: Arc<SqliteStore>,
    db: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("audarma.db");
    let store = Arc::new(SqliteStore::open(db.to_str().unwrap()).await.unwrap());
    Fixture { store, db, _dir: dir }
}

async fn queue_job(s: &dyn Store, title: &str) -> JobId {
    let release = Release {
        source: format!("{title}.txt"),
        lang: Lang::Ru,
        title: title.into(),
        date: None,
        place: None,
        paragraphs: vec![Paragraph::new(vec!["Стороны подписали соглашение.".into()])],
    };
    let id = s.insert_release(&release, "cron").await.unwrap().id();
    s.ensure_jobs(id, &[Lang::Kk], "demo", "cron").await.unwrap()[0]
}

async fn translate(s: &dyn Store) -> JobId {
    let job = s.claim_next_job("demo", LeaseOwner("host:1"), 60).await.unwrap().unwrap();
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
    s.complete_translation(job.id, job.lease("host:1"), &sugg, "host:1").await.unwrap();
    job.id
}

fn webhook(url: &str, events: &[&str], retry: Option<Retry>) -> Webhook {
    let raw: RawWebhook = toml::from_str(&format!(
        "url = {url:?}\nevents = {events:?}\nsecret_env = \"AUDARMA_HOOK_SECRET\"\nname = \"chat\""
    ))
    .unwrap();
    let mut hook = Webhook::check(&raw, 0).unwrap();
    if let Some(r) = retry {
        hook.retry = r;
    }
    hook
}

fn notifier(hook: Webhook, secret: &str) -> Notifier {
    let secret = secret.to_string();
    let env = move |k: &str| (k == "AUDARMA_HOOK_SECRET").then(|| secret.clone());
    let hooks = [hook];
    let wf = WorkflowHooks { file: std::path::Path::new("workflows/demo.toml"), workflow: "demo", hooks: &hooks };
    Notifier::new(&[wf], "deliverer:1", &env).unwrap()
}

/// The signature a receiver computes: HMAC-SHA256 of the bytes received, hex, after `sha256=`.
fn expected_signature(body: &[u8]) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Matches requests signed with [`SECRET`], as a receiver checks them.
struct SignedWithTheSecret;

impl wiremock::Match for SignedWithTheSecret {
    fn matches(&self, req: &Request) -> bool {
        let sent = req.headers.get("x-audarma-signature").and_then(|v| v.to_str().ok());
        sent == Some(expected_signature(&req.body).as_str())
    }
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

async fn signed_receiver(status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hooks/audarma"))
        .and(header("content-type", "application/json"))
        .and(SignedWithTheSecret)
        .respond_with(ResponseTemplate::new(status))
        .with_priority(1)
        .mount(&server)
        .await;
    // Anything else: refused as a receiver refuses a forged request.
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(401)).with_priority(10).mount(&server).await;
    server
}

#[tokio::test]
async fn a_receiver_gets_signed_bodies_telling_the_event_and_the_job() {
    let f = fixture().await;
    let server = signed_receiver(204).await;
    let n = notifier(webhook(&format!("{}/hooks/audarma", server.uri()), &["in_review", "approved"], None), SECRET);
    let s: &dyn Store = &*f.store;
    let job = queue_job(s, "Визит в Монголию").await;
    // The first round sees the webhook for the first time: it starts from now.
    let first = n.round(s, today()).await.unwrap();
    assert_eq!((first.queued, first.attempts.len()), (0, 0));

    assert_eq!(translate(s).await, job);
    s.approve_job(job, "aigerim", None).await.unwrap();
    let round = n.round(s, today()).await.unwrap();
    assert_eq!(round.queued, 2);
    assert_eq!(round.delivered(), 2, "{:?}", round.attempts);
    assert!(round.attempts.iter().all(|o| o.status == Some(204) && o.next == Next::Done));

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    let bodies: Vec<serde_json::Value> = received.iter().map(|r| serde_json::from_slice(&r.body).unwrap()).collect();
    assert_eq!(bodies[0]["event"], "in_review");
    let approved = &bodies[1];
    assert_eq!(approved["event"], "approved");
    assert_eq!(approved["job"], job);
    assert_eq!(approved["title"], "Визит в Монголию");
    assert_eq!((approved["source_lang"].as_str(), approved["target_lang"].as_str()), (Some("ru"), Some("kk")));
    assert_eq!((approved["state"].as_str(), approved["actor"].as_str()), (Some("approved"), Some("aigerim")));
    assert_eq!((approved["workflow"].as_str(), approved["webhook"].as_str()), (Some("demo"), Some("chat")));
    let at = chrono::DateTime::parse_from_rfc3339(approved["at"].as_str().unwrap()).unwrap();
    assert!((chrono::Utc::now() - at.with_timezone(&chrono::Utc)).num_seconds() < 60);
    for (r, body) in received.iter().zip(&bodies) {
        let key = r.headers.get("idempotency-key").unwrap().to_str().unwrap();
        assert_eq!(key, body["id"].as_str().unwrap());
        assert_eq!(r.headers.get("x-audarma-event").unwrap().to_str().unwrap(), body["event"].as_str().unwrap());
        assert_eq!(r.headers.get("x-audarma-attempt").unwrap(), "1");
    }
    assert_ne!(bodies[0]["id"], bodies[1]["id"]);

    // Nothing new: nothing sent.
    let quiet = n.round(s, today()).await.unwrap();
    assert_eq!((quiet.queued, quiet.attempts.len()), (0, 0));
    let log = s.deliveries(&DeliveryFilter::default()).await.unwrap();
    assert!(log.iter().all(|d| d.state == DeliveryState::Delivered && d.attempts == 1 && d.last_status == Some(204)));

    // Signed with another secret, the receiver refuses it: a failed attempt.
    let forged = notifier(webhook(&format!("{}/hooks/audarma", server.uri()), &["failed"], None), "not-the-secret");
    let other = queue_job(s, "Подделка").await;
    forged.round(s, today()).await.unwrap();
    let claimed = s.claim_next_job("demo", LeaseOwner("host:1"), 60).await.unwrap().unwrap();
    assert_eq!(claimed.id, other);
    s.fail_job(other, claimed.lease("host:1"), "backend down", "host:1").await.unwrap();
    let refused = forged.round(s, today()).await.unwrap();
    assert_eq!(refused.attempts.len(), 1);
    assert_eq!(refused.attempts[0].status, Some(401));
    assert!(matches!(refused.attempts[0].next, Next::Retry(_)));

    // The secret is in no table, and neither is the URL.
    drop(n);
    drop(forged);
    let mut stored = Vec::new();
    for suffix in ["", "-wal"] {
        let p = format!("{}{suffix}", f.db.display());
        if let Ok(bytes) = std::fs::read(&p) {
            stored.extend(bytes);
        }
    }
    let stored = String::from_utf8_lossy(&stored);
    assert!(!stored.contains(SECRET), "the secret was stored");
    assert!(!stored.contains("/hooks/audarma"), "the URL was stored");
}

/// Answers 503 to the first `fail` requests and 200 after, noting when each came.
struct Flaky {
    fail: usize,
    seen: Arc<Mutex<Vec<Instant>>>,
}

impl Respond for Flaky {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let mut seen = self.seen.lock().unwrap();
        seen.push(Instant::now());
        if seen.len() <= self.fail {
            ResponseTemplate::new(503)
        } else {
            ResponseTemplate::new(200)
        }
    }
}

/// Runs rounds until `done` holds of the log or ten seconds passed.
async fn rounds_until(
    n: &Notifier,
    s: &dyn Store,
    done: impl Fn(&[audarma_store::DeliveryRecord]) -> bool,
) -> Vec<Next> {
    let start = Instant::now();
    let mut nexts = Vec::new();
    while start.elapsed() < Duration::from_secs(10) {
        let round = n.round(s, today()).await.unwrap();
        nexts.extend(round.attempts.iter().map(|o| o.next));
        if done(&s.deliveries(&DeliveryFilter::default()).await.unwrap()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    nexts
}

#[tokio::test]
async fn a_delivery_failing_twice_is_retried_with_backoff_under_one_key_and_logged() {
    let f = fixture().await;
    let server = MockServer::start().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("POST"))
        .and(SignedWithTheSecret)
        .respond_with(Flaky { fail: 2, seen: seen.clone() })
        .mount(&server)
        .await;
    let retry = Retry { attempts: 5, first: Duration::from_millis(300), max: Duration::from_secs(2) };
    let n = notifier(webhook(&format!("{}/hooks/audarma", server.uri()), &["in_review"], Some(retry)), SECRET);
    let s: &dyn Store = &*f.store;
    n.round(s, today()).await.unwrap();
    queue_job(s, "Заседание").await;
    let job = translate(s).await;

    let nexts = rounds_until(&n, s, |log| log.iter().all(|d| d.state == DeliveryState::Delivered)).await;
    assert!(matches!(nexts.as_slice(), [Next::Retry(_), Next::Retry(_), Next::Done]), "{nexts:?}");
    let times = seen.lock().unwrap().clone();
    assert_eq!(times.len(), 3);
    // Exponential backoff: 300 ms, then 600 ms.
    assert!(times[1] - times[0] >= Duration::from_millis(300), "{:?}", times[1] - times[0]);
    assert!(times[2] - times[1] >= Duration::from_millis(600), "{:?}", times[2] - times[1]);

    let received = server.received_requests().await.unwrap();
    let keys: Vec<&str> =
        received.iter().map(|r| r.headers.get("idempotency-key").unwrap().to_str().unwrap()).collect();
    assert!(keys.iter().all(|k| *k == keys[0]), "one key for every attempt: {keys:?}");
    assert!(received.iter().all(|r| r.body == received[0].body), "the same body every time");
    let attempts: Vec<&str> =
        received.iter().map(|r| r.headers.get("x-audarma-attempt").unwrap().to_str().unwrap()).collect();
    assert_eq!(attempts, ["1", "2", "3"]);

    let log = s.deliveries(&DeliveryFilter::default()).await.unwrap();
    assert_eq!(log.len(), 1);
    let d = &log[0];
    assert_eq!((d.state, d.attempts, d.last_status, d.job), (DeliveryState::Delivered, 3, Some(200), Some(job)));
    assert_eq!(d.last_error.as_deref(), Some("HTTP 503 Service Unavailable"));
    assert!(d.delivered_at.is_some());
}

#[tokio::test]
async fn a_delivery_is_given_up_after_its_last_attempt() {
    let f = fixture().await;
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(500)).mount(&server).await;
    let retry = Retry { attempts: 2, first: Duration::from_millis(50), max: Duration::from_millis(50) };
    let n = notifier(webhook(&format!("{}/h", server.uri()), &["in_review"], Some(retry)), SECRET);
    let s: &dyn Store = &*f.store;
    n.round(s, today()).await.unwrap();
    queue_job(s, "Совещание").await;
    translate(s).await;
    let nexts = rounds_until(&n, s, |log| log.iter().all(|d| d.state == DeliveryState::Failed)).await;
    assert!(matches!(nexts.as_slice(), [Next::Retry(_), Next::GaveUp]), "{nexts:?}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(n.round(s, today()).await.unwrap().attempts.is_empty(), "given up is given up");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    let d = &s.deliveries(&DeliveryFilter::default()).await.unwrap()[0];
    assert_eq!((d.state, d.attempts, d.last_status, d.next_at), (DeliveryState::Failed, 2, Some(500), None));
}

#[tokio::test]
async fn an_unreachable_receiver_is_an_error_that_does_not_show_the_url_path() {
    let f = fixture().await;
    // A port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let n = notifier(webhook(&format!("http://{closed}/T0/secret-token-path"), &["in_review"], None), SECRET);
    let s: &dyn Store = &*f.store;
    n.round(s, today()).await.unwrap();
    queue_job(s, "Брифинг").await;
    translate(s).await;
    let round = n.round(s, today()).await.unwrap();
    assert_eq!(round.attempts.len(), 1);
    let o = &round.attempts[0];
    let error = o.error.clone().unwrap();
    assert!(error.starts_with("cannot connect"), "{error}");
    assert!(!error.contains("secret-token-path") && !o.line().contains("secret-token-path"), "{error}");
    assert!(o
        .line()
        .starts_with(&format!("demo/chat: delivery {} (in_review of job 1), attempt 1: cannot connect", o.delivery)));
    let logged = &s.deliveries(&DeliveryFilter::default()).await.unwrap()[0];
    assert_eq!((logged.state, logged.last_status), (DeliveryState::Pending, None));
    assert!(!logged.last_error.clone().unwrap().contains("secret-token-path"));
}

#[tokio::test]
async fn a_delivery_claimed_by_a_process_that_died_is_delivered_by_the_next() {
    let f = fixture().await;
    let server = signed_receiver(200).await;
    let n = notifier(webhook(&format!("{}/hooks/audarma", server.uri()), &["in_review"], None), SECRET);
    let s: &dyn Store = &*f.store;
    n.round(s, today()).await.unwrap();
    queue_job(s, "Пресс-подход").await;
    translate(s).await;
    s.queue_deliveries(&audarma_store::Hook {
        workflow: "demo",
        name: "chat",
        events: &[audarma_store::NotifyEvent::InReview],
    })
    .await
    .unwrap();
    // Another process claims it under a short lease and dies before posting.
    let dead = s.claim_deliveries(&[("demo", "chat")], LeaseOwner("dead:9"), 0, 10).await.unwrap();
    assert_eq!(dead.len(), 1);
    tokio::time::sleep(Duration::from_millis(10)).await;
    let round = n.round(s, today()).await.unwrap();
    assert_eq!(round.attempts.len(), 1);
    assert_eq!((round.attempts[0].attempt, round.attempts[0].next), (2, Next::Done));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_job_that_becomes_due_is_told_once() {
    let f = fixture().await;
    let server = signed_receiver(200).await;
    let n = notifier(webhook(&format!("{}/hooks/audarma", server.uri()), &["deadline"], None), SECRET);
    let s: &dyn Store = &*f.store;
    let soon = queue_job(s, "Срочно").await;
    let later = queue_job(s, "Не срочно").await;
    let today = today();
    s.plan_job(soon, 1, Some(today.succ_opt().unwrap()), "aigerim").await.unwrap();
    s.plan_job(later, 0, Some(today + chrono::Days::new(5)), "aigerim").await.unwrap();
    // Even on the webhook's first round, the job that is due already is told.
    let round = n.round(s, today).await.unwrap();
    assert_eq!((round.marked_due, round.delivered()), (1, 1));
    let body: serde_json::Value = serde_json::from_slice(&server.received_requests().await.unwrap()[0].body).unwrap();
    assert_eq!((body["event"].as_str(), body["job"].as_i64()), (Some("deadline"), Some(soon)));
    assert_eq!(body["deadline"].as_str().unwrap(), today.succ_opt().unwrap().to_string());
    assert_eq!(body["state"], JobState::Queued.as_str());
    let again = n.round(s, today).await.unwrap();
    assert_eq!((again.marked_due, again.attempts.len()), (0, 0));
    // Days later the other one is due too.
    let round = n.round(s, today + chrono::Days::new(4)).await.unwrap();
    assert_eq!((round.marked_due, round.delivered()), (1, 1));
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
