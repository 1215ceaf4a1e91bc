//! Review that measures, through the binary: MQM annotations (by hand and from a QA finding), the
//! score that gates approval, the post-editing report per group (table, JSON, CSV), Marot's TSV, and
//! routing advice that refuses to advise on too little and advises on enough.

use crate::e2e::Audarma;
use crate::xliff::translated;
use audarma_core::{Lang, Paragraph, Release, SuggestionOrigin};
use audarma_store::{LeaseOwner, Store, Suggestion};
use serde_json::Value;

fn history_kinds(a: &Audarma, job: &str) -> Vec<String> {
    a.json(&["history", job])["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn annotations_score_a_job_and_a_failing_score_needs_a_reason_to_approve() {
    let (a, job) = translated();
    let added = a.json(&[
        "mqm",
        "annotate",
        &job,
        "0",
        "--type",
        "terminology/wrong-inflection",
        "--severity",
        "minor",
        "--span",
        "0..8",
        "--note",
        "case ending",
    ]);
    assert_eq!(added["error_type"], "terminology/wrong-inflection");
    assert_eq!(added["span"], serde_json::json!([0, 8]));
    a.ok(&["mqm", "annotate", &job, "1", "--type", "accuracy/omission", "--severity", "critical", "--as", "dana"]);
    let listed = a.json(&["mqm", "list", &job]);
    let score = &listed["score"];
    assert_eq!((score["penalty_total"].as_u64(), score["pass"].as_bool()), (Some(26), Some(false)), "{listed}");
    let text = a.ok(&["mqm", "list", &job]);
    assert!(text.contains("terminology/wrong-inflection") && text.contains("case ending"), "{text}");
    assert!(text.contains("26 penalty points; 1 critical, 0 major, 1 minor): fail at 95"), "{text}");

    let refused = a.run(&["approve", &job, "--as", "aigerim"]);
    assert_eq!(refused.status.code(), Some(2));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains(&format!("job {job} fails its MQM review: MQM"))
            && err.contains("approve with an override reason"),
        "{err}"
    );
    assert_eq!(a.json(&["show", &job])["state"], "in_review", "nothing approved");

    // The critical one was a misreading: removed, the job passes with its minor error.
    let critical = listed["annotations"][1]["id"].to_string();
    a.ok(&["mqm", "remove", &job, &critical]);
    let listed = a.json(&["mqm", "list", &job]);
    assert_eq!(listed["score"]["pass"], true, "{listed}");
    a.ok(&["mqm", "annotate", &job, "2", "--type", "style/awkward", "--severity", "major"]);
    let strict = a.dir().join("strict.toml");
    std::fs::write(&strict, "name = \"s\"\n[sources]\npaths = [\"x\"]\n[languages]\ntargets = [\"kk\"]\n[backend]\nkind = \"pseudo\"\n[review]\nmqm_pass = 99.9\n").unwrap();
    let refused = a.run(&["approve", &job, "--workflow", strict.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2), "{}", String::from_utf8_lossy(&refused.stderr));
    a.ok(&[
        "approve",
        &job,
        "--workflow",
        strict.to_str().unwrap(),
        "--override",
        "the awkward phrase is the ministry's own",
        "--as",
        "aigerim",
    ]);
    let kinds = history_kinds(&a, &job);
    assert!(
        kinds.contains(&"mqm-override".to_string()) && kinds.contains(&"annotation-removed".to_string()),
        "{kinds:?}"
    );

    // Bad input is named.
    for (args, message) in [
        (vec!["--type", "terminology/wrong", "--severity", "minor"], "is not an MQM category"),
        (vec!["--type", "style/awkward", "--severity", "huge"], "is not a severity"),
        (vec!["--type", "style/awkward", "--severity", "minor", "--span", "5..2"], "is not a span"),
        (
            vec!["--type", "style/awkward", "--severity", "minor", "--span", "0..9999"],
            "the span 0..9999 is not inside it",
        ),
        (vec!["--severity", "minor"], "--type is required"),
    ] {
        let mut full = vec!["mqm", "annotate", job.as_str(), "0"];
        full.extend(args);
        let out = a.run(&full);
        assert_eq!(out.status.code(), Some(2), "{full:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(message),
            "{full:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn the_report_groups_approved_segments_and_exports_for_the_mqm_viewer() {
    let (a, job) = translated();
    let show = a.json(&["show", &job]);
    let segs = show["segments"].as_array().unwrap();
    let first = segs[0]["suggestion"].as_str().unwrap();
    a.ok(&["edit", &job, "0", &format!("{first} түзетілді"), "--as", "dana"]);
    a.ok(&[
        "mqm",
        "annotate",
        &job,
        "0",
        "--type",
        "linguistic-conventions/grammar",
        "--severity",
        "minor",
        "--span",
        "0..3",
    ]);
    a.ok(&["approve", &job, "--as", "aigerim", "--override", "the pseudo backend's findings"]);

    let report = a.json(&["report", "--by", "backend"]);
    let rows = report["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{report}");
    let r = &rows[0];
    assert_eq!(r["key"], "pseudo");
    assert_eq!(r["segments"].as_u64().unwrap() as usize, segs.len());
    assert_eq!(r["annotations"], 1);
    let untouched = r["untouched"].as_f64().unwrap();
    assert!((untouched - (segs.len() - 1) as f64 / segs.len() as f64).abs() < 1e-9, "{r}");
    assert!(r["hter"].as_f64().unwrap() > 0.0 && r["mqm"].as_f64().unwrap() < 100.0, "{r}");
    let pair = a.json(&["report", "--by", "pair"]);
    assert_eq!(pair["rows"][0]["key"], "en-kk");
    let csv = a.ok(&["report", "--by", "month", "--csv"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("key,jobs,segments,words,untouched,hter,chrf,mqm"), "{csv}");
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[0].contains(",term_fixes_per_100,inflection_fixes_per_100,seconds_per_word"), "{csv}");
    let table = a.ok(&["report"]);
    assert!(table.contains("pseudo") && table.contains("HTER") && table.contains("chrF++"), "{table}");
    assert!(table.contains("inflections"), "{table}");
    // The pseudo backend has no model; its segments started from its suggestions.
    assert_eq!(a.json(&["report", "--by", "model"])["rows"][0]["key"], "pseudo");
    let start = a.json(&["report", "--by", "start"]);
    let keys: Vec<&str> = start["rows"].as_array().unwrap().iter().map(|r| r["key"].as_str().unwrap()).collect();
    assert!(!keys.is_empty() && keys.iter().all(|k| k.starts_with("pseudo")), "{start}");
    let none = a.ok(&["report", "--since", "2999-01-01"]);
    assert_eq!(none, "no approved segments in this period\n");

    let tsv = a.dir().join("mqm.tsv");
    let exported = a.json(&["mqm", "export", "--out", tsv.to_str().unwrap()]);
    assert_eq!(
        (exported["errors"].as_u64(), exported["no_error_segments"].as_u64()),
        (Some(1), Some(segs.len() as u64 - 1))
    );
    let text = std::fs::read_to_string(&tsv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "system\tdoc\tdocSegId\tglobalSegId\trater\tsource\ttarget\tcategory\tseverity\tmetadata");
    assert!(lines.iter().all(|l| l.split('\t').count() == 10), "ten columns on every line");
    let error: Vec<&str> =
        lines.iter().find(|l| l.contains("linguistic-conventions/grammar")).unwrap().split('\t').collect();
    assert_eq!((error[0], error[2], error[8]), ("pseudo", "1", "Minor"));
    assert!(error[1].starts_with(&format!("job-{job}:en-kk")) && error[6].starts_with("<v>"), "{error:?}");
    let meta: Value = serde_json::from_str(error[9]).unwrap();
    assert_eq!(meta["marked_text"].as_str().unwrap().chars().count(), 3);
    assert!(lines
        .iter()
        .filter(|l| l.contains("\tno-error\tno-error\t"))
        .all(|l| l.split('\t').nth(4) == Some("aigerim")));

    let advice = a.ok(&["report", "--advise"]);
    assert!(advice.contains("en-kk: no advice: only pseudo translated en-kk"), "{advice}");
}

/// Approved jobs in one database: jobs numbered `jobs`, of four segments, for each backend, the
/// suggestions of `worse` needing more edits.
async fn approved_jobs(db: &str, jobs: std::ops::Range<usize>) {
    let store = audarma_store_sqlite::SqliteStore::open(db).await.unwrap();
    // The title and three sentences.
    let text = [
        "Мемлекет басшысының кездесуі",
        "Мемлекет басшысы елшіні қабылдады.",
        "Тараптар ынтымақтастықты талқылады.",
        "Келісімге қол қойылды.",
    ];
    for (b, backend) in ["good-mt", "worse-mt"].iter().enumerate() {
        for n in jobs.clone() {
            let release = Release {
                source: format!("{backend}-{n}.txt"),
                lang: Lang::En,
                title: format!("Release {backend} {n}"),
                date: None,
                place: None,
                paragraphs: vec![Paragraph::new(vec!["One.".into(), "Two.".into(), "Three.".into()])],
            };
            let id = store.insert_release(&release, "t").await.unwrap().id();
            let job = store.ensure_jobs(id, &[Lang::Kk], "w", "t").await.unwrap()[0];
            let claim = store.claim_next_job("w", LeaseOwner("run"), 60).await.unwrap().unwrap();
            let sugg: Vec<Suggestion> = (0..4u32)
                .map(|i| {
                    let good = text[i as usize].to_string();
                    // The worse backend's offers are garbled more often.
                    let k = n + i as usize;
                    let garbled = (b == 1 && !k.is_multiple_of(3)) || (b == 0 && k.is_multiple_of(7));
                    Suggestion {
                        idx: i,
                        text: Some(if garbled { good.replace(' ', " және ") } else { good }),
                        origin: SuggestionOrigin::Machine,
                        backend: Some(backend.to_string()),
                        model: None,
                        terms: vec![],
                        findings: vec![],
                        tm: None,
                    }
                })
                .collect();
            store.complete_translation(job, claim.lease("run"), &sugg, "run").await.unwrap();
            for (i, t) in text.iter().enumerate() {
                store.edit_segment(job, i as u32, t, &[], None, "dana").await.unwrap();
            }
            store.approve_job(job, "aigerim", None).await.unwrap();
        }
    }
}

#[test]
fn routing_advice_needs_enough_segments_and_names_the_backend_needing_fewer_edits() {
    let a = Audarma::new();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(approved_jobs(&a.db, 0..4));
    let few = a.ok(&["report", "--advise"]);
    assert!(few.contains("en-kk: no advice:") && few.contains("at least"), "too few segments: {few}");
    rt.block_on(approved_jobs(&a.db, 4..20));
    let advice = a.json(&["report", "--advise"]);
    let pair = &advice["pairs"][0];
    assert_eq!((pair["pair"].as_str(), pair["advice"].as_str()), (Some("en-kk"), Some("good-mt")), "{advice}");
    let other = &pair["others"][0];
    assert_eq!(other["backend"], "worse-mt");
    assert_eq!(other["segments"], 80);
    assert!(other["worse_by"].as_f64().unwrap() > 0.0 && other["significant"] == true, "{other}");
    let text = a.ok(&["report", "--advise"]);
    assert!(text.contains("en-kk: route to good-mt") && text.contains("worse-mt is worse by +"), "{text}");
}
