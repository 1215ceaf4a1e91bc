//! The desk under attack: what a hostile user or script tried (issue 12's hostile test of the built
//! binaries) and what the desk does instead. Each test fails without its fix.
use crate::common;
use common::{TestDesk, PASSWORD};
use reqwest::Method;
use serde_json::json;

/// A long segment of ordinary press text, `n` characters or just under.
fn long_segment(n: usize) -> String {
    let sentence = "Глава государства обсудил с Генеральным секретарём ОБСЕ вопросы региональной безопасности. ";
    let mut s = sentence.repeat(n / sentence.chars().count() + 1);
    while s.chars().count() > n {
        s.pop();
    }
    s.trim_end().to_string()
}

#[tokio::test]
async fn two_translators_taking_the_same_job_at_once_one_gets_it() {
    let d = TestDesk::start().await;
    for round in 0..10 {
        let job = if round % 2 == 0 { d.kk_job } else { d.ru_job };
        // Free the job (a reviewer's decision), then both translators take it at the same moment.
        let path = format!("/api/jobs/{job}/assign");
        assert_eq!(d.send_json("aigerim", Method::POST, &path, json!({ "assignee": null })).await.0, 200);
        let (a, b) = tokio::join!(
            d.send_json("daniyar", Method::POST, &path, json!({ "assignee": "daniyar" })),
            d.send_json("bolat", Method::POST, &path, json!({ "assignee": "bolat" })),
        );
        let mut statuses = [a.0, b.0];
        statuses.sort_unstable();
        // The loser is refused: by the one conditional write (409, `taken`) or, when the winner's write
        // came first, by the check that someone has it (403).
        assert!(statuses == [200, 409] || statuses == [200, 403], "round {round}: {statuses:?} {a:?} {b:?}");
        let (_, j) = d.get_json("aigerim", &format!("/api/jobs/{job}")).await;
        let winner = if a.0 == 200 { "daniyar" } else { "bolat" };
        assert_eq!(j["assignee"], winner, "round {round}: the job is the winner's");
    }
}

#[tokio::test]
async fn only_the_assignee_or_a_reviewer_edits_an_assigned_job() {
    let d = TestDesk::start().await;
    let job = d.ru_job;
    let seg = format!("/api/jobs/{job}/segments/1");
    let assign = format!("/api/jobs/{job}/assign");
    assert_eq!(d.send_json("bolat", Method::POST, &assign, json!({ "assignee": "bolat" })).await.0, 200);
    let edit = |v: i64| json!({ "text": "Глава государства принял делегацию.", "version": v });
    let (status, body) = d.send_json("daniyar", Method::PUT, &seg, edit(1)).await;
    assert_eq!(status, 403, "{body}");
    assert!(body["error"].as_str().unwrap().contains("assigned to bolat"), "{body}");
    let (status, body) = d.send_json("bolat", Method::PUT, &seg, edit(1)).await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = d.send_json("aigerim", Method::PUT, &seg, edit(2)).await;
    assert_eq!(status, 200, "a reviewer edits any job");
    // Unassigned again, anyone who edits may.
    assert_eq!(d.send_json("bolat", Method::POST, &assign, json!({ "assignee": null })).await.0, 200);
    assert_eq!(d.send_json("daniyar", Method::PUT, &seg, edit(3)).await.0, 200);
}

#[tokio::test]
async fn a_queue_search_of_a_thousand_words_is_a_400_naming_the_limit() {
    let d = TestDesk::start().await;
    let q = vec!["a"; 1000].join("+");
    let (status, body) = d.get_json("daniyar", &format!("/api/jobs?q={q}")).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["code"], "bad_request");
    assert!(body["error"].as_str().unwrap().starts_with("q: at most 16 words"), "{body}");
    let b = d.login("daniyar", PASSWORD).await.unwrap();
    let (status, _) = d.page(&b, &format!("/queue?q={q}")).await;
    assert_eq!(status, 400, "the queue page says so too, not 500");
}

#[tokio::test]
async fn escape_sequences_in_edits_and_comments_are_refused_naming_the_character() {
    let d = TestDesk::start().await;
    let seg = format!("/api/jobs/{}/segments/1", d.ru_job);
    let (status, body) = d
        .send_json("daniyar", Method::PUT, &seg, json!({ "text": "Переговоры\u{1b}[2J в Астане.", "version": 1 }))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "text: contains the control character U+001B; remove it");
    let comments = format!("/api/jobs/{}/comments", d.ru_job);
    let (status, body) = d.send_json("daniyar", Method::POST, &comments, json!({ "body": "look\u{7}" })).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "body: contains the control character U+0007; remove it");
    let (_, job) = d.get_json("daniyar", &format!("/api/jobs/{}", d.ru_job)).await;
    assert!(!job.to_string().contains("\\u001b") && job["comments"].as_array().unwrap().is_empty(), "nothing stored");
}

#[tokio::test]
async fn metrics_labels_are_bounded_and_a_token_can_be_required() {
    let d = TestDesk::start().await;
    let size = |d: &TestDesk| {
        let url = d.url("/metrics");
        let http = d.http.clone();
        async move { http.get(url).send().await.unwrap().text().await.unwrap().lines().count() }
    };
    // One request of each kind the desk knows, then many with invented methods.
    let _ = d.http.request(Method::from_bytes(b"FOO0").unwrap(), d.url("/queue")).send().await.unwrap();
    let before = size(&d).await;
    for i in 1..200 {
        let m = Method::from_bytes(format!("FOO{i}").as_bytes()).unwrap();
        let _ = d.http.request(m, d.url("/queue")).send().await.unwrap();
    }
    let after = size(&d).await;
    assert!(after <= before + 20, "invented methods made new series: {before} → {after} lines");
    let text = d.http.get(d.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(text.contains("method=\"other\"") && !text.contains("FOO1"), "{text}");

    let config = audarma_web::DeskConfig { metrics_token: Some("s3cret-metrics".into()), ..Default::default() };
    let d = TestDesk::start_with(config).await;
    let get = |auth: Option<&str>| {
        let mut r = d.http.get(d.url("/metrics"));
        if let Some(a) = auth {
            r = r.header("authorization", a);
        }
        r.send()
    };
    assert_eq!(get(None).await.unwrap().status().as_u16(), 401);
    assert_eq!(get(Some("Bearer wrong")).await.unwrap().status().as_u16(), 401);
    let res = get(Some("Bearer s3cret-metrics")).await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.text().await.unwrap().contains("audarma_jobs"));
    assert!(
        !format!(
            "{:?}",
            audarma_web::DeskConfig { metrics_token: Some("s3cret-metrics".into()), ..Default::default() }
        )
        .contains("s3cret"),
        "the token is never in Debug output"
    );
}

#[tokio::test]
async fn an_edit_or_a_body_over_the_limit_is_a_413_naming_it() {
    let d = TestDesk::start().await;
    let seg = format!("/api/jobs/{}/segments/1", d.ru_job);
    let max = audarma_web::desk::MAX_SEGMENT_CHARS;
    let (status, body) =
        d.send_json("daniyar", Method::PUT, &seg, json!({ "text": "я".repeat(max + 1), "version": 1 })).await;
    assert_eq!((status, body["code"].as_str()), (413, Some("too_large")), "{body}");
    assert_eq!(body["error"], format!("text: a segment has at most {max} characters (this one has {})", max + 1));
    let (status, body) =
        d.send_json("daniyar", Method::PUT, &seg, json!({ "text": "я".repeat(400_000), "version": 1 })).await;
    assert_eq!((status, body["code"].as_str()), (413, Some("too_large")), "a body over the desk's limit: {body}");
    let (status, _) =
        d.send_json("daniyar", Method::PUT, &seg, json!({ "text": long_segment(max), "version": 1 })).await;
    assert_eq!(status, 200, "the longest allowed segment is saved");
    let comments = format!("/api/jobs/{}/comments", d.ru_job);
    let (status, body) = d.send_json("daniyar", Method::POST, &comments, json!({ "body": "x".repeat(10_001) })).await;
    assert_eq!((status, body["error"].as_str()), (413, Some("body: a comment has at most 10000 characters")));
}

#[tokio::test]
async fn the_health_check_answers_while_the_heaviest_edits_and_histories_run() {
    let d = TestDesk::start().await;
    let max = audarma_web::desk::MAX_SEGMENT_CHARS;
    let seg = |n: u32| format!("/api/jobs/{}/segments/{n}", d.ru_job);
    // A history of long edits, each changing a little of a long text.
    let mut text = long_segment(max);
    for v in 1..=6 {
        text = text.replacen("безопасности", &format!("безопасности {v}"), 1);
        text.truncate(text.char_indices().nth(max).map_or(text.len(), |(i, _)| i));
        let (status, body) = d.send_json("daniyar", Method::PUT, &seg(1), json!({ "text": text, "version": v })).await;
        assert_eq!(status, 200, "{body}");
    }
    let b = d.login("daniyar", PASSWORD).await.unwrap();
    let history = format!("/jobs/{}/history", d.ru_job);
    let seg2 = seg(2);
    let heavy = async {
        for round in 0..3 {
            let edits = (0..4).map(|i| {
                let body = json!({ "text": long_segment(max - i * 7 - round), "version": 1 });
                d.send_json("daniyar", Method::PUT, &seg2, body)
            });
            let views = (0..2).map(|_| d.page(&b, &history));
            // And the edit that froze the desk: 200 KB of words (refused at once now; checking it took
            // seconds on the async workers).
            let huge =
                d.send_json("daniyar", Method::PUT, &seg2, json!({ "text": "word ".repeat(40_000), "version": 1 }));
            let (_, _, (status, _)) =
                tokio::join!(futures_util::future::join_all(edits), futures_util::future::join_all(views), huge);
            assert_eq!(status, 413);
        }
    };
    let probe = async {
        let mut times = Vec::new();
        for _ in 0..7 {
            tokio::time::sleep(std::time::Duration::from_millis(30)).await;
            let start = std::time::Instant::now();
            let res = d.http.get(d.url("/healthz")).send().await.unwrap();
            assert_eq!(res.status().as_u16(), 200);
            times.push(start.elapsed());
        }
        times.sort();
        times
    };
    let (_, times) = tokio::join!(heavy, probe);
    let median = times[times.len() / 2];
    assert!(median < std::time::Duration::from_millis(100), "/healthz waited on the heavy requests: {times:?}");
}

#[tokio::test]
async fn every_api_error_is_json_and_paging_the_queue_works() {
    let d = TestDesk::start().await;
    for (method, path, status) in [
        (Method::GET, "/api/jobs/not-a-number", 400),
        (Method::GET, "/api/jobs?limit=lots", 400),
        (Method::DELETE, "/api/jobs", 405),
        (Method::GET, "/api/no/such/thing", 404),
    ] {
        let res = d.as_user("daniyar", method.clone(), path).send().await.unwrap();
        assert_eq!(res.status().as_u16(), status, "{method} {path}");
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/json"), "{method} {path}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert!(body["error"].is_string() && body["code"].is_string(), "{method} {path}: {body}");
    }
    let (status, page) = d.get_json("daniyar", "/api/jobs?offset=1&limit=1").await;
    assert_eq!(status, 200, "{page}");
    let b = d.login("daniyar", PASSWORD).await.unwrap();
    for path in ["/queue?offset=1", "/queue?page=2", "/queue?limit=&offset="] {
        assert_eq!(d.page(&b, path).await.0, 200, "{path}");
    }
}

#[tokio::test]
async fn every_page_form_refuses_a_missing_or_wrong_csrf_token_and_changes_nothing() {
    let d = TestDesk::start().await;
    let admin = d.login("admin", PASSWORD).await.unwrap();
    let (ru, kk) = (d.ru_job, d.kk_job);
    // Every POST route of the pages with fields that would be accepted with the right token.
    let forms: Vec<(String, Vec<(&str, &str)>)> = vec![
        (format!("/jobs/{ru}/segments/1"), vec![("version", "1"), ("text", "Изменено.")]),
        (format!("/jobs/{ru}/segments/1/dismiss"), vec![("check", "terminology"), ("message", "x")]),
        (format!("/jobs/{ru}/segments/1/words"), vec![("word", "Акорда")]),
        (format!("/jobs/{kk}/approve"), vec![("override_reason", "because")]),
        (format!("/jobs/{kk}/reject"), vec![("reason", "because")]),
        (format!("/jobs/{kk}/assign"), vec![("assignee", "daniyar")]),
        (format!("/jobs/{kk}/comments"), vec![("body", "a note")]),
        (format!("/jobs/{kk}/segments/1/annotations"), vec![("type", "accuracy/omission"), ("severity", "minor")]),
        (format!("/jobs/{kk}/annotations/1/remove"), vec![]),
        ("/admin/users".to_string(), vec![("name", "newcomer"), ("role", "translator"), ("password", "0123456789ab")]),
        ("/admin/users/daniyar/role".to_string(), vec![("role", "reviewer")]),
        ("/admin/users/daniyar/disable".to_string(), vec![]),
        ("/admin/users/daniyar/sessions/end".to_string(), vec![]),
        ("/account/password".to_string(), vec![("current", PASSWORD), ("new", "a new long passphrase")]),
        ("/account/sessions/end".to_string(), vec![]),
        ("/account/feed-token".to_string(), vec![]),
        ("/admin/users/daniyar/password".to_string(), vec![("new", "a new long passphrase")]),
        ("/admin/tokens/1/revoke".to_string(), vec![]),
        ("/logout".to_string(), vec![]),
    ];
    let before = d.get_json("admin", "/api/users").await;
    let events_before = d.get_json("admin", &format!("/api/jobs/{kk}/history")).await;
    for (path, fields) in &forms {
        for csrf in [None, Some("not-the-token")] {
            let mut f: Vec<(&str, &str)> = fields.clone();
            if let Some(c) = csrf {
                f.push(("csrf", c));
            }
            let res = d.http.post(d.url(path)).header("cookie", &admin.cookie).form(&f).send().await.unwrap();
            assert_eq!(res.status().as_u16(), 403, "{path} with csrf {csrf:?}");
        }
    }
    assert_eq!(d.get_json("admin", "/api/users").await, before, "no user added or changed");
    assert_eq!(d.get_json("admin", &format!("/api/jobs/{kk}/history")).await, events_before, "nothing logged");
    let (status, _) = d.page(&admin, "/queue").await;
    assert_eq!(status, 200, "the session survived the forged logout");
    let feed_tokens =
        d.store.events(None).await.unwrap().into_iter().filter(|e| e.kind == "feed-token-created").count();
    assert_eq!(feed_tokens, 0, "no feed link made");
}
