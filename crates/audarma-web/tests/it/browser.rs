//! The desk in a real browser: Debian's headless Chromium driven over WebDriver (chromedriver) with
//! fantoccini. Log in, open a job, edit a segment and see its QA finding go, move on with the keyboard,
//! approve, see the job leave the queue, switch the UI to Kazakh.
//!
//! Skipped, saying so, when `/usr/bin/chromium` or `/usr/bin/chromedriver` is missing (Debian packages
//! `chromium` and `chromium-driver`; `.ci/run` installs them). With `AUDARMA_REQUIRE_BROWSER=1` a missing
//! browser fails the test instead.

use crate::common;

use common::{TestDesk, PASSWORD};
use fantoccini::{key::Key, Client, ClientBuilder, Locator};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

struct Driver {
    child: Child,
    _profile: tempfile::TempDir,
    client: Client,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn browser() -> Option<Driver> {
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        let msg = format!(
            "SKIPPED browser test: {CHROMIUM} or {CHROMEDRIVER} is missing (apt-get install chromium chromium-driver)"
        );
        if std::env::var("AUDARMA_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
            panic!("{msg}, and AUDARMA_REQUIRE_BROWSER=1");
        }
        eprintln!("{msg}");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let profile = tempfile::tempdir().unwrap();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic", "--lang=en-US", "--window-size=1400,1000",
                format!("--user-data-dir={}", profile.path().display()),
            ],
            "prefs": { "intl.accept_languages": "en-US,en" },
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    let mut last = None;
    for _ in 0..100 {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector).capabilities(caps.clone()).connect(&url).await {
            Ok(client) => return Some(Driver { child, _profile: profile, client }),
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not start a session: {last:?}");
}

/// Waits until `script` (a JavaScript expression) is true in the page.
async fn until(c: &Client, script: &str) {
    for _ in 0..100 {
        let v = c.execute(&format!("return !!({script});"), vec![]).await.unwrap();
        if v == serde_json::Value::Bool(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let html = c.source().await.unwrap_or_default();
    panic!("timed out waiting for {script}; page:\n{}", &html[..html.len().min(3000)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reviewer_edits_sees_the_finding_go_approves_and_switches_to_kazakh() {
    let Some(driver) = browser().await else { return };
    let d = TestDesk::start().await;
    let c = &driver.client;

    // Log in.
    c.goto(&d.url("/login")).await.unwrap();
    c.find(Locator::Css("input[name=name]")).await.unwrap().send_keys("aigerim").await.unwrap();
    c.find(Locator::Css("input[name=password]")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    c.find(Locator::Id("login")).await.unwrap().click().await.unwrap();
    until(c, "location.pathname === '/queue'").await;

    // Open the job from the queue.
    c.find(Locator::Css(&format!("a.job-link[href='/jobs/{}']", d.ru_job))).await.unwrap().click().await.unwrap();
    until(c, &format!("location.pathname === '/jobs/{}'", d.ru_job)).await;
    until(c, "document.querySelector('#seg-1').classList.contains('has-error')").await;
    let finding = c.find(Locator::Css("#seg-1 li.finding.sev-error")).await.unwrap().text().await.unwrap();
    assert!(finding.contains("terminology"), "{finding}");

    // Edit segment 1 in place (JavaScript: PUT to the API, findings refreshed without a reload).
    let ta = c.find(Locator::Css("#seg-1 textarea")).await.unwrap();
    ta.clear().await.unwrap();
    ta.send_keys("Глава государства принял Генерального секретаря ОБСЕ в Астане.").await.unwrap();
    c.find(Locator::Css("#seg-1 button.save")).await.unwrap().click().await.unwrap();
    until(c, "document.querySelector('#seg-1').dataset.version === '2'").await;
    until(c, "!document.querySelector('#seg-1').classList.contains('has-error')").await;
    assert!(c.find_all(Locator::Css("#seg-1 li.finding.sev-error")).await.unwrap().is_empty());
    assert_eq!(c.current_url().await.unwrap().path(), format!("/jobs/{}", d.ru_job), "saved without leaving the page");

    // Keyboard: Ctrl+Enter in the title saves it and moves to the next segment.
    let title = c.find(Locator::Css("#seg-0 textarea")).await.unwrap();
    title.click().await.unwrap();
    title.send_keys(&format!(" {}{}{}", Key::Control, Key::Enter, Key::Null)).await.unwrap();
    until(c, "document.querySelector('#seg-0').dataset.version === '2'").await;
    until(c, "document.activeElement && document.activeElement.closest('#seg-1') !== null").await;

    // The saved text is in the store, by this user.
    let (_, job) = d.get_json("aigerim", &format!("/api/jobs/{}", d.ru_job)).await;
    assert_eq!(job["segments"][1]["current"], "Глава государства принял Генерального секретаря ОБСЕ в Астане.");

    // Approve; the job leaves the review queue.
    c.find(Locator::Id("approve")).await.unwrap().click().await.unwrap();
    until(c, "location.pathname === '/queue'").await;
    c.goto(&d.url("/queue?state=in_review")).await.unwrap();
    let links = c.find_all(Locator::Css(&format!("a.job-link[href='/jobs/{}']", d.ru_job))).await.unwrap();
    assert!(links.is_empty(), "the approved job is still in review");
    assert!(!c.find_all(Locator::Css(&format!("a.job-link[href='/jobs/{}']", d.kk_job))).await.unwrap().is_empty());

    // Switch the UI to Kazakh.
    c.find(Locator::Css("#locale-switch option[value=kk]")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("form.lang button")).await.unwrap().click().await.unwrap();
    until(c, "document.documentElement.lang === 'kk'").await;
    let h1 = c.find(Locator::Css("main h1")).await.unwrap().text().await.unwrap();
    assert_eq!(h1, "Тексеру кезегі");

    driver.client.clone().close().await.unwrap();
}
