//! Webhooks through the real binary, against a local receiver that checks signatures as a real one would:
//! `notify deliver` from cron (quiet unless a delivery fails), `notify log`, the worker delivering in the
//! background, and configuration mistakes refused with the file, line and field.

use hmac::{Hmac, Mac};
use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const SECRET: &str = "e2e-hook-secret-7a6b5c4d";
const SECRET_VAR: &str = "AUDARMA_TEST_HOOK_SECRET";

struct Setup {
    dir: tempfile::TempDir,
    db: String,
    wf: PathBuf,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// A workflow of two releases (Russian and English) into Kazakh with the pseudo backend, and one
/// webhook for every event at `url`; `extra` is added to the `[[notify]]` table.
fn setup(url: &str, extra: &str) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let releases = dir.path().join("releases");
    std::fs::create_dir_all(&releases).unwrap();
    for f in ["ru-2026-05-20-zakon-o-ratifikatsii-soglasheniya.txt", "en-2026-03-12-state-visit-to-seoul.txt"] {
        std::fs::copy(root().join("examples/releases").join(f), releases.join(f)).unwrap();
    }
    let wf = dir.path().join("hooked.toml");
    std::fs::write(
        &wf,
        format!(
            "name = \"hooked\"\n[sources]\npaths = [\"releases\"]\n[languages]\ntargets = [\"kk\"]\n\
             [glossary]\npaths = [\"{}\"]\n[backend]\nkind = \"pseudo\"\n\n\
             [[notify]]\nname = \"chat\"\nurl = \"{url}\"\n\
             events = [\"in_review\", \"approved\", \"failed\", \"run_failed\", \"deadline\"]\n\
             secret_env = \"{SECRET_VAR}\"\n{extra}",
            root().join("glossaries").display()
        ),
    )
    .unwrap();
    let db = format!("sqlite:{}", dir.path().join("audarma.db").display());
    Setup { dir, db, wf }
}

impl Setup {
    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_audarma"));
        c.current_dir(root()).env("AUDARMA_DB", &self.db).env(SECRET_VAR, SECRET).env_remove("AUDARMA_LOG").args(args);
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        let out = self.cmd(args).output().unwrap();
        for stream in [&out.stdout, &out.stderr] {
            assert!(!String::from_utf8_lossy(stream).contains(SECRET), "the secret was shown by {args:?}");
        }
        out
    }

    fn wf(&self) -> &str {
        self.wf.to_str().unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut a = args.to_vec();
        a.push("--json");
        let out = self.run(&a);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A request signed with [`SECRET`]: HMAC-SHA256 of the received bytes, as a receiver checks it.
struct Signed;

impl wiremock::Match for Signed {
    fn matches(&self, req: &Request) -> bool {
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
        mac.update(&req.body);
        let expected = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
        req.headers.get("x-audarma-signature").and_then(|v| v.to_str().ok()) == Some(expected.as_str())
    }
}

async fn receiver(status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(Signed)
        .respond_with(ResponseTemplate::new(status))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(401)).with_priority(10).mount(&server).await;
    server
}

async fn bodies(server: &MockServer) -> Vec<Value> {
    server.received_requests().await.unwrap().iter().map(|r| serde_json::from_slice(&r.body).unwrap()).collect()
}

fn events(bodies: &[Value]) -> Vec<&str> {
    bodies.iter().map(|b| b["event"].as_str().unwrap()).collect()
}

fn assert_quiet(out: &Output, what: &str) {
    assert!(out.status.success(), "{what}: {:?}\n{}", out.status.code(), text(&out.stderr));
    assert!(
        out.stdout.is_empty() && out.stderr.is_empty(),
        "{what} should be quiet:\n{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

async fn set_deadline(db: &str, job: i64, deadline: chrono::NaiveDate) {
    let store = audarma_store_sqlite::SqliteStore::open(db).await.unwrap();
    audarma_store::Store::plan_job(&store, job, 0, Some(deadline), "aigerim").await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cron_delivers_signed_events_quietly_and_the_log_shows_them() {
    let server = receiver(200).await;
    let s = setup(&format!("{}/hooks/audarma", server.uri()), "");
    // The first delivery sees the webhook for the first time: nothing to send, nothing said.
    assert_quiet(&s.run(&["notify", "deliver", s.wf()]), "the first deliver");

    let run = s.run(&["run", s.wf()]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert_quiet(&s.run(&["notify", "deliver", s.wf()]), "deliver");
    let got = bodies(&server).await;
    assert_eq!(events(&got), ["in_review", "in_review"]);
    let jobs: Vec<i64> = got.iter().map(|b| b["job"].as_i64().unwrap()).collect();
    assert!(got.iter().all(|b| b["target_lang"] == "kk" && b["workflow"] == "hooked" && b["state"] == "in_review"));
    let titles: Vec<&str> = got.iter().map(|b| b["title"].as_str().unwrap()).collect();
    assert!(titles.iter().any(|t| t.contains("Seoul")), "{titles:?}");

    // A reviewer approves one; the press office sets the other's deadline for today.
    let approve = s.run(&["approve", &jobs[0].to_string(), "--override", "checked by hand", "--as", "aigerim"]);
    assert!(approve.status.success(), "{}", text(&approve.stderr));
    set_deadline(&s.db, jobs[1], chrono::Local::now().date_naive()).await;
    assert_quiet(&s.run(&["notify", "deliver", s.wf()]), "deliver");
    let got = bodies(&server).await;
    assert_eq!(events(&got[2..]), ["approved", "deadline"]);
    assert_eq!((got[2]["job"].as_i64(), got[2]["actor"].as_str()), (Some(jobs[0]), Some("aigerim")));
    assert_eq!(got[2]["state"], "approved");
    assert_eq!(got[3]["job"].as_i64(), Some(jobs[1]));
    assert_eq!(got[3]["deadline"].as_str().unwrap(), chrono::Local::now().date_naive().to_string());

    // A run that cannot read a source fails as a whole: told with its problem.
    std::fs::write(s.dir.path().join("releases/broken.txt"), [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    let failed_run = s.run(&["run", s.wf()]);
    assert_eq!(failed_run.status.code(), Some(1), "{}", text(&failed_run.stderr));
    assert_quiet(&s.run(&["notify", "deliver", s.wf()]), "deliver");
    let got = bodies(&server).await;
    assert_eq!(events(&got[4..]), ["run_failed"]);
    let problems = got[4]["problems"].as_array().unwrap();
    assert!(problems[0].as_str().unwrap().contains("broken.txt"), "{problems:?}");
    assert!(got[4].get("job").is_none());

    // Each event once: nothing more to send.
    assert_quiet(&s.run(&["notify", "deliver", s.wf()]), "deliver");
    assert_eq!(server.received_requests().await.unwrap().len(), 5);
    let keys: std::collections::BTreeSet<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.headers["idempotency-key"].to_str().unwrap().to_string())
        .collect();
    assert_eq!(keys.len(), 5);

    // The log: every delivery, delivered at the first attempt.
    let log = s.json(&["notify", "log", "--workflow", "hooked"]);
    let log = log["deliveries"].as_array().unwrap();
    assert_eq!(log.len(), 5);
    assert!(log.iter().all(|d| d["state"] == "delivered" && d["attempts"] == 1 && d["last_status"] == 200), "{log:?}");
    assert_eq!(log[0]["event"], "run_failed", "newest first");
    let table = text(&s.run(&["notify", "log"]).stdout);
    assert!(table.starts_with("    ID  WEBHOOK"), "{table}");
    assert_eq!(table.lines().filter(|l| l.contains("hooked/chat") && l.contains("delivered")).count(), 5, "{table}");
    assert!(text(&s.run(&["notify", "log", "--workflow", "other"]).stdout).contains("no deliveries"));

    // Neither the secret nor the URL is in the database.
    let stored = std::fs::read(s.dir.path().join("audarma.db")).unwrap();
    let stored = String::from_utf8_lossy(&stored);
    assert!(!stored.contains(SECRET) && !stored.contains("/hooks/audarma"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_receiver_is_said_on_stderr_retried_and_logged() {
    let server = receiver(500).await;
    let s = setup(&format!("{}/hooks/T0-token-in-path", server.uri()), "backoff_secs = 1\n");
    assert_quiet(&s.run(&["notify", "deliver", s.wf()]), "the first deliver");
    assert!(s.run(&["run", s.wf()]).status.success());
    let out = s.run(&["notify", "deliver", s.wf()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    for l in &lines {
        assert!(l.starts_with("audarma: hooked/chat: delivery "), "{l}");
        assert!(
            l.contains("(in_review of job ") && l.contains("attempt 1: HTTP 500 Internal Server Error; retried at "),
            "{l}"
        );
    }
    assert!(!err.contains("T0-token-in-path"), "the URL's path was shown: {err}");
    assert!(out.stdout.is_empty());

    // Not due yet: nothing tried, nothing said.
    assert_quiet(&s.run(&["notify", "deliver", s.wf()]), "a deliver before the retry is due");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    // Due after a second: tried again, failing again.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let out = s.run(&["notify", "deliver", s.wf()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("attempt 2: HTTP 500"), "{}", text(&out.stderr));

    let log = s.json(&["notify", "log", "--state", "pending"]);
    let log = log["deliveries"].as_array().unwrap();
    assert_eq!(log.len(), 2);
    assert!(log
        .iter()
        .all(|d| d["attempts"] == 2 && d["last_status"] == 500 && d["last_error"] == "HTTP 500 Internal Server Error"));
    let table = text(&s.run(&["notify", "log"]).stdout);
    assert!(table.contains("pending") && table.contains("next ") && table.contains("HTTP 500"), "{table}");

    // The webhook taken out of the file: its pending deliveries are given up, once, and said so.
    let posted = server.received_requests().await.unwrap().len();
    let file = std::fs::read_to_string(&s.wf).unwrap();
    std::fs::write(&s.wf, &file[..file.find("[[notify]]").unwrap()]).unwrap();
    let out = s.run(&["notify", "deliver", s.wf()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("gave up 2 pending deliveries of webhooks no longer in it"),
        "{}",
        text(&out.stderr)
    );
    assert!(s.json(&["notify", "log", "--state", "pending"])["deliveries"].as_array().unwrap().is_empty());
    let failed = s.json(&["notify", "log", "--state", "failed"]);
    let failed = failed["deliveries"].as_array().unwrap();
    assert_eq!(failed.len(), 2);
    assert!(failed.iter().all(|d| d["last_error"].as_str().unwrap().starts_with("the webhook is no longer in ")));
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(server.received_requests().await.unwrap().len(), posted, "nothing posted after the removal");
    // Nothing left to give up, no webhook: the usual mistake.
    let out = s.run(&["notify", "deliver", s.wf()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
}

/// Waits until the receiver got `n` requests (or 30 seconds passed).
async fn received(server: &MockServer, n: usize) {
    let start = Instant::now();
    while server.received_requests().await.unwrap().len() < n && start.elapsed() < Duration::from_secs(30) {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_delivers_in_the_background_tells_a_lasting_failure_once_and_stops_on_sigterm() {
    let server = receiver(200).await;
    let s = setup(&format!("{}/hooks/audarma", server.uri()), "");
    // A source that stays unreadable: every round of the worker fails the same way.
    std::fs::write(s.dir.path().join("releases/broken.txt"), [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    let mut worker = s
        .cmd(&["worker", s.wf(), "--poll", "1", "--notify-every", "1"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    received(&server, 3).await;
    // Several more rounds, each failing as before.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let term = Command::new("kill").args(["-TERM", &worker.id().to_string()]).status().unwrap();
    assert!(term.success());
    let status = worker.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{status:?}");
    let got = bodies(&server).await;
    let mut told = events(&got);
    told.sort_unstable();
    assert_eq!(told, ["in_review", "in_review", "run_failed"], "each job told once, the lasting failure once");
    let history = s.json(&["history"]);
    let failed_runs = history["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "run-failed").count();
    assert_eq!(failed_runs, 1, "logged once, not every round");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_desk_delivers_its_workflows_webhooks_in_the_background() {
    use std::io::BufRead;
    let server = receiver(200).await;
    let s = setup(&format!("{}/hooks/audarma", server.uri()), "");
    let mut desk = s
        .cmd(&["serve", "--addr", "127.0.0.1:0", "--workflow", s.wf(), "--notify-every", "1"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The desk says its address once it serves, after its first round has seen the webhook.
    let mut line = String::new();
    std::io::BufReader::new(desk.stderr.take().unwrap()).read_line(&mut line).unwrap();
    assert!(line.starts_with("review desk on http://"), "{line}");
    // Jobs reach review in another process (cron's run); the desk tells the webhook.
    assert!(s.run(&["run", s.wf()]).status.success());
    received(&server, 2).await;
    desk.kill().unwrap();
    desk.wait().unwrap();
    assert_eq!(events(&bodies(&server).await), ["in_review", "in_review"]);
}

#[test]
fn webhook_mistakes_are_refused_naming_the_file_line_and_field() {
    let s = setup("https://hooks.example.kz/audarma", "");
    let wf = std::fs::read_to_string(&s.wf).unwrap();
    let bad = Setup { wf: s.dir.path().join("bad.toml"), db: s.db.clone(), dir: tempfile::tempdir().unwrap() };
    let line = wf.lines().position(|l| l.starts_with("events")).unwrap() + 1;
    std::fs::write(&bad.wf, wf.replace("\"approved\"", "\"aproved\"")).unwrap();
    let out = bad.run(&["workflow", "check", bad.wf()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains(&format!("bad.toml:{line}: `notify[0].events`: \"aproved\" is not an event")), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let out = bad.run(&["notify", "deliver", bad.wf()]);
    assert_eq!(out.status.code(), Some(2));

    std::fs::write(&bad.wf, wf.replace("https://hooks.example.kz", "http://hooks.example.kz")).unwrap();
    let err = text(&bad.run(&["workflow", "check", bad.wf()]).stderr);
    assert!(err.contains("`notify[0].url`: must be https"), "{err}");

    // The secret's variable is read when deliveries start: its absence names the file and the field.
    for args in [
        vec!["notify", "deliver", s.wf()],
        vec!["worker", s.wf()],
        vec!["serve", "--workflow", s.wf(), "--addr", "127.0.0.1:0"],
    ] {
        let out = s.cmd(&args).env_remove(SECRET_VAR).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        let err = text(&out.stderr);
        assert!(
            err.contains(&format!(
                "{}: `notify[0].secret_env`: the environment variable {SECRET_VAR} is not set",
                s.wf.display()
            )),
            "{args:?}: {err}"
        );
    }

    // A workflow without webhooks has nothing to deliver.
    let plain = s.dir.path().join("plain.toml");
    std::fs::write(&plain, &wf[..wf.find("[[notify]]").unwrap()]).unwrap();
    let out = s.run(&["notify", "deliver", plain.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no `[[notify]]` table"), "{}", text(&out.stderr));
}
