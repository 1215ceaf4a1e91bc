//! MQM review on the desk as a reviewer uses it: annotate a span of a segment by form (the marked text,
//! or its offsets), accept a QA finding in one click, see the score, remove an annotation, approve a
//! failing job only with a reason; and the same through the JSON API.

use crate::common;

use audarma_analytics::mqm::Severity as Mqm;
use audarma_analytics::ErrorType;
use common::{TestDesk, PASSWORD};
use reqwest::Method;
use serde_json::json;

const RU_1: &str = "Президент принял Генерального секретаря ШОС в Астане.";

/// Character offsets of `part` in `text`.
fn span_of(text: &str, part: &str) -> (u32, u32) {
    let at = text.find(part).unwrap();
    let start = text[..at].chars().count() as u32;
    (start, start + part.chars().count() as u32)
}

#[tokio::test]
async fn a_reviewer_marks_an_error_by_form_sees_the_score_removes_it_and_approves_a_failing_job_with_a_reason() {
    let d = TestDesk::start().await;
    let b = d.login("aigerim", PASSWORD).await.unwrap();
    let ru = d.ru_job;
    let (status, html) = d.page(&b, &format!("/jobs/{ru}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"mqm\"") && html.contains("No MQM annotations yet"), "not scored before annotations");
    assert_eq!(html.matches("<form class=\"annotate\"").count(), 3, "a form per segment");
    for t in ErrorType::ALL {
        assert!(html.contains(&format!("<option value=\"{t}\">")), "{t} is offered");
    }
    assert!(html.contains("Terminology: right term, wrong inflection"));
    assert!(html.contains("<form class=\"accept-mqm\""), "findings can be accepted as MQM errors");

    let post = |path: String, fields: Vec<(&'static str, String)>| {
        let mut f = fields;
        f.push(("csrf", b.csrf.clone()));
        d.http.post(d.url(&path)).header("cookie", &b.cookie).form(&f).send()
    };
    let annotate = format!("/jobs/{ru}/segments/1/annotations");
    // The marked text: where it stands in the segment, whatever offsets came with it.
    let fields = vec![
        ("type", "terminology/wrong-term".to_string()),
        ("severity", "major".into()),
        ("marked", "ШОС".into()),
        ("start", "2".into()),
        ("end", "5".into()),
        ("note", "ОБСЕ, not ШОС".into()),
    ];
    let res = post(annotate.clone(), fields).await.unwrap();
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(res.headers()["location"], format!("/jobs/{ru}?done=annotated#seg-1"));
    let a = d.store.annotations(ru).await.unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!(
        (a[0].idx, a[0].span, a[0].error_type, a[0].severity),
        (1, Some(span_of(RU_1, "ШОС")), ErrorType::WrongTerm, Mqm::Major)
    );
    assert_eq!((a[0].created_by.as_str(), a[0].note.as_deref()), ("aigerim", Some("ОБСЕ, not ШОС")));

    // Offsets alone (as the script sends them with the selection), and the whole segment.
    let (s, e) = span_of(RU_1, "Президент");
    let fields = vec![
        ("type", "style/register".to_string()),
        ("severity", "minor".into()),
        ("start", s.to_string()),
        ("end", e.to_string()),
    ];
    assert_eq!(post(annotate.clone(), fields).await.unwrap().status().as_u16(), 303);
    let fields = vec![("type", "accuracy/omission".to_string()), ("severity", "neutral".into())];
    assert_eq!(post(format!("/jobs/{ru}/segments/2/annotations"), fields).await.unwrap().status().as_u16(), 303);

    // One click on a finding: its preset type and severity, its span.
    let (_, seg) = d.store.job_segment(ru, 1).await.unwrap();
    let finding = seg.findings.iter().find(|f| f.check == audarma_core::Check::Terminology).unwrap().clone();
    let fields = vec![("check", "terminology".to_string()), ("message", finding.message.clone())];
    assert_eq!(post(annotate.clone(), fields).await.unwrap().status().as_u16(), 303);
    let a = d.store.annotations(ru).await.unwrap();
    assert_eq!(a.len(), 4);
    let preset = audarma_analytics::preset(&finding);
    let accepted = a
        .iter()
        .find(|x| {
            x.idx == 1
                && x.span == finding.start.zip(finding.end).map(|(s, e)| (s as u32, e as u32))
                && x.note.is_none()
        })
        .unwrap();
    assert_eq!((accepted.error_type, accepted.severity), (preset.error_type, preset.severity));

    // The page lists them per segment and scores the job: 5 + 1 + 0 + preset points over its words.
    let (_, html) = d.page(&b, &format!("/jobs/{ru}?done=annotated")).await;
    assert!(html.contains("MQM annotation added."));
    assert!(html.contains("<q class=\"marked\">ШОС</q>") && html.contains("ОБСЕ, not ШОС"));
    assert!(html.contains("<q class=\"marked\">Президент</q>"));
    assert!(html.contains("<span class=\"whole\">the whole segment</span>"));
    let detail = d.store.job(ru).await.unwrap();
    let score = audarma_store::job_score(&detail, &a, 95.0);
    assert_eq!(score.penalty_total, 6 + preset.severity.weight());
    let raw = score.raw_score.unwrap();
    assert!(raw < 95.0, "{score:?}");
    assert!(html.contains(&format!("<strong class=\"mqm-score\">{raw:.1}</strong>")), "the score is shown");
    assert!(html.contains("fails (pass mark 95.0"));
    assert!(
        html.contains(&format!("{} penalty points", score.penalty_total))
            && html.contains(&format!("over {} words", score.words))
    );
    assert!(html.contains(&format!("major: {}", score.counts.major)) && html.contains("neutral: 1"));
    assert!(html.contains("mqm-needs-reason"), "the approve form says a reason is needed");

    // Wrong input is a clear message, not a 500; nothing is added.
    let bad: Vec<(Vec<(&'static str, String)>, &str)> = vec![
        (vec![("type", "terminology/wrong-infection".into()), ("severity", "minor".into())], "unknown MQM error type"),
        (vec![("type", "markup".into()), ("severity", "Major".into())], "unknown MQM severity"),
        (vec![("type", "".into()), ("severity", "minor".into())], "choose an MQM error type"),
        (
            vec![("type", "markup".into()), ("severity", "minor".into()), ("marked", "ОБСЕ".into())],
            "is not in the segment",
        ),
        (
            vec![("type", "markup".into()), ("severity", "minor".into()), ("start", "3".into())],
            "give both start and end",
        ),
        (
            vec![("type", "markup".into()), ("severity", "minor".into()), ("start", "0".into()), ("end", "999".into())],
            "is not inside",
        ),
        (
            vec![("type", "markup".into()), ("severity", "minor".into()), ("start", "x".into()), ("end", "2".into())],
            "is not a character offset",
        ),
        (
            vec![("type", "markup".into()), ("severity", "minor".into()), ("note", "a\u{1b}[31m".into())],
            "control character",
        ),
    ];
    for (fields, says) in bad {
        let res = post(annotate.clone(), fields.clone()).await.unwrap();
        assert_eq!(res.status().as_u16(), 400, "{fields:?}");
        let html = res.text().await.unwrap();
        assert!(html.contains(says) && html.contains("<html lang=\"en\">"), "{fields:?}: {html}");
    }
    let fields = vec![("check", "terminology".to_string()), ("message", "no such finding".into())];
    assert_eq!(post(annotate.clone(), fields).await.unwrap().status().as_u16(), 404);
    let fields = vec![("type", "markup".to_string()), ("severity", "minor".into())];
    assert_eq!(post(format!("/jobs/{ru}/segments/99/annotations"), fields).await.unwrap().status().as_u16(), 404);
    assert_eq!(d.store.annotations(ru).await.unwrap().len(), 4, "nothing added by wrong input");

    // Approving the failing job: refused with the score and the reason field; with a reason it goes.
    let res = post(format!("/jobs/{ru}/approve"), vec![("override_reason", "".into())]).await.unwrap();
    assert_eq!(res.status().as_u16(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("The job fails its MQM review") && html.contains(&format!("score {raw:.1}")), "{html}");
    assert!(html.contains("name=\"override_reason\"") && html.contains(&format!("action=\"/jobs/{ru}/approve\"")));

    // Remove one: gone from the page and the score, kept in the history.
    let id = a.iter().find(|x| x.error_type == ErrorType::Register).unwrap().id;
    let res = post(format!("/jobs/{ru}/annotations/{id}/remove"), vec![]).await.unwrap();
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(res.headers()["location"], format!("/jobs/{ru}?done=annotation-removed#mqm"));
    assert_eq!(d.store.annotations(ru).await.unwrap().len(), 3);
    let (_, html) = d.page(&b, &format!("/jobs/{ru}")).await;
    assert!(!html.contains("<q class=\"marked\">Президент</q>"));
    assert!(d.store.events(Some(ru)).await.unwrap().iter().any(|e| e.kind == "annotation-removed"));

    let res =
        post(format!("/jobs/{ru}/approve"), vec![("override_reason", "the press office asked for it now".into())])
            .await
            .unwrap();
    assert_eq!(res.status().as_u16(), 303, "approved with a reason");
    let events = d.store.events(Some(ru)).await.unwrap();
    assert!(events.iter().any(|e| e.kind == "mqm-override"), "the override is logged");
    // Approved text is still annotated and scored.
    let (_, html) = d.page(&b, &format!("/jobs/{ru}")).await;
    assert!(html.contains("<form class=\"annotate\"") && html.contains("<strong class=\"mqm-score\">"));
}

#[tokio::test]
async fn only_reviewers_annotate_and_the_job_page_speaks_every_language() {
    let d = TestDesk::start().await;
    let t = d.login("daniyar", PASSWORD).await.unwrap();
    let (_, html) = d.page(&t, &format!("/jobs/{}", d.ru_job)).await;
    assert!(html.contains("id=\"mqm\""), "translators see the score");
    assert!(!html.contains("<form class=\"annotate\"") && !html.contains("accept-mqm"), "but have no forms");
    let res = d
        .http
        .post(d.url(&format!("/jobs/{}/segments/1/annotations", d.ru_job)))
        .header("cookie", &t.cookie)
        .form(&[("csrf", t.csrf.as_str()), ("type", "markup"), ("severity", "minor")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403);
    assert!(d.store.annotations(d.ru_job).await.unwrap().is_empty());

    let note = audarma_store::NewAnnotation {
        idx: 1,
        span: Some(span_of(RU_1, "ШОС")),
        error_type: ErrorType::WrongInflection,
        severity: Mqm::Critical,
        note: None,
    };
    d.store.add_annotation(d.ru_job, &note, "aigerim").await.unwrap();
    let r = d.login("aigerim", PASSWORD).await.unwrap();
    for (lang, words) in [
        (
            "kk",
            [
                "MQM бағалауы",
                "Терминология: термин дұрыс, тұлғасы қате",
                "сыни",
                "өтпейді (өту шегі 95,0",
                "MQM қатесін белгілеу",
            ],
        ),
        (
            "ru",
            [
                "Оценка MQM",
                "Терминология: верный термин в неверной форме",
                "критическая",
                "не проходит (порог 95,0",
                "Отметить ошибку MQM",
            ],
        ),
        (
            "en",
            [
                "MQM review",
                "Terminology: right term, wrong inflection",
                "critical",
                "fails (pass mark 95.0",
                "Mark an MQM error",
            ],
        ),
    ] {
        d.http
            .post(d.url("/settings/locale"))
            .header("cookie", &r.cookie)
            .form(&[("csrf", r.csrf.as_str()), ("locale", lang), ("back", "/queue")])
            .send()
            .await
            .unwrap();
        let (_, html) = d.page(&r, &format!("/jobs/{}", d.ru_job)).await;
        assert!(html.contains(&format!("<html lang=\"{lang}\">")));
        for w in words {
            assert!(html.contains(w), "{lang}: {w}");
        }
    }
}

#[tokio::test]
async fn the_api_lists_adds_and_removes_annotations() {
    let d = TestDesk::start().await;
    let ru = d.ru_job;
    let path = format!("/api/jobs/{ru}/annotations");
    let (s, body) = d.get_json("daniyar", &path).await;
    assert_eq!(s, 200);
    assert_eq!(body["annotations"], json!([]));
    assert_eq!((body["score"]["penalty_total"].as_u64(), body["score"]["pass"].as_bool()), (Some(0), Some(true)));

    let (s, a) = d
        .send_json("aigerim", Method::POST, &path, json!({"segment": 1, "type": "accuracy/mistranslation", "severity": "major", "marked": "ШОС", "note": "ОБСЕ"}))
        .await;
    assert_eq!(s, 201, "{a}");
    let (start, end) = span_of(RU_1, "ШОС");
    assert_eq!(a["span"], json!([start, end]));
    assert_eq!(
        (a["error_type"].as_str(), a["severity"].as_str(), a["created_by"].as_str()),
        (Some("accuracy/mistranslation"), Some("major"), Some("aigerim"))
    );
    let (s, b) = d
        .send_json(
            "aigerim",
            Method::POST,
            &path,
            json!({"segment": 1, "type": "style/awkward", "severity": "minor", "span": [0, 9]}),
        )
        .await;
    assert_eq!((s, b["span"].clone()), (201, json!([0, 9])));
    let (_, seg) = d.store.job_segment(ru, 1).await.unwrap();
    let f = seg.findings.iter().find(|f| f.check == audarma_core::Check::Terminology).unwrap();
    let (s, c) = d
        .send_json(
            "aigerim",
            Method::POST,
            &path,
            json!({"segment": 1, "finding": {"check": "terminology", "message": f.message}}),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    assert_eq!(c["error_type"], audarma_analytics::preset(f).error_type.as_str());

    for (body, status, says) in [
        (json!({"segment": 1, "type": "wrong", "severity": "minor"}), 400, "unknown MQM error type"),
        (json!({"segment": 1, "type": "markup", "severity": "minor", "span": [5, 500]}), 400, "is not inside"),
        (json!({"segment": 1, "type": "markup"}), 400, "choose a severity"),
        (json!({"segment": 7, "type": "markup", "severity": "minor"}), 404, "no segment 7"),
        (json!({"type": "markup"}), 400, ""),
    ] {
        let (s, e) = d.send_json("aigerim", Method::POST, &path, body.clone()).await;
        assert_eq!(s, status, "{body}: {e}");
        assert!(e["error"].as_str().unwrap().contains(says), "{body}: {e}");
    }
    let (s, e) =
        d.send_json("daniyar", Method::POST, &path, json!({"segment": 1, "type": "markup", "severity": "minor"})).await;
    assert_eq!((s, e["code"].as_str()), (403, Some("forbidden")));

    let (_, list) = d.get_json("daniyar", &path).await;
    let items = list["annotations"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["marked"], "ШОС");
    assert_eq!(items[1]["marked"], "Президент");
    assert_eq!(list["score"]["counts"]["major"].as_u64(), Some(1 + u64::from(c["severity"] == "major")));
    assert_eq!(list["score"]["threshold"], 95.0);

    let id = a["id"].as_i64().unwrap();
    let (s, _) = d.send_json("daniyar", Method::DELETE, &format!("{path}/{id}"), json!({})).await;
    assert_eq!(s, 403, "translators do not remove annotations");
    let (s, r) = d.send_json("aigerim", Method::DELETE, &format!("{path}/{id}"), json!({})).await;
    assert_eq!((s, r), (200, json!({"job": ru, "removed": id})));
    let (s, _) = d.send_json("aigerim", Method::DELETE, &format!("{path}/{id}"), json!({})).await;
    assert_eq!(s, 404, "removed once");
    assert_eq!(d.get_json("aigerim", &path).await.1["annotations"].as_array().unwrap().len(), 2);

    // The failing job is refused by the API as by the page, and approved with a reason.
    let (s, e) = d.send_json("aigerim", Method::POST, &format!("/api/jobs/{ru}/approve"), json!({})).await;
    assert_eq!((s, e["code"].as_str()), (422, Some("mqm_failed")), "{e}");
    assert!(e["error"].as_str().unwrap().contains("fails its MQM review"), "{e}");
    let reason = json!({"override_reason": "wanted today"});
    let (s, _) = d.send_json("aigerim", Method::POST, &format!("/api/jobs/{ru}/approve"), reason).await;
    assert_eq!(s, 200);
}
