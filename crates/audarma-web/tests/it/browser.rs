//! The desk in a real browser: Debian's headless Chromium driven over WebDriver (chromedriver) with
//! fantoccini. Log in, open a job, edit a segment and see its QA finding go, move on with the keyboard,
//! approve, see the job leave the queue, switch the UI to Kazakh; mark the text selected in the editor as an
//! MQM error and accept a finding as one; open the reports page and check its charts as laid out and as
//! screenshots (saved under the target's temporary directory, `browser/`).
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

    // Start segment 1 from its fuzzy memory match instead of the suggestion, then edit it in place
    // (JavaScript: PUT to the API, findings refreshed without a reload).
    c.find(Locator::Css("#seg-1 details.tm summary")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("#seg-1 button.use-match")).await.unwrap().click().await.unwrap();
    until(c, "document.querySelector('#seg-1 textarea').value.endsWith('в Алматы.')").await;
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
    // The script timed the edits in the editor: approval kept the seconds with the segments.
    let efforts = d.store.efforts(None, None).await.unwrap();
    let timed = efforts.iter().find(|e| e.job == d.ru_job && e.idx == 1).unwrap().seconds;
    assert!(timed.is_some_and(|s| s > 0.0 && s < 600.0), "{timed:?}");
    // It started from the memory match: the post-edit is measured from it (one word changed).
    let e = efforts.iter().find(|e| e.job == d.ru_job && e.idx == 1).unwrap();
    assert_eq!((e.start, e.backend.as_deref()), (audarma_core::SuggestionOrigin::Fuzzy, None), "{e:?}");
    assert!(e.fixed_terms.is_empty(), "the machine suggestion's findings are not the match's: {e:?}");
    assert!(e.fuzzy.is_some_and(|f| (60..100).contains(&f)) && e.word_edits == 1, "{e:?}");

    // Switch the UI to Kazakh.
    c.find(Locator::Css("#locale-switch option[value=kk]")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("form.lang button")).await.unwrap().click().await.unwrap();
    until(c, "document.documentElement.lang === 'kk'").await;
    let h1 = c.find(Locator::Css("main h1")).await.unwrap().text().await.unwrap();
    assert_eq!(h1, "Тексеру кезегі");

    driver.client.clone().close().await.unwrap();
}

async fn log_in(c: &Client, d: &TestDesk, name: &str) {
    c.goto(&d.url("/login")).await.unwrap();
    c.find(Locator::Css("input[name=name]")).await.unwrap().send_keys(name).await.unwrap();
    c.find(Locator::Css("input[name=password]")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    c.find(Locator::Id("login")).await.unwrap().click().await.unwrap();
    until(c, "location.pathname === '/queue'").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reviewer_marks_the_text_selected_in_the_editor_as_an_mqm_error_and_accepts_a_finding() {
    let Some(driver) = browser().await else { return };
    let d = TestDesk::start().await;
    let c = &driver.client;
    log_in(c, &d, "aigerim").await;
    c.goto(&d.url(&format!("/jobs/{}", d.ru_job))).await.unwrap();
    until(c, "document.querySelector('#seg-1 textarea') !== null").await;

    // Select «ШОС» in the editor: the script makes it the marked text of the segment's form.
    let text = "Президент принял Генерального секретаря ШОС в Астане.";
    let start = text[..text.find("ШОС").unwrap()].chars().count();
    c.execute(
        "const ta = document.querySelector('#seg-1 textarea'); ta.focus(); ta.setSelectionRange(arguments[0], arguments[1]);",
        vec![serde_json::json!(start), serde_json::json!(start + 3)],
    )
    .await
    .unwrap();
    until(c, "document.querySelector('#seg-1 form.annotate').elements.marked.value === 'ШОС'").await;
    let form = "#seg-1 form.annotate";
    // «ШОС» names another concept where the OSCE was required: the mark starts as a wrong term.
    let type_now = format!("return document.querySelector('{form}').elements.type.value;");
    assert_eq!(c.execute(&type_now, vec![]).await.unwrap(), "terminology/wrong-term");
    // «Астане» is the right term (Astana, inflected): a mark over it starts as a wrong inflection.
    let astana = text[..text.find("Астане").unwrap()].chars().count();
    let select = "const ta = document.querySelector('#seg-1 textarea'); ta.focus(); ta.setSelectionRange(arguments[0], arguments[1]);";
    c.execute(select, vec![serde_json::json!(astana), serde_json::json!(astana + 6)]).await.unwrap();
    until(c, "document.querySelector('#seg-1 form.annotate').elements.marked.value === 'Астане'").await;
    assert_eq!(c.execute(&type_now, vec![]).await.unwrap(), "terminology/wrong-inflection");
    // A word of no term: no preset.
    c.execute(select, vec![serde_json::json!(0), serde_json::json!(9)]).await.unwrap();
    until(c, "document.querySelector('#seg-1 form.annotate').elements.marked.value === 'Президент'").await;
    assert_eq!(c.execute(&type_now, vec![]).await.unwrap(), "");
    c.execute(select, vec![serde_json::json!(start), serde_json::json!(start + 3)]).await.unwrap();
    until(c, "document.querySelector('#seg-1 form.annotate').elements.marked.value === 'ШОС'").await;
    assert_eq!(
        c.execute(&format!("return document.querySelector('{form}').elements.start.value;"), vec![]).await.unwrap(),
        serde_json::json!(start.to_string())
    );
    c.find(Locator::Css("#seg-1 details.annotate summary")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css(&format!("{form} select[name=type] option[value='terminology/wrong-term']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css(&format!("{form} select[name=severity] option[value=major]")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css(&format!("{form} button[type=submit]"))).await.unwrap().click().await.unwrap();
    until(c, "location.search.includes('done=annotated')").await;
    let a = d.store.annotations(d.ru_job).await.unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!((a[0].span, a[0].created_by.as_str()), (Some((start as u32, start as u32 + 3)), "aigerim"));
    let marked = c.find(Locator::Css("#seg-1 li.annotation q.marked")).await.unwrap().text().await.unwrap();
    assert_eq!(marked, "ШОС");

    // One click on the finding beside it.
    c.find(Locator::Css("#seg-1 li.finding.sev-error form.accept-mqm button")).await.unwrap().click().await.unwrap();
    until(c, "document.querySelectorAll('#seg-1 li.annotation').length === 2").await;
    assert_eq!(d.store.annotations(d.ru_job).await.unwrap().len(), 2);
    until(c, "document.querySelector('#mqm').dataset.pass === 'false'").await;

    // Saving in place redraws the findings with their accept buttons.
    let ta = c.find(Locator::Css("#seg-2 textarea")).await.unwrap();
    ta.clear().await.unwrap();
    ta.send_keys("Стороны обсудили региональную безопасность ШОС.").await.unwrap();
    c.find(Locator::Css("#seg-2 button.save")).await.unwrap().click().await.unwrap();
    until(c, "document.querySelector('#seg-2').dataset.version === '2'").await;
    let findings = c.find_all(Locator::Css("#seg-2 li.finding")).await.unwrap().len();
    let accept = c.find_all(Locator::Css("#seg-2 li.finding form.accept-mqm")).await.unwrap().len();
    assert_eq!(accept, findings, "each redrawn finding can be accepted");

    driver.client.clone().close().await.unwrap();
}

/// The width and height of a PNG, from its header.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&png[12..16], b"IHDR");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&png[16..20]), be(&png[20..24]))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reports_page_draws_its_charts_and_a_screenshot_holds_their_structure() {
    let Some(driver) = browser().await else { return };
    let d = TestDesk::start().await;
    d.approve_for_reports().await;
    let terms = d.store.fixed_terms(None, None, 10).await.unwrap();
    let c = &driver.client;
    log_in(c, &d, "aigerim").await;
    c.find(Locator::Css("header.top nav a[href='/reports']")).await.unwrap().click().await.unwrap();
    until(c, "location.pathname === '/reports'").await;

    // What the browser laid out: per chart, its series, points, bars, titled points and its box.
    let structure = c
        .execute(
            r#"return Array.from(document.querySelectorAll('svg.chart')).map((s) => {
                 const r = s.getBoundingClientRect();
                 const marks = s.querySelectorAll('circle.point, rect.bar');
                 return { id: s.id, series: s.querySelectorAll('g.series').length,
                   lines: s.querySelectorAll('polyline.line').length,
                   points: s.querySelectorAll('circle.point').length, bars: s.querySelectorAll('rect.bar').length,
                   titled: Array.from(marks).filter((m) => m.querySelector('title') && m.querySelector('title').textContent).length,
                   labels: s.querySelectorAll('text.axis-label').length,
                   title: s.querySelector(':scope > title').textContent,
                   width: r.width, height: r.height, right: r.right };
               });"#,
            vec![],
        )
        .await
        .unwrap();
    let charts = structure.as_array().unwrap();
    let expected = [
        ("chart-hter-en-kk", 2, 2, 0),
        ("chart-hter-en-ru", 2, 2, 0),
        ("chart-mqm", 0, 0, 7),
        ("chart-terms", 0, 0, terms.len()),
    ];
    assert_eq!(charts.len(), expected.len(), "{structure}");
    let page_width = c.execute("return document.documentElement.clientWidth;", vec![]).await.unwrap().as_f64().unwrap();
    for (chart, (id, series, points, bars)) in charts.iter().zip(expected) {
        assert_eq!(chart["id"], id);
        assert_eq!(chart["series"].as_u64().unwrap() as usize, series, "{chart}");
        assert_eq!(chart["points"].as_u64().unwrap() as usize, points, "{chart}");
        assert_eq!(chart["lines"], 0, "one month: a point per backend, no line yet: {chart}");
        assert_eq!(chart["bars"].as_u64().unwrap() as usize, bars, "{chart}");
        assert_eq!(chart["titled"].as_u64().unwrap() as usize, points + bars, "every mark has its title: {chart}");
        assert_eq!(chart["labels"], 2, "{chart}");
        assert!(!chart["title"].as_str().unwrap().is_empty());
        let (w, h) = (chart["width"].as_f64().unwrap(), chart["height"].as_f64().unwrap());
        assert!(w > 300.0 && h > 100.0 && chart["right"].as_f64().unwrap() <= page_width + 0.5, "{chart}");
        // The drawn chart keeps the view box's proportions (720 × 320).
        assert!((w / h - 720.0 / 320.0).abs() < 0.05, "{chart}");
    }

    // Screenshots: the page, and each chart as the browser drew it, whose size is the chart's box.
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&dir).unwrap();
    let ratio = c.execute("return window.devicePixelRatio;", vec![]).await.unwrap().as_f64().unwrap();
    let page = c.screenshot().await.unwrap();
    let viewport = c.execute("return [window.innerWidth, window.innerHeight];", vec![]).await.unwrap();
    let (pw, ph) = png_size(&page);
    assert_eq!(
        (f64::from(pw), f64::from(ph)),
        (viewport[0].as_f64().unwrap() * ratio, viewport[1].as_f64().unwrap() * ratio),
        "the page screenshot is the viewport"
    );
    write_file(&dir.join("reports.png"), &page);
    let svgs = c.find_all(Locator::Css("svg.chart")).await.unwrap();
    for (el, chart) in svgs.iter().zip(charts) {
        // Whole in the window: an element screenshot is cut at the window's edge.
        c.execute("arguments[0].scrollIntoView({ block: 'start' });", vec![serde_json::to_value(el).unwrap()])
            .await
            .unwrap();
        let png = el.screenshot().await.unwrap();
        let (w, h) = png_size(&png);
        let (bw, bh) = (chart["width"].as_f64().unwrap() * ratio, chart["height"].as_f64().unwrap() * ratio);
        assert!((f64::from(w) - bw).abs() <= 2.0 && (f64::from(h) - bh).abs() <= 2.0, "{chart}: {w}×{h}");
        write_file(&dir.join(format!("{}.png", chart["id"].as_str().unwrap())), &png);
    }
    eprintln!("screenshots of /reports in {}", dir.display());

    driver.client.clone().close().await.unwrap();
}

/// Writes a screenshot for a person to look at (a test artefact, not a published file).
#[allow(clippy::disallowed_methods)]
fn write_file(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap();
}
