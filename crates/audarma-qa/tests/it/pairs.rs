//! The QA data set: `pairs.jsonl` holds source/target pairs in all six directions, each clean (a
//! correct official translation, including forms naive checks flag) or with exactly one injected
//! error and the check expected to find it. Recall of injected errors must be ≥ 0.95 and no clean
//! pair may get an `error` finding.

use audarma_core::Lang;
use audarma_glossary::{Glossary, Matcher, TermCheck, TermMatch, TermStatus};
use audarma_qa::{check_with, Context, Segment, Severity, Speller};
use serde_json::Value;
use std::collections::HashMap;
use std::time::Instant;

struct Row {
    line: usize,
    from: Lang,
    to: Lang,
    source: String,
    target: String,
    expect: Option<String>,
    terms: Vec<TermCheck>,
    capitalized: Vec<String>,
    spell: bool,
}

fn rows() -> Vec<Row> {
    let text = include_str!("../pairs.jsonl");
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("pairs.jsonl:{}: {e}", n + 1));
        let s = |k: &str| v[k].as_str().map(str::to_string);
        let dir = s("dir").expect("dir");
        let (a, b) = dir.split_once('-').expect("dir as xx-yy");
        let terms = v["terms"]
            .as_array()
            .map(|ts| {
                ts.iter()
                    .map(|t| TermCheck {
                        id: t["id"].as_str().unwrap_or_default().into(),
                        status: match t["status"].as_str() {
                            Some("missing") => TermStatus::Missing,
                            Some("forbidden") => TermStatus::Forbidden,
                            Some("outdated") => TermStatus::Outdated,
                            _ => TermStatus::Ok,
                        },
                        source: t["source"].as_str().unwrap_or_default().into(),
                        target: t["target"].as_str().map(str::to_string),
                        span: None,
                        ..TermCheck::default()
                    })
                    .collect()
            })
            .unwrap_or_default();
        let capitalized = v["capitalized"]
            .as_array()
            .map(|xs| xs.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        out.push(Row {
            line: n + 1,
            from: a.parse().expect("source language"),
            to: b.parse().expect("target language"),
            source: s("source").expect("source"),
            target: s("target").expect("target"),
            expect: s("expect"),
            terms,
            capitalized,
            spell: v["spell"].as_bool().unwrap_or(false),
        });
    }
    out
}

/// The row's glossary terms (`capitalized`) as the matcher finds them in the target.
fn found_terms(terms: &[String], lang: Lang, target: &str) -> Vec<TermMatch> {
    if terms.is_empty() {
        return Vec::new();
    }
    let mut toml = String::new();
    for (i, t) in terms.iter().enumerate() {
        // Names of state bodies and titles: their capitals are required.
        toml.push_str(&format!(
            "[[concept]]\nid = \"c{i}\"\nen = {t:?}\nkk = {t:?}\nru = {t:?}\ndomain = [\"presidency\"]\n"
        ));
    }
    let mut g = Glossary::default();
    let mut problems = Vec::new();
    g.parse_file(std::path::Path::new("capitalized.toml"), &toml, &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
    Matcher::new(&g, lang).find_in(&g, target)
}

#[test]
fn recall_of_injected_errors_and_clean_pairs() {
    let rows = rows();
    let mut spellers: HashMap<Lang, Option<Speller>> = HashMap::new();
    let (mut injected, mut found, mut clean, mut clean_bad, mut skipped) = (0, 0, 0, 0, 0);
    let mut misses = Vec::new();
    let mut clean_errors = Vec::new();
    let started = Instant::now();
    for r in &rows {
        let speller = if r.spell {
            let sp = spellers.entry(r.to).or_insert_with(|| Speller::load(r.to));
            if sp.is_none() {
                eprintln!("SKIP pairs.jsonl:{}: no hunspell dictionary for {}", r.line, r.to);
                skipped += 1;
                continue;
            }
            sp.as_ref()
        } else {
            None
        };
        let ctx = Context { speller, ..Context::default() };
        let terms_found = found_terms(&r.capitalized, r.to, &r.target);
        let seg = Segment {
            source: &r.source,
            target: &r.target,
            source_lang: r.from,
            target_lang: r.to,
            terms: &r.terms,
            found: &terms_found,
        };
        let findings = check_with(&seg, &ctx);
        for f in &findings {
            assert!(f.start <= f.end && f.end <= Some(r.target.chars().count()), "span out of the target: {f:?}");
        }
        match &r.expect {
            Some(name) => {
                injected += 1;
                if findings.iter().any(|f| f.check == *name && f.severity >= Severity::Warning) {
                    found += 1;
                } else {
                    misses.push(format!("  line {} ({}-{}) expected {name}: got {:?}", r.line, r.from, r.to, findings));
                }
            }
            None => {
                clean += 1;
                if std::env::var_os("QA_VERBOSE").is_some() && !findings.is_empty() {
                    println!("  clean line {} ({}-{}): {:?}", r.line, r.from, r.to, findings);
                }
                let errors: Vec<_> = findings.iter().filter(|f| f.severity == Severity::Error).collect();
                if !errors.is_empty() {
                    clean_bad += 1;
                    clean_errors.push(format!("  line {} ({}-{}): {:?}", r.line, r.from, r.to, errors));
                }
            }
        }
    }
    let elapsed = started.elapsed();
    let recall = found as f64 / injected.max(1) as f64;
    println!("qa: recall {recall:.2} ({found}/{injected} injected), clean pairs with errors: {clean_bad}/{clean}");
    println!("qa: {} rows checked in {elapsed:?}, {skipped} skipped", rows.len() - skipped);
    if !misses.is_empty() {
        println!("misses:\n{}", misses.join("\n"));
    }
    if !clean_errors.is_empty() {
        println!("errors on clean pairs:\n{}", clean_errors.join("\n"));
    }
    assert!(rows.len() >= 150);
    assert!(recall >= 0.95, "recall {recall:.2} below 0.95");
    assert_eq!(clean_bad, 0, "clean pairs with error findings");
}

/// Not a benchmark: prints how long a 20-segment release takes (debug build, models warm).
#[test]
fn speed_of_a_twenty_segment_release() {
    let rows = rows();
    let segs: Vec<&Row> = rows.iter().filter(|r| r.expect.is_none() && !r.spell).take(20).collect();
    let ctx = Context::default();
    let run = || {
        for r in &segs {
            let seg = Segment {
                source: &r.source,
                target: &r.target,
                source_lang: r.from,
                target_lang: r.to,
                terms: &[],
                found: &[],
            };
            std::hint::black_box(check_with(&seg, &ctx));
        }
    };
    let t = Instant::now();
    run();
    let cold = t.elapsed();
    let t = Instant::now();
    run();
    println!("qa: 20 segments in {cold:?} (first, detector models loading), {:?} warm", t.elapsed());
    let t = Instant::now();
    let spellers: Vec<(Lang, Speller)> =
        [Lang::En, Lang::Kk, Lang::Ru].into_iter().filter_map(|l| Speller::load(l).map(|s| (l, s))).collect();
    let loaded = t.elapsed();
    if spellers.len() < 3 {
        eprintln!("SKIP spelling timing: hunspell dictionaries missing");
        return;
    }
    let t = Instant::now();
    for r in &segs {
        let speller = spellers.iter().find(|(l, _)| *l == r.to).map(|(_, s)| s);
        let ctx = Context { speller, ..Context::default() };
        let seg = Segment {
            source: &r.source,
            target: &r.target,
            source_lang: r.from,
            target_lang: r.to,
            terms: &[],
            found: &[],
        };
        std::hint::black_box(check_with(&seg, &ctx));
    }
    println!("qa: dictionaries loaded in {loaded:?}; 20 segments with spelling in {:?}", t.elapsed());
}
