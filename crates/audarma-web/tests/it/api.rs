//! The JSON API against the real server on a free port with a fresh database: every endpoint, and
//! what it refuses (no credentials, the wrong role, a missing CSRF token, a stale version).

use crate::common;

use common::{TestDesk, PASSWORD, XSS_BODY, XSS_TITLE};
use reqwest::Method;
use serde_json::json;

/// Decodes the entities askama writes (`&#60;`, `&#39;`, `&amp;` …).
fn unescape(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|e| *e < 10);
        let decoded = end.and_then(|e| match &rest[1..e] {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            n if n.starts_with("#x") => u32::from_str_radix(&n[2..], 16).ok().and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn terminology_errors(seg: &serde_json::Value) -> usize {
    seg["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check"] == "terminology" && f["severity"] == "error")
        .count()
}

#[tokio::test]
async fn without_credentials_nothing_is_shown_and_pages_send_to_login() {
    let d = TestDesk::start().await;
    for path in ["/api/jobs", &format!("/api/jobs/{}", d.ru_job), "/api/glossary?q=OSCE", "/api/me"] {
        let res = d.http.get(d.url(path)).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 401, "{path}");
        assert_eq!(res.headers()["www-authenticate"], "Bearer");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["code"], "unauthorized");
    }
    let res = d.http.get(d.url("/api/jobs")).bearer_auth("aud_not-a-token").send().await.unwrap();
    assert_eq!(res.status().as_u16(), 401);
    let res = d.http.get(d.url("/queue?state=in_review")).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(res.headers()["location"], "/login?next=/queue%3Fstate%3Din_review");
    // Health, metrics and the API description need no login.
    assert_eq!(d.http.get(d.url("/healthz")).send().await.unwrap().status().as_u16(), 200);
    assert_eq!(d.http.get(d.url("/api/openapi.json")).send().await.unwrap().status().as_u16(), 200);
}

#[tokio::test]
async fn jobs_are_listed_filtered_searched_and_paged() {
    let d = TestDesk::start().await;
    let (s, all) = d.get_json("daniyar", "/api/jobs").await;
    assert_eq!(s, 200);
    assert_eq!(all["total"], 3);
    let (_, ru) = d.get_json("daniyar", "/api/jobs?state=in_review&lang=ru").await;
    assert_eq!(ru["total"], 1);
    assert_eq!(ru["jobs"][0]["id"], d.ru_job);
    // Text search folds case in Cyrillic too, and finds words of the body.
    let (_, found) = d.get_json("daniyar", "/api/jobs?q=%D0%B2%D0%A1%D0%A2%D0%A0%D0%95%D0%A7%D0%90").await; // "вСТРЕЧА"
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(found["jobs"][0]["id"], d.xss_job);
    let (_, found) = d.get_json("daniyar", "/api/jobs?q=regional%20security").await;
    assert_eq!(found["total"], 2);
    let (_, page) = d.get_json("daniyar", "/api/jobs?limit=2&offset=2").await;
    assert_eq!((page["total"].as_u64(), page["jobs"].as_array().unwrap().len()), (Some(3), 1));
    for (query, field) in [("state=done", "state"), ("lang=de", "lang"), ("sort=size", "sort"), ("limit=0", "limit")] {
        let (s, e) = d.get_json("daniyar", &format!("/api/jobs?{query}")).await;
        assert_eq!(s, 400, "{query}");
        assert!(e["error"].as_str().unwrap().starts_with(&format!("{field}:")), "{e}");
    }
}

#[tokio::test]
async fn a_job_shows_source_suggestion_terms_findings_and_memory_matches() {
    let d = TestDesk::start().await;
    let (s, job) = d.get_json("daniyar", &format!("/api/jobs/{}", d.ru_job)).await;
    assert_eq!(s, 200);
    assert_eq!(job["state"], "in_review");
    let seg = &job["segments"][1];
    assert_eq!(seg["source"], "The Head of State received the OSCE Secretary General in Astana.");
    assert_eq!(seg["suggestion"], "Президент принял Генерального секретаря ШОС в Астане.");
    assert_eq!(seg["current"], seg["suggestion"]);
    assert_eq!(seg["version"], 1);
    let hints: Vec<&str> = seg["source_chunks"].as_array().unwrap().iter().filter_map(|c| c["hint"].as_str()).collect();
    assert!(hints.contains(&"Глава государства") && hints.contains(&"ОБСЕ"), "{hints:?}");
    assert!(seg["terms"].as_array().unwrap().iter().any(|t| t["target"] == "ОБСЕ" && t["status"] == "other"));
    assert!(
        seg["terms"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["target"] == "Глава государства" && t["status"] == "realised"),
        "«Президент» is an accepted rendering of the Head of State: {seg}"
    );
    assert_eq!(terminology_errors(seg), 1, "{seg}");
    let evidence =
        seg["findings"].as_array().unwrap().iter().find(|f| f["check"] == "terminology").unwrap()["evidence"].clone();
    assert_eq!((evidence["rule"].as_str(), evidence["via"].as_str()), (Some("other-concept"), Some("sco")), "{seg}");
    let tm = &seg["tm"][0];
    assert_eq!(tm["target"], "Глава государства принял Генерального секретаря ОБСЕ в Алматы.");
    assert!(tm["score"].as_u64().unwrap() >= 85, "{tm}");
    assert!(tm["diff"].as_array().unwrap().iter().any(|d| d[0] == "ins" && d[1] == "Astana."), "{tm}");
    let (s, _) = d.get_json("daniyar", "/api/jobs/999").await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn an_edit_is_checked_again_and_a_stale_version_is_refused() {
    let d = TestDesk::start().await;
    let path = format!("/api/jobs/{}/segments/1", d.ru_job);
    let good = "Глава государства принял Генерального секретаря ОБСЕ в Астане.";
    let (s, saved) = d.send_json("daniyar", Method::PUT, &path, json!({ "text": good, "version": 1 })).await;
    assert_eq!(s, 200, "{saved}");
    assert_eq!(saved["version"], 2);
    assert_eq!(terminology_errors(&saved), 0, "{saved}");

    // Someone still holding version 1 is refused, and the saved text stays.
    let (s, e) = d.send_json("aigerim", Method::PUT, &path, json!({ "text": "Президент принял.", "version": 1 })).await;
    assert_eq!(s, 409);
    assert_eq!(e["code"], "stale_version");
    let (_, job) = d.get_json("daniyar", &format!("/api/jobs/{}", d.ru_job)).await;
    assert_eq!(job["segments"][1]["current"], good);
    assert_eq!(job["segments"][1]["version"], 2);

    // Making it worse brings the finding back.
    let (_, saved) = d
        .send_json("daniyar", Method::PUT, &path, json!({ "text": "Президент принял генсека ШОС.", "version": 2 }))
        .await;
    assert!(terminology_errors(&saved) >= 1, "{saved}");
    assert!(saved["terms"].as_array().unwrap().iter().any(|t| t["target"] == "ОБСЕ" && t["status"] == "other"));

    let (s, _) = d.send_json("saule", Method::PUT, &path, json!({ "text": good, "version": 3 })).await;
    assert_eq!(s, 403, "a glossary maintainer does not edit translations");
    let (s, e) = d.send_json("daniyar", Method::PUT, &path, json!({ "text": "  ", "version": 3 })).await;
    assert_eq!((s, e["error"].as_str().unwrap()), (400, "text: the translation is empty"));
    let (s, _) = d.send_json("daniyar", Method::PUT, &path, json!({ "words": "x" })).await;
    assert_eq!(s, 400);
    let (s, _) = d
        .send_json(
            "daniyar",
            Method::PUT,
            &format!("/api/jobs/{}/segments/99", d.ru_job),
            json!({ "text": good, "version": 1 }),
        )
        .await;
    assert_eq!(s, 404);

    // Every change is in the history with who made it and the text before and after.
    let (_, events) = d.get_json("daniyar", &format!("/api/jobs/{}/history", d.ru_job)).await;
    let edits: Vec<_> = events.as_array().unwrap().iter().filter(|e| e["kind"] == "edit").collect();
    assert_eq!(edits.len(), 2);
    assert_eq!(edits[0]["actor"], "daniyar");
    assert_eq!(edits[0]["before"], "Президент принял Генерального секретаря ШОС в Астане.");
    assert_eq!(edits[0]["after"], good);
}

#[tokio::test]
async fn only_reviewers_approve_and_reject_and_errors_need_an_override() {
    let d = TestDesk::start().await;
    let approve = format!("/api/jobs/{}/approve", d.ru_job);
    let (s, _) = d.send_json("daniyar", Method::POST, &approve, json!({})).await;
    assert_eq!(s, 403);
    let (s, e) = d.send_json("aigerim", Method::POST, &approve, json!({})).await;
    assert_eq!((s, e["code"].as_str()), (422, Some("blocked_by_findings")), "{e}");
    let (s, _) = d
        .send_json("aigerim", Method::POST, &approve, json!({ "override_reason": "the President is named on purpose" }))
        .await;
    assert_eq!(s, 200);
    let (_, q) = d.get_json("aigerim", "/api/jobs?state=in_review").await;
    assert!(q["jobs"].as_array().unwrap().iter().all(|j| j["id"] != d.ru_job), "the approved job left the queue");
    let (s, _) = d.send_json("aigerim", Method::POST, &approve, json!({})).await;
    assert_eq!(s, 409, "approving twice");

    let reject = format!("/api/jobs/{}/reject", d.kk_job);
    assert_eq!(d.send_json("daniyar", Method::POST, &reject, json!({ "reason": "no" })).await.0, 403);
    let (s, e) = d.send_json("aigerim", Method::POST, &reject, json!({ "reason": " " })).await;
    assert_eq!((s, e["error"].as_str().unwrap()), (400, "reason: rejecting a job needs a reason"));
    assert_eq!(d.send_json("aigerim", Method::POST, &reject, json!({})).await.0, 400);
    assert_eq!(d.send_json("aigerim", Method::POST, &reject, json!({ "reason": "wrong release" })).await.0, 200);
    let (_, events) = d.get_json("aigerim", &format!("/api/jobs/{}/history", d.kk_job)).await;
    let last = events.as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["actor"].as_str(), last["after"].as_str()), (Some("aigerim"), Some("rejected")));
    assert_eq!(last["detail"]["reason"], "wrong release");
}

#[tokio::test]
async fn translators_take_jobs_and_reviewers_assign_them() {
    let d = TestDesk::start().await;
    let assign = format!("/api/jobs/{}/assign", d.kk_job);
    assert_eq!(d.send_json("daniyar", Method::POST, &assign, json!({ "assignee": "aigerim" })).await.0, 403);
    assert_eq!(d.send_json("daniyar", Method::POST, &assign, json!({ "assignee": "daniyar" })).await.0, 200);
    let (_, mine) = d.get_json("daniyar", "/api/jobs?assignee=daniyar").await;
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["jobs"][0]["assignee"], "daniyar");
    assert_eq!(d.send_json("saule", Method::POST, &assign, json!({ "assignee": "saule" })).await.0, 403);
    // A job someone else has is not taken from them by a translator; a reviewer can move it.
    assert_eq!(d.send_json("admin", Method::POST, &assign, json!({ "assignee": "aigerim" })).await.0, 200);
    assert_eq!(d.send_json("daniyar", Method::POST, &assign, json!({ "assignee": "daniyar" })).await.0, 403);
    assert_eq!(d.send_json("daniyar", Method::POST, &assign, json!({ "assignee": null })).await.0, 403);
    assert_eq!(d.send_json("aigerim", Method::POST, &assign, json!({ "assignee": "daniyar" })).await.0, 200);
    assert_eq!(d.send_json("aigerim", Method::POST, &assign, json!({ "assignee": "nobody" })).await.0, 404);
    assert_eq!(d.send_json("aigerim", Method::POST, &assign, json!({ "assignee": null })).await.0, 200);
    let (_, mine) = d.get_json("daniyar", "/api/jobs?assignee=daniyar").await;
    assert_eq!(mine["total"], 0);
}

#[tokio::test]
async fn comments_are_kept_in_order_and_shown_escaped() {
    let d = TestDesk::start().await;
    let path = format!("/api/jobs/{}/comments", d.xss_job);
    let evil = "<script>alert('comment')</script> check the title";
    let (s, c) = d.send_json("saule", Method::POST, &path, json!({ "body": evil, "segment": 0 })).await;
    assert_eq!(s, 201, "{c}");
    assert_eq!((c["author"].as_str(), c["segment"].as_u64()), (Some("saule"), Some(0)));
    assert_eq!(d.send_json("saule", Method::POST, &path, json!({ "body": "" })).await.0, 400);
    assert_eq!(d.send_json("saule", Method::POST, &path, json!({ "body": "x", "segment": 42 })).await.0, 404);
    let (_, job) = d.get_json("saule", &format!("/api/jobs/{}", d.xss_job)).await;
    assert_eq!(job["comments"][0]["body"], evil);

    // No script from a release or a comment reaches a page as markup.
    let b = d.login("saule", PASSWORD).await.unwrap();
    for path in [format!("/jobs/{}", d.xss_job), "/queue".into(), format!("/jobs/{}/history", d.xss_job)] {
        let (s, html) = d.page(&b, &path).await;
        assert_eq!(s, 200, "{path}");
        for raw in ["<script>alert", "<img src=x", "onerror=alert('body')>"] {
            assert!(!html.contains(raw), "{path} contains {raw}");
        }
        assert!(
            !html.contains("<script>")
                || html.matches("<script").count() == html.matches("<script src=\"/assets/app.js\"").count()
        );
    }
    // The payloads are there, as text: escaped in the HTML, readable once the entities are decoded.
    let (_, html) = d.page(&b, &format!("/jobs/{}", d.xss_job)).await;
    let text = unescape(&html);
    assert!(text.contains(XSS_TITLE) && text.contains("<img src=x onerror=alert('body')>"));
    assert!(html.contains("check the title"));
    let _ = XSS_BODY;
}

#[tokio::test]
async fn a_browser_session_needs_its_csrf_token_and_a_token_does_not() {
    let d = TestDesk::start().await;
    let b = d.login("daniyar", PASSWORD).await.unwrap();
    let path = d.url(&format!("/api/jobs/{}/segments/2", d.ru_job));
    let body = json!({ "text": "Стороны обсудили вопросы региональной безопасности.", "version": 1 });
    let send = |csrf: Option<&str>| {
        let mut r = d.http.put(&path).header("cookie", &b.cookie).json(&body);
        if let Some(c) = csrf {
            r = r.header("x-csrf-token", c);
        }
        r.send()
    };
    let res = send(None).await.unwrap();
    assert_eq!(res.status().as_u16(), 403);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["code"], "csrf");
    assert_eq!(send(Some("0000")).await.unwrap().status().as_u16(), 403);
    assert_eq!(send(Some(&b.csrf)).await.unwrap().status().as_u16(), 200);
    // Reading needs no token.
    let res = d.http.get(d.url("/api/me")).header("cookie", &b.cookie).send().await.unwrap();
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["name"], "daniyar");

    // A form posted without the token (from another site, say) is refused and changes nothing.
    let form = d.url(&format!("/jobs/{}/comments", d.ru_job));
    let res = d.http.post(&form).header("cookie", &b.cookie).form(&[("body", "forged")]).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 403);
    let res = d
        .http
        .post(&form)
        .header("cookie", &b.cookie)
        .form(&[("body", "real"), ("csrf", &b.csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    let res = d
        .http
        .post(&form)
        .header("cookie", &b.cookie)
        .form(&[("body", "on the title"), ("segment", "0"), ("csrf", &b.csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    let (_, job) = d.get_json("daniyar", &format!("/api/jobs/{}", d.ru_job)).await;
    let bodies: Vec<(&str, Option<u64>)> = job["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["body"].as_str().unwrap(), c["segment"].as_u64()))
        .collect();
    assert_eq!(bodies, [("real", None), ("on the title", Some(0))]);

    // Logging out ends the session.
    let res =
        d.http.post(d.url("/logout")).header("cookie", &b.cookie).form(&[("csrf", &b.csrf)]).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 303);
    let res = d.http.get(d.url("/api/me")).header("cookie", &b.cookie).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 401);
}

#[tokio::test]
async fn logins_fail_clearly_are_rate_limited_and_never_redirect_off_site() {
    let d = TestDesk::start().await;
    assert_eq!(d.login("daniyar", "wrong password").await.err(), Some(401));
    assert_eq!(d.login("nobody", PASSWORD).await.err(), Some(401));
    // A login form that did not come from our page (no login cookie) is refused.
    let res = d
        .http
        .post(d.url("/login"))
        .form(&[("csrf", "x"), ("name", "daniyar"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403);
    // The cookie is HttpOnly and SameSite.
    let page = d.http.get(d.url("/login")).send().await.unwrap();
    let c = page.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && !c.contains("Secure"), "{c}");
    // Behind a TLS proxy the cookies are Secure.
    let page = d.http.get(d.url("/login")).header("x-forwarded-proto", "https").send().await.unwrap();
    assert!(page.headers()["set-cookie"].to_str().unwrap().ends_with("; Secure"));

    for _ in 0..5 {
        assert_eq!(d.login("aigerim", "guess").await.err(), Some(401));
    }
    assert_eq!(d.login("aigerim", PASSWORD).await.err(), Some(429), "locked out after five failures");
    assert!(d.login("admin", PASSWORD).await.is_ok(), "colleagues behind the same address still log in");

    // After login only paths on this site are followed: not "//host", nor a tab, which browsers drop
    // ("/\t/evil" would become "//evil"), nor a backslash, nor another scheme.
    let d = TestDesk::start().await;
    for next in ["//evil.example/", "/\t/evil.example", "/\\evil.example", "https://evil.example/"] {
        let res = d.post_login("daniyar", PASSWORD, next).await;
        assert_eq!(res.status().as_u16(), 303, "{next:?}");
        assert_eq!(res.headers()["location"], "/queue", "{next:?}");
    }
    let res = d.post_login("daniyar", PASSWORD, "/jobs/1?x=1").await;
    assert_eq!(res.headers()["location"], "/jobs/1?x=1", "a local path is followed");
}

#[tokio::test]
async fn the_glossary_is_searched_in_any_language_and_any_case() {
    let d = TestDesk::start().await;
    for q in ["ОБСЕ", "ЕҚЫҰ", "osce", "Генеральному%20секретарю", "Бас%20хатшысына"]
    {
        let (s, r) = d.get_json("saule", &format!("/api/glossary?q={q}")).await;
        assert_eq!(s, 200);
        assert!(r["total"].as_u64().unwrap() >= 1, "{q}: {r}");
    }
    let (_, r) = d.get_json("saule", "/api/glossary?q=%D0%9E%D0%91%D0%A1%D0%95").await;
    let c =
        r["concepts"].as_array().unwrap().iter().find(|c| c["en"].as_str().unwrap().contains("OSCE")).unwrap().clone();
    assert!(c["kk"].as_str().unwrap().contains("ЕҚЫҰ") && c["ru"].as_str().unwrap().contains("ОБСЕ"), "{c}");
    assert_eq!(c["kk_latn"], "", "no kk-Latn form for the OSCE: {c}");
    // A concept with kk-Latn forms gives them in the order of its Kazakh terms.
    let (_, r) = d.get_json("saule", "/api/glossary?q=Guterres").await;
    let c = r["concepts"].as_array().unwrap().iter().find(|c| c["id"] == "antonio-guterres").unwrap().clone();
    assert_eq!(
        (&c["kk"], &c["kk_latn"]),
        (&"Антониу Гутерриш · Гутерриш".into(), &"António Guterres · Guterres".into())
    );
    let (_, r) = d.get_json("saule", "/api/glossary?q=").await;
    assert_eq!(r["total"], 0);
}

#[tokio::test]
async fn the_openapi_description_covers_every_route_and_nothing_else() {
    let d = TestDesk::start().await;
    let spec: serde_json::Value = d.http.get(d.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(spec["openapi"], "3.1.0");
    let mut described = Vec::new();
    for (path, ops) in spec["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            described.push((method.clone(), path.clone()));
        }
    }
    let mut routed: Vec<(String, String)> =
        audarma_web::api::ROUTES.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    described.sort();
    routed.sort();
    assert_eq!(described, routed);
    // Every described route answers (not 404 or 405) for a reviewer.
    for (method, path) in routed {
        let path = path.replace("{id}", &d.kk_job.to_string()).replace("{n}", "0");
        let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let res = d.as_user("aigerim", m, &path).json(&json!({})).send().await.unwrap();
        let s = res.status().as_u16();
        assert!(s != 404 && s != 405, "{method} {path}: {s}");
    }
    // Every $ref resolves.
    let text = spec.to_string();
    for part in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = part.split('"').next().unwrap();
        assert!(spec["components"]["schemas"].get(name).is_some(), "dangling $ref {name}");
    }
}

#[tokio::test]
async fn health_and_metrics_report_jobs_requests_and_backends() {
    let d = TestDesk::start().await;
    d.store
        .record_usage(&audarma_store::UsageRecord {
            workflow: "desk".into(),
            worker: "w".into(),
            backend: "deepl".into(),
            requests: 3,
            chars: 1200,
            ..Default::default()
        })
        .await
        .unwrap();
    d.get_json("daniyar", &format!("/api/jobs/{}", d.ru_job)).await;
    let text = d.http.get(d.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(text.contains("audarma_jobs{state=\"in_review\",target_lang=\"ru\"} 1"), "{text}");
    assert!(text.contains("audarma_backend_characters_total{backend=\"deepl\"} 1200"), "{text}");
    assert!(
        text.contains(
            "audarma_http_request_duration_seconds_count{method=\"GET\",route=\"/api/jobs/{id}\",status=\"200\"} 1"
        ),
        "{text}"
    );
    assert_eq!(d.http.get(d.url("/healthz")).send().await.unwrap().text().await.unwrap(), "ok\n");
}

#[tokio::test]
async fn only_admins_manage_users_and_every_change_is_logged() {
    let d = TestDesk::start().await;
    let new = json!({ "name": "erlan", "role": "translator", "password": "a long passphrase" });
    assert_eq!(d.send_json("aigerim", Method::POST, "/api/users", new.clone()).await.0, 403);
    assert_eq!(d.get_json("aigerim", "/api/users").await.0, 403);
    let (s, u) = d.send_json("admin", Method::POST, "/api/users", new.clone()).await;
    assert_eq!((s, u["role"].as_str()), (201, Some("translator")));
    assert_eq!(d.send_json("admin", Method::POST, "/api/users", new).await.0, 409);
    let (s, e) = d
        .send_json(
            "admin",
            Method::POST,
            "/api/users",
            json!({ "name": "x y", "role": "translator", "password": "a long passphrase" }),
        )
        .await;
    assert_eq!(s, 400);
    assert!(e["error"].as_str().unwrap().starts_with("name"), "{e}");
    let (s, e) = d
        .send_json(
            "admin",
            Method::POST,
            "/api/users",
            json!({ "name": "xy", "role": "translator", "password": "short" }),
        )
        .await;
    assert_eq!((s, e["error"].as_str().unwrap()), (400, "password: at least 10 characters"));

    // The new user logs in; a role change takes effect at once.
    let b = d.login("erlan", "a long passphrase").await.unwrap();
    let approve = |b: &common::Browser| {
        d.http
            .post(d.url(&format!("/api/jobs/{}/approve", d.kk_job)))
            .header("cookie", &b.cookie)
            .header("x-csrf-token", &b.csrf)
            .json(&json!({ "override_reason": "test" }))
            .send()
    };
    assert_eq!(approve(&b).await.unwrap().status().as_u16(), 403);
    assert_eq!(d.send_json("admin", Method::PUT, "/api/users/erlan", json!({ "role": "reviewer" })).await.0, 200);
    assert_eq!(approve(&b).await.unwrap().status().as_u16(), 200);
    assert_eq!(d.send_json("admin", Method::PUT, "/api/users/erlan", json!({ "role": "king" })).await.0, 400);
    assert_eq!(d.send_json("admin", Method::PUT, "/api/users/nobody", json!({ "role": "reviewer" })).await.0, 404);
    assert_eq!(d.send_json("admin", Method::PUT, "/api/users/admin", json!({ "role": "reviewer" })).await.0, 400);
    let (_, users) = d.get_json("admin", "/api/users").await;
    let names: Vec<&str> = users.as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["admin", "aigerim", "bolat", "daniyar", "erlan", "saule"]);
    assert!(!users.to_string().contains("argon2"), "no hashes leave the server");
    let events = d.store.events(None).await.unwrap();
    let role = events.iter().find(|e| e.kind == "user-role").unwrap();
    assert_eq!(
        (role.actor.as_str(), role.before.as_deref(), role.after.as_deref()),
        ("admin", Some("translator"), Some("reviewer"))
    );
}

#[tokio::test]
async fn an_admin_disables_a_user_and_users_change_their_password_and_end_their_sessions() {
    let d = TestDesk::start().await;
    // Disabled: the token stops, login is refused like a wrong password, the session ends.
    let b = d.login("bolat", PASSWORD).await.unwrap();
    assert_eq!(d.send_json("admin", Method::POST, "/api/users/bolat/disable", json!({})).await.0, 200);
    assert_eq!(d.get_json("bolat", "/api/me").await.0, 401, "the token stopped");
    assert_eq!(d.page(&b, "/queue").await.0, 303, "the session ended: to the login page");
    assert!(d.login("bolat", PASSWORD).await.is_err(), "a disabled user cannot log in");
    assert_eq!(d.send_json("daniyar", Method::POST, "/api/users/bolat/enable", json!({})).await.0, 403);
    assert_eq!(d.send_json("admin", Method::POST, "/api/users/admin/disable", json!({})).await.0, 400);
    assert_eq!(d.send_json("admin", Method::POST, "/api/users/bolat/enable", json!({})).await.0, 200);
    assert_eq!(d.get_json("bolat", "/api/me").await.0, 200);

    // One's own sessions, and one's own password.
    let b = d.login("daniyar", PASSWORD).await.unwrap();
    let (status, mine) = d.get_json("daniyar", "/api/me/sessions").await;
    assert_eq!(status, 200);
    assert_eq!(mine["sessions"].as_array().unwrap().len(), 1, "{mine}");
    let change = |current: &str, new: &str| json!({ "current": current, "new": new });
    let (status, body) =
        d.send_json("daniyar", Method::PUT, "/api/me/password", change("wrong one!", "a new long passphrase")).await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = d.send_json("daniyar", Method::PUT, "/api/me/password", change(PASSWORD, "short")).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("new password: at least 10 characters")));
    let (status, _) =
        d.send_json("daniyar", Method::PUT, "/api/me/password", change(PASSWORD, "a new long passphrase")).await;
    assert_eq!(status, 200);
    assert_eq!(d.page(&b, "/queue").await.0, 303, "the old session ended with the old password");
    assert!(d.login("daniyar", PASSWORD).await.is_err());
    let b = d.login("daniyar", "a new long passphrase").await.unwrap();
    assert_eq!(d.send_json("daniyar", Method::DELETE, "/api/me/sessions", json!({})).await.1["ended"], 1);
    assert_eq!(d.page(&b, "/queue").await.0, 303);
    assert_eq!(d.send_json("daniyar", Method::DELETE, "/api/users/aigerim/sessions", json!({})).await.0, 403);
    assert_eq!(d.send_json("admin", Method::DELETE, "/api/users/aigerim/sessions", json!({})).await.0, 200);
}

#[tokio::test]
async fn admins_list_and_revoke_tokens_and_set_a_forgotten_password() {
    let d = TestDesk::start().await;
    assert_eq!(d.get_json("daniyar", "/api/tokens").await.0, 403);
    let (status, list) = d.get_json("admin", "/api/tokens?user=bolat").await;
    assert_eq!(status, 200);
    let tokens = list["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), 1, "{list}");
    assert!(!list.to_string().contains("hash"), "never a token or its hash: {list}");
    let id = tokens[0]["id"].as_i64().unwrap();
    assert_eq!(d.send_json("admin", Method::DELETE, &format!("/api/tokens/{id}"), json!({})).await.0, 200);
    assert_eq!(d.get_json("bolat", "/api/me").await.0, 401, "the revoked token stopped at once");
    assert_eq!(d.send_json("admin", Method::DELETE, "/api/tokens/9999", json!({})).await.0, 404);

    let b = d.login("daniyar", PASSWORD).await.unwrap();
    let set = |new: &str| json!({ "new": new });
    assert_eq!(
        d.send_json("aigerim", Method::PUT, "/api/users/daniyar/password", set("a reset passphrase")).await.0,
        403
    );
    assert_eq!(d.send_json("admin", Method::PUT, "/api/users/daniyar/password", set("short")).await.0, 400);
    assert_eq!(
        d.send_json("admin", Method::PUT, "/api/users/daniyar/password", set("a reset passphrase")).await.0,
        200
    );
    assert_eq!(d.page(&b, "/queue").await.0, 303, "their sessions ended");
    assert!(d.login("daniyar", "a reset passphrase").await.is_ok());
}

#[tokio::test]
async fn an_edit_says_it_started_from_a_memory_match_and_a_wrong_start_saves_nothing() {
    let d = TestDesk::start().await;
    let path = format!("/api/jobs/{}/segments/1", d.ru_job);
    let text = "Глава государства принял Генерального секретаря ОБСЕ в Астане.";
    let (_, job) = d.get_json("aigerim", &format!("/api/jobs/{}", d.ru_job)).await;
    let matches = job["segments"][1]["tm"].as_array().unwrap().len();
    assert_eq!(matches, 1, "the memory unit resembles segment 1: {}", job["segments"][1]);
    for (start, says) in [
        ("match-1", "start: segment 1 of job"),
        ("banana", "start: \"banana\" is not suggestion or match-N"),
        ("match--1", "is not suggestion or match-N"),
    ] {
        let (status, body) =
            d.send_json("daniyar", Method::PUT, &path, json!({ "text": text, "version": 1, "start": start })).await;
        assert_eq!(status, 400, "{start}: {body}");
        assert!(body["error"].as_str().unwrap().contains(says), "{start}: {body}");
    }
    let (_, job) = d.get_json("aigerim", &format!("/api/jobs/{}", d.ru_job)).await;
    assert_eq!(job["segments"][1]["version"], 1, "nothing was saved");

    let (status, body) =
        d.send_json("daniyar", Method::PUT, &path, json!({ "text": text, "version": 1, "start": "match-0" })).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) =
        d.send_json("aigerim", Method::POST, &format!("/api/jobs/{}/approve", d.ru_job), json!({})).await;
    assert_eq!(status, 200, "{body}");
    let efforts = d.store.efforts(None, None).await.unwrap();
    let e = efforts.iter().find(|e| e.job == d.ru_job && e.idx == 1).unwrap();
    assert_eq!(e.start, audarma_core::SuggestionOrigin::Fuzzy, "{e:?}");
    assert_eq!(e.word_edits, 1, "measured from «… в Алматы.»: {e:?}");
    assert!(
        e.fixed_terms.is_empty() && e.backend.is_none(),
        "the suggestion's ШОС is not held against the match: {e:?}"
    );
    let other = efforts.iter().find(|e| e.job == d.ru_job && e.idx == 0).unwrap();
    assert_eq!(other.start, audarma_core::SuggestionOrigin::Machine);
}

#[tokio::test]
async fn a_user_makes_a_feed_link_through_the_api_and_the_old_one_stops_working() {
    let d = TestDesk::start().await;
    let (status, first) = d.send_json("bolat", Method::POST, "/api/me/feed-token", json!({})).await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["name"], "bolat");
    let path = first["path"].as_str().unwrap();
    assert!(path.starts_with("/feed/") && path.ends_with(".atom"), "{first}");
    assert_eq!(first["link"].as_str().unwrap(), d.url(path), "the link is on the address asked");
    let feed = d.http.get(d.url(path)).send().await.unwrap();
    assert_eq!(feed.status().as_u16(), 200);
    assert!(feed.text().await.unwrap().contains("<feed"));
    let (_, second) = d.send_json("bolat", Method::POST, "/api/me/feed-token", json!({})).await;
    assert_ne!(second["path"], first["path"]);
    assert_eq!(d.http.get(d.url(path)).send().await.unwrap().status().as_u16(), 404, "the old link is gone");
    let res = d.as_user("bolat", Method::POST, "/api/me/feed-token").send().await.unwrap();
    assert_eq!(res.headers()["cache-control"], "no-store");
}
