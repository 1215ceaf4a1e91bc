//! "Not a problem" on the desk: dismissing findings by form and API, what that does to approval, the
//! counts on /metrics and /findings, and words added to the dictionary.

use crate::common;

use common::{Browser, TestDesk, PASSWORD};
use reqwest::Method;
use serde_json::json;

/// The findings of a job's segment that block approval, as the API shows them.
async fn blocking(d: &TestDesk, job: i64) -> Vec<(u64, serde_json::Value)> {
    let (_, v) = d.get_json("aigerim", &format!("/api/jobs/{job}")).await;
    let mut out = Vec::new();
    for s in v["segments"].as_array().unwrap() {
        for f in s["findings"].as_array().unwrap() {
            if f["blocking"] == true {
                out.push((s["idx"].as_u64().unwrap(), f.clone()));
            }
        }
    }
    out
}

async fn post_form(d: &TestDesk, b: &Browser, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    d.http.post(d.url(path)).header("cookie", &b.cookie).form(fields).send().await.unwrap()
}

fn metric(text: &str, name: &str, check: &str, pair: (&str, &str)) -> Option<u64> {
    let prefix = format!("{name}{{check=\"{check}\",source=\"{}\",target=\"{}\"}} ", pair.0, pair.1);
    text.lines().find_map(|l| l.strip_prefix(&prefix)).and_then(|n| n.parse().ok())
}

#[tokio::test]
async fn a_translator_marks_a_finding_not_a_problem_by_form_and_the_reviewer_approves_without_override() {
    let d = TestDesk::start().await;
    let found = blocking(&d, d.ru_job).await;
    let (idx, finding) = found.iter().find(|(i, f)| *i == 1 && f["check"] == "terminology").unwrap().clone();
    let message = finding["message"].as_str().unwrap().to_string();
    let b = d.login("daniyar", PASSWORD).await.unwrap();
    let (_, html) = d.page(&b, &format!("/jobs/{}", d.ru_job)).await;
    let action = format!("action=\"/jobs/{}/segments/1/dismiss\"", d.ru_job);
    assert!(html.contains(&action) && html.contains("Not a problem"), "every finding has the control");

    let path = format!("/jobs/{}/segments/{idx}/dismiss", d.ru_job);
    let fields = [("version", "1"), ("check", "terminology"), ("message", message.as_str()), ("reason", "a title")];
    // Without the form's CSRF token nothing happens.
    let res = post_form(&d, &b, &path, &fields).await;
    assert_eq!(res.status().as_u16(), 403);
    assert_eq!(blocking(&d, d.ru_job).await.len(), found.len());

    let mut with_csrf = fields.to_vec();
    with_csrf.push(("csrf", b.csrf.as_str()));
    let res = post_form(&d, &b, &path, &with_csrf).await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(res.headers()["location"], format!("/jobs/{}?done=dismissed#seg-1", d.ru_job));

    // Shown greyed with who and why, not hidden; the segment no longer counts as having an error.
    let (_, html) = d.page(&b, &format!("/jobs/{}?done=dismissed", d.ru_job)).await;
    assert!(html.contains("The finding is marked as not a problem."));
    assert!(html.contains("finding sev-error dismissed"), "{html}");
    assert!(html.contains("Marked not a problem by daniyar: a title"));
    let (_, job) = d.get_json("daniyar", &format!("/api/jobs/{}", d.ru_job)).await;
    let f = job["segments"][1]["findings"].as_array().unwrap().iter().find(|f| f["message"] == message).unwrap();
    assert_eq!((f["dismissed"]["by"].as_str(), f["dismissed"]["reason"].as_str()), (Some("daniyar"), Some("a title")));
    assert_eq!(f["blocking"], false);
    let (_, events) = d.get_json("daniyar", &format!("/api/jobs/{}/history", d.ru_job)).await;
    let e = events.as_array().unwrap().iter().find(|e| e["kind"] == "finding-dismissed").unwrap();
    assert_eq!((e["actor"].as_str(), e["detail"]["check"].as_str()), (Some("daniyar"), Some("terminology")));
    let (_, html) = d.page(&b, &format!("/jobs/{}/history", d.ru_job)).await;
    assert!(html.contains("marked a finding as not a problem, segment 1"), "{html}");

    // Dismiss whatever else blocks, by API; then approval needs no override reason.
    for (i, f) in blocking(&d, d.ru_job).await {
        let body = json!({ "check": f["check"], "message": f["message"] });
        let (s, r) = d
            .send_json("aigerim", Method::POST, &format!("/api/jobs/{}/segments/{i}/dismissals", d.ru_job), body)
            .await;
        assert_eq!(s, 201, "{r}");
    }
    let r = d.login("aigerim", PASSWORD).await.unwrap();
    let res = post_form(&d, &r, &format!("/jobs/{}/approve", d.ru_job), &[("csrf", r.csrf.as_str())]).await;
    assert_eq!(res.headers()["location"], "/queue?done=approved");
    let (_, events) = d.get_json("aigerim", &format!("/api/jobs/{}/history", d.ru_job)).await;
    assert!(!events.as_array().unwrap().iter().any(|e| e["kind"] == "override"));
}

#[tokio::test]
async fn the_api_dismisses_with_checks_on_role_csrf_version_and_input() {
    let d = TestDesk::start().await;
    let (idx, f) = blocking(&d, d.ru_job).await.into_iter().find(|(i, _)| *i == 1).unwrap();
    let path = format!("/api/jobs/{}/segments/{idx}/dismissals", d.ru_job);
    let body = json!({ "check": f["check"], "message": f["message"], "version": 1, "reason": "named on purpose" });

    // An approval is blocked while the error stands.
    let approve = format!("/api/jobs/{}/approve", d.ru_job);
    let others: Vec<_> = blocking(&d, d.ru_job).await.into_iter().filter(|(i, _)| *i != 1).collect();
    for (i, o) in &others {
        let p = format!("/api/jobs/{}/segments/{i}/dismissals", d.ru_job);
        assert_eq!(
            d.send_json("aigerim", Method::POST, &p, json!({"check": o["check"], "message": o["message"]})).await.0,
            201
        );
    }
    let (s, e) = d.send_json("aigerim", Method::POST, &approve, json!({})).await;
    assert_eq!((s, e["code"].as_str()), (422, Some("blocked_by_findings")));

    assert_eq!(d.send_json("saule", Method::POST, &path, body.clone()).await.0, 403, "glossary maintainers do not");
    let (s, e) = d.send_json("daniyar", Method::POST, &path, json!({ "check": "", "message": "x" })).await;
    assert_eq!((s, e["error"].as_str().unwrap()), (400, "check: the finding's check is missing"));
    let (s, e) = d.send_json("daniyar", Method::POST, &path, json!({ "message": "x" })).await;
    assert_eq!(s, 400, "{e}");
    let long = json!({ "check": f["check"], "message": f["message"], "reason": "x".repeat(2001) });
    let (s, e) = d.send_json("daniyar", Method::POST, &path, long).await;
    assert_eq!((s, e["error"].as_str().unwrap()), (400, "reason: at most 2000 characters"));
    let (s, e) =
        d.send_json("daniyar", Method::POST, &path, json!({ "check": "terminology", "message": "nope" })).await;
    assert_eq!((s, e["code"].as_str()), (404, Some("not_found")));
    let stale = json!({ "check": f["check"], "message": f["message"], "version": 5 });
    assert_eq!(d.send_json("daniyar", Method::POST, &path, stale).await.0, 409);

    // A browser session must send its CSRF token.
    let b = d.login("daniyar", PASSWORD).await.unwrap();
    let res = d.http.post(d.url(&path)).header("cookie", &b.cookie).json(&body).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 403);
    let res = d
        .http
        .post(d.url(&path))
        .header("cookie", &b.cookie)
        .header("x-csrf-token", &b.csrf)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 201);
    let dismissal: serde_json::Value = res.json().await.unwrap();
    assert_eq!((dismissal["by"].as_str(), dismissal["reason"].as_str()), (Some("daniyar"), Some("named on purpose")));

    // Saving the same text keeps the dismissal; a new text with the same error shows it again.
    let seg = format!("/api/jobs/{}/segments/1", d.ru_job);
    let (_, job) = d.get_json("daniyar", &format!("/api/jobs/{}", d.ru_job)).await;
    let same = job["segments"][1]["current"].as_str().unwrap().to_string();
    let (s, saved) = d.send_json("daniyar", Method::PUT, &seg, json!({ "text": same, "version": 1 })).await;
    assert_eq!(s, 200, "{saved}");
    let mine = |saved: &serde_json::Value| {
        saved["findings"].as_array().unwrap().iter().find(|x| x["message"] == f["message"]).cloned().unwrap()
    };
    assert_eq!(mine(&saved)["dismissed"]["by"], "daniyar", "{saved}");
    let other = format!("{same} Снова.");
    let (_, saved) = d.send_json("daniyar", Method::PUT, &seg, json!({ "text": other, "version": 2 })).await;
    assert!(mine(&saved).get("dismissed").is_none() && mine(&saved)["blocking"] == true, "{saved}");
    let (s, _) = d.send_json("aigerim", Method::POST, &approve, json!({})).await;
    assert_eq!(s, 422, "the resurfaced error blocks again");
}

#[tokio::test]
async fn metrics_and_the_findings_page_count_raised_and_dismissed_per_check_and_pair() {
    let d = TestDesk::start().await;
    let text = d.http.get(d.url("/metrics")).send().await.unwrap().text().await.unwrap();
    let raised = metric(&text, "audarma_findings_raised_total", "terminology", ("en", "ru")).unwrap();
    assert!(raised >= 1, "{text}");
    assert_eq!(metric(&text, "audarma_findings_dismissed_total", "terminology", ("en", "ru")), Some(0), "{text}");
    assert!(text.contains("# TYPE audarma_findings_raised_total counter"));

    let (idx, f) = blocking(&d, d.ru_job).await.into_iter().find(|(_, f)| f["check"] == "terminology").unwrap();
    let path = format!("/api/jobs/{}/segments/{idx}/dismissals", d.ru_job);
    let body = json!({ "check": "terminology", "message": f["message"] });
    assert_eq!(d.send_json("daniyar", Method::POST, &path, body.clone()).await.0, 201);
    assert_eq!(d.send_json("aigerim", Method::POST, &path, body).await.0, 201, "again: the first dismissal stands");
    let text = d.http.get(d.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert_eq!(metric(&text, "audarma_findings_raised_total", "terminology", ("en", "ru")), Some(raised));
    assert_eq!(metric(&text, "audarma_findings_dismissed_total", "terminology", ("en", "ru")), Some(1), "{text}");
    // Labels are bounded: only known check names.
    for line in text.lines().filter(|l| l.starts_with("audarma_findings_")) {
        let check = line.split("check=\"").nth(1).unwrap().split('"').next().unwrap();
        assert!(check.parse::<audarma_qa::Check>().is_ok(), "{line}");
    }

    let (_, stats) = d.get_json("daniyar", "/api/findings").await;
    let row = stats
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["check"] == "terminology" && r["source"] == "en" && r["target"] == "ru")
        .unwrap()
        .clone();
    assert_eq!((row["raised"].as_u64(), row["dismissed"].as_u64()), (Some(raised), Some(1)));

    let b = d.login("saule", PASSWORD).await.unwrap();
    let (s, html) = d.page(&b, "/findings").await;
    assert_eq!(s, 200);
    assert!(html.contains("href=\"/findings\""), "linked from the header");
    assert!(html.contains("data-check=\"terminology\" data-pair=\"en-ru\""), "{html}");
    let share = format!("{:.1}%", 100.0 / raised as f64);
    assert!(html.contains(&share), "{share} in {html}");
}

#[tokio::test]
async fn a_word_is_added_to_the_dictionary_from_a_spelling_finding_or_the_api() {
    let d = TestDesk::start().await;
    // A spelling finding as the spelling check reports it (span in characters of the target).
    let text = "Стороны обсудили безопасность в Акорде.";
    let message = "“Акорде” is not in the Russian dictionary";
    let spelling: Vec<audarma_qa::Finding> = serde_json::from_value(
        json!([{ "check": "spelling", "severity": "warning", "message": message, "start": 32, "end": 38 }]),
    )
    .unwrap();
    let v = d.store.edit_segment(d.ru_job, 2, text, &spelling, None, "test").await.unwrap();

    let b = d.login("daniyar", PASSWORD).await.unwrap();
    let (_, html) = d.page(&b, &format!("/jobs/{}", d.ru_job)).await;
    assert!(html.contains("Add “Акорде” to the dictionary"), "{html}");
    let path = format!("/jobs/{}/segments/2/words", d.ru_job);
    let version = v.to_string();
    let fields = [("version", version.as_str()), ("check", "spelling"), ("message", message), ("word", "Акорде")];
    assert_eq!(post_form(&d, &b, &path, &fields).await.status().as_u16(), 403, "CSRF token needed");
    let mut with_csrf = fields.to_vec();
    with_csrf.push(("csrf", b.csrf.as_str()));
    let res = post_form(&d, &b, &path, &with_csrf).await;
    assert_eq!(res.headers()["location"], format!("/jobs/{}?done=word-added#seg-2", d.ru_job));
    assert_eq!(d.store.words(audarma_core::Lang::Ru).await.unwrap(), ["Акорде"]);
    let (_, job) = d.get_json("daniyar", &format!("/api/jobs/{}", d.ru_job)).await;
    let f = &job["segments"][2]["findings"][0];
    assert_eq!(f["word"], "Акорде");
    assert_eq!(f["dismissed"]["reason"], "added to the ru word list: Акорде", "{f}");

    // The API: per language, once in any case, one word only, roles.
    let (s, r) = d.send_json("aigerim", Method::POST, "/api/words/kk", json!({ "word": " Ақорда " })).await;
    assert_eq!((s, r["added"].as_bool(), r["word"].as_str()), (201, Some(true), Some("Ақорда")));
    let (s, r) = d.send_json("daniyar", Method::POST, "/api/words/kk", json!({ "word": "АҚОРДА" })).await;
    assert_eq!((s, r["added"].as_bool()), (200, Some(false)));
    let (s, e) = d.send_json("daniyar", Method::POST, "/api/words/kk", json!({ "word": "two words" })).await;
    assert_eq!(s, 400);
    assert!(e["error"].as_str().unwrap().starts_with("word:"), "{e}");
    let (s, e) = d.send_json("daniyar", Method::POST, "/api/words/kk", json!({ "word": "" })).await;
    assert_eq!((s, e["error"].as_str().unwrap()), (400, "word: the word is empty"));
    let (s, e) = d.send_json("daniyar", Method::POST, "/api/words/de", json!({ "word": "Wort" })).await;
    assert_eq!((s, e["error"].as_str().unwrap()), (400, "lang: \"de\" is not en, kk or ru"));
    assert_eq!(d.send_json("saule", Method::POST, "/api/words/kk", json!({ "word": "сөз" })).await.0, 403);
    let (s, list) = d.get_json("saule", "/api/words/kk").await;
    assert_eq!((s, list["words"].clone()), (200, json!(["Ақорда"])));
    let all = d.store.events(None).await.unwrap();
    let added: Vec<_> = all.iter().filter(|e| e.kind == "word-added").map(|e| e.actor.as_str()).collect();
    assert_eq!(added, ["daniyar", "aigerim"]);
}
