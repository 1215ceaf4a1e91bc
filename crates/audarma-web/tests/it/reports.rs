//! The reports page in every interface language: the report's table per grouping and period, and its
//! charts drawn on the server as well-formed SVG with axis labels and a title on every point.

use crate::common;

use audarma_store::ReportBy;
use common::{svg_elements, svgs, TestDesk, PASSWORD};

#[tokio::test]
async fn the_reports_page_shows_the_table_and_three_kinds_of_chart_in_every_language() {
    let d = TestDesk::start().await;
    let approved = d.approve_for_reports().await;
    assert_eq!(approved.deepl.len(), 2);
    let b = d.login("aigerim", PASSWORD).await.unwrap();
    let (_, queue) = d.page(&b, "/queue").await;
    assert!(queue.contains("<a href=\"/reports\">Reports</a>"), "reviewers find the page in the navigation");

    let rows = audarma_store::report_rows(d.store.as_ref(), ReportBy::Backend, None, None).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(), ["deepl", "test"]);
    let terms = d.store.fixed_terms(None, None, 10).await.unwrap();
    assert!(!terms.is_empty(), "the SCO fix is a fixed term");
    let month = d.store.efforts(None, None).await.unwrap()[0].approved_at.format("%Y-%m").to_string();

    for (lang, title, axis, point, jobs, hter) in [
        (
            "en",
            "Reports",
            "Month of approval",
            format!("deepl, {month}: HTER 0.000, 2 segments"),
            "1 job",
            "HTER by backend, en → kk",
        ),
        (
            "ru",
            "Отчёты",
            "Месяц утверждения",
            format!("deepl, {month}: HTER 0,000, 2 сегмента"),
            "1 задание",
            "HTER по движкам, en → kk",
        ),
        (
            "kk",
            "Есептер",
            "Бекітілген ай",
            format!("deepl, {month}: HTER 0,000, 2 сегмент"),
            "1 тапсырма",
            "Қозғалтқыштар бойынша HTER, en → kk",
        ),
    ] {
        d.http
            .post(d.url("/settings/locale"))
            .header("cookie", &b.cookie)
            .form(&[("csrf", b.csrf.as_str()), ("locale", lang), ("back", "/reports")])
            .send()
            .await
            .unwrap();
        let (status, html) = d.page(&b, "/reports").await;
        assert_eq!(status, 200, "{lang}");
        assert!(
            html.contains(&format!("<html lang=\"{lang}\">")) && html.contains(&format!("<h1>{title}</h1>")),
            "{lang}"
        );
        // The table: a row per backend, the figures as the CLI computes them, numbers as the locale writes them.
        assert!(html.contains("<tr data-key=\"deepl\">") && html.contains("<tr data-key=\"test\">"), "{lang}");
        let test = rows.iter().find(|r| r.key == "test").unwrap();
        let hter_cell = d_locale_decimal(lang, test.hter, 3);
        assert!(html.contains(&format!("<td class=\"hter\">{hter_cell}</td>")), "{lang}: HTER {hter_cell}");
        let mqm_cell = d_locale_decimal(lang, test.mqm.unwrap(), 1);
        assert!(html.contains(&format!("<td class=\"mqm\">{mqm_cell}</td>")), "{lang}: MQM {mqm_cell}");

        // The charts: two pairs, the MQM histogram and the terms; each well-formed with its labels.
        let charts = svgs(&html);
        assert_eq!(charts.len(), 4, "{lang}");
        let parsed: Vec<Vec<common::SvgEl>> = charts.iter().map(|s| svg_elements(s)).collect();
        let ids: Vec<&str> = parsed.iter().map(|els| els[0].id.as_deref().unwrap()).collect();
        assert_eq!(ids, ["chart-hter-en-kk", "chart-hter-en-ru", "chart-mqm", "chart-terms"]);
        let kk = &parsed[0];
        assert_eq!(kk[1].name, "title");
        assert_eq!(kk[1].text, hter, "{lang}");
        let class = |els: &[common::SvgEl], c: &str| els.iter().filter(|e| e.class.as_deref() == Some(c)).count();
        assert_eq!(class(kk, "series"), 2, "{lang}: deepl and test");
        assert_eq!(class(kk, "point"), 2, "{lang}: one month");
        assert!(kk.iter().any(|e| e.class.as_deref() == Some("axis-label x-label") && e.text == axis), "{lang}");
        let titles: Vec<&str> = kk.iter().filter(|e| e.name == "title").map(|e| e.text.as_str()).collect();
        assert!(titles.contains(&point.as_str()), "{lang}: {titles:?}");
        for els in &parsed {
            assert_eq!(class(els, "axis-label x-label") + class(els, "axis-label y-label"), 2, "{lang}: axis labels");
            let points = els
                .iter()
                .filter(|e| {
                    matches!(e.name.as_str(), "circle" | "rect") && e.class.as_deref().is_some_and(|c| !c.is_empty())
                })
                .count();
            let titled = els
                .windows(2)
                .filter(|w| {
                    matches!(w[0].name.as_str(), "circle" | "rect") && w[0].class.is_some() && w[1].name == "title"
                })
                .count();
            assert_eq!(points, titled, "{lang}: every data point has a title");
        }
        let mqm = &parsed[2];
        assert_eq!(class(mqm, "bar") + class(mqm, "bar marked"), 7, "{lang}: seven bins");
        let mqm_titles: Vec<&str> = mqm.iter().filter(|e| e.name == "title").map(|e| e.text.as_str()).collect();
        assert!(mqm_titles.iter().any(|t| t.ends_with(jobs)), "{lang}: {mqm_titles:?}");
        assert_eq!(class(&parsed[3], "bar"), terms.len(), "{lang}");
        assert!(parsed[3].iter().any(|e| e.class.as_deref() == Some("category") && e.text == terms[0].concept));
    }
}

/// A number as the locale writes it (the figures here are below 1,000).
fn d_locale_decimal(lang: &str, v: f64, digits: usize) -> String {
    let s = format!("{v:.digits$}");
    if lang == "en" {
        s
    } else {
        s.replace('.', ",")
    }
}

#[tokio::test]
async fn the_period_and_grouping_are_checked_and_only_reviewers_see_the_page() {
    let d = TestDesk::start().await;
    d.approve_for_reports().await;
    let b = d.login("aigerim", PASSWORD).await.unwrap();
    let (_, html) = d.page(&b, "/reports?by=pair&since=2000-01-01&until=2999-01-01").await;
    assert!(html.contains("<tr data-key=\"en-kk\">") && html.contains("<tr data-key=\"en-ru\">"));
    assert!(html.contains("<option value=\"pair\" selected>") && html.contains("value=\"2000-01-01\""));
    let (_, html) = d.page(&b, "/reports?by=translator").await;
    assert!(html.contains("<tr data-key=\"aigerim\">"), "no job was assigned: the approver translated");
    // A period with nothing approved: no table, no chart, said so.
    let (status, html) = d.page(&b, "/reports?since=2999-01-01").await;
    assert_eq!(status, 200);
    assert!(html.contains("No approved segments in this period.") && svgs(&html).is_empty());
    assert!(html.contains("No approved job of this period has MQM annotations."));
    for (query, says) in [
        ("by=colour", "is not one of backend, model, start, pair, workflow, translator, month"),
        ("since=yesterday", "is not a day YYYY-MM-DD"),
        ("until=2026-13-01", "is not a day YYYY-MM-DD"),
    ] {
        let (status, html) = d.page(&b, &format!("/reports?{query}")).await;
        assert_eq!(status, 400, "{query}");
        assert!(html.contains(says), "{query}");
    }
    for who in ["daniyar", "saule"] {
        let u = d.login(who, PASSWORD).await.unwrap();
        let (status, _) = d.page(&u, "/reports").await;
        assert_eq!(status, 403, "{who}");
        let (_, queue) = d.page(&u, "/queue").await;
        assert!(!queue.contains("href=\"/reports\""), "{who} has no link");
    }
    let admin = d.login("admin", PASSWORD).await.unwrap();
    assert_eq!(d.page(&admin, "/reports").await.0, 200);
}

#[tokio::test]
async fn seconds_in_the_editor_reach_the_segments_effort_from_the_form_and_the_api() {
    let d = TestDesk::start().await;
    let t = d.login("daniyar", PASSWORD).await.unwrap();
    let (_, html) = d.page(&t, &format!("/jobs/{}", d.ru_job)).await;
    let opened: i64 = common::attr_after(&html, "name=\"opened\" value=\"").unwrap().parse().unwrap();
    let now = chrono::Utc::now().timestamp_millis();
    assert!((now - opened).abs() < 60_000, "the page carries the time it was rendered");

    // The form: the edit took since the page was opened (here, 30 seconds ago).
    let res = d
        .http
        .post(d.url(&format!("/jobs/{}/segments/1", d.ru_job)))
        .header("cookie", &t.cookie)
        .form(&[
            ("csrf", t.csrf.as_str()),
            ("version", "1"),
            ("text", "Глава государства принял Генерального секретаря ОБСЕ в Астане."),
            ("opened", &(now - 30_000).to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    // The API: the script's own measure; a negative one is refused.
    let path = format!("/api/jobs/{}/segments/2", d.kk_job);
    let (s, _) = d
        .send_json(
            "daniyar",
            reqwest::Method::PUT,
            &path,
            serde_json::json!({"text": "Тараптар кездесті.", "version": 1, "seconds": -3}),
        )
        .await;
    assert_eq!(s, 400);
    let (s, _) = d
        .send_json(
            "daniyar",
            reqwest::Method::PUT,
            &path,
            serde_json::json!({"text": "Тараптар кездесті.", "version": 1, "seconds": 12.5}),
        )
        .await;
    assert_eq!(s, 200);
    let edit = d.store.events(Some(d.kk_job)).await.unwrap().into_iter().rfind(|e| e.kind == "edit").unwrap();
    assert_eq!(edit.detail["seconds"], 12.5, "the edit's event keeps its seconds");

    d.store.approve_job(d.ru_job, "aigerim", Some("test")).await.unwrap();
    d.store.approve_job(d.kk_job, "aigerim", Some("test")).await.unwrap();
    let efforts = d.store.efforts(None, None).await.unwrap();
    let of = |job, idx| efforts.iter().find(|e| e.job == job && e.idx == idx).unwrap().seconds;
    let form = of(d.ru_job, 1).unwrap();
    assert!((30.0..40.0).contains(&form), "{form}");
    assert_eq!(of(d.kk_job, 2), Some(12.5));
    assert_eq!(of(d.kk_job, 1), None, "a segment nobody edited was not timed");
}

#[tokio::test]
async fn figures_are_computed_once_and_refreshed_in_the_background() {
    let config = audarma_web::DeskConfig { report_fresh: std::time::Duration::ZERO, ..Default::default() };
    let d = TestDesk::start_with(config).await;
    let s = d.store.as_ref();
    s.approve_job(d.ru_job, "aigerim", Some("for the report")).await.unwrap();
    let b = d.login("aigerim", PASSWORD).await.unwrap();
    let (_, first) = d.page(&b, "/reports?by=pair").await;
    assert!(first.contains("en-ru") && !first.contains("en-kk"), "only the en→ru job is approved");
    s.approve_job(d.kk_job, "aigerim", Some("for the report")).await.unwrap();
    // The figures held are shown at once (a refresh starts behind them)…
    let (_, held) = d.page(&b, "/reports?by=pair").await;
    assert!(!held.contains("en-kk"), "the held figures, not a wait");
    // …and the refreshed ones shortly after.
    let mut refreshed = false;
    for _ in 0..100 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        if d.page(&b, "/reports?by=pair").await.1.contains("en-kk") {
            refreshed = true;
            break;
        }
    }
    assert!(refreshed, "the background refresh shows the new approval");
}

#[tokio::test]
async fn the_api_gives_the_reports_figures_to_reviewers_as_json() {
    let d = TestDesk::start().await;
    d.approve_for_reports().await;
    let (status, body) = d.get_json("aigerim", "/api/reports?by=model").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["by"], "model");
    let rows = body["rows"].as_array().unwrap();
    let expected = audarma_store::report_rows(d.store.as_ref(), ReportBy::Model, None, None).await.unwrap();
    assert_eq!(rows.len(), expected.len());
    for (got, want) in rows.iter().zip(&expected) {
        assert_eq!(got["key"], want.key.as_str());
        assert_eq!(got["segments"], want.segments);
        assert!(got["inflection_fixes_per_100"].is_number() && got["term_fixes_per_100"].is_number(), "{got}");
    }
    let terms = body["fixed_terms"].as_array().unwrap();
    assert!(!terms.is_empty() && terms.iter().all(|t| t["concept"].is_string() && t["inflection_fixes"].is_u64()));

    let (status, body) = d.get_json("aigerim", "/api/reports?by=start&since=2020-01-01&until=2099-01-01").await;
    assert_eq!((status, body["by"].as_str()), (200, Some("start")));
    assert!(body["since"].as_str().unwrap().starts_with("2020-01-01"));
    let (status, body) = d.get_json("aigerim", "/api/reports?by=colour").await;
    assert_eq!(status, 400);
    assert!(body["error"].as_str().unwrap().contains("by: \"colour\" is not one of backend, model, start"), "{body}");
    let (status, body) = d.get_json("aigerim", "/api/reports?since=yesterday").await;
    assert_eq!(status, 400, "{body}");
    let (status, _) = d.get_json("bolat", "/api/reports").await;
    assert_eq!(status, 403, "translators do not see the reports");
}
