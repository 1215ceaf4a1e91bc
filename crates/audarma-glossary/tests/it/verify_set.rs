//! The terminology verification set (`verify_set.tsv`): source and target sentences across the six
//! language pairs, each with a concept and the expected judgement, against the shipped glossaries.
//! Precision and recall of the findings (`missing`, `forbidden`) must both be at least 0.97.

use audarma_core::Lang;
use audarma_glossary::{verify, Glossary, Matcher, TermStatus};
use std::collections::HashMap;
use std::path::PathBuf;

fn lang(code: &str) -> Lang {
    match code {
        "en" => Lang::En,
        "kk" => Lang::Kk,
        "ru" => Lang::Ru,
        other => panic!("unknown language {other}"),
    }
}

fn status_name(s: TermStatus) -> &'static str {
    match s {
        // A correct paraphrase is fine; another concept named in its place is a missing term, with
        // stronger evidence.
        TermStatus::Ok | TermStatus::Realised => "ok",
        TermStatus::Missing | TermStatus::Other => "missing",
        TermStatus::Forbidden => "forbidden",
        TermStatus::Outdated => "outdated",
    }
}

#[test]
fn terminology_verification_set() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let g = Glossary::load(&[root.join("../../glossaries")]).unwrap();
    let matchers: HashMap<Lang, Matcher> = Lang::ALL.into_iter().map(|l| (l, Matcher::new(&g, l))).collect();
    let set = std::fs::read_to_string(root.join("tests/verify_set.tsv")).unwrap();

    let (mut tp, mut fp, mut fn_, mut total) = (0usize, 0usize, 0usize, 0usize);
    let mut wrong = Vec::new();
    let mut pairs: HashMap<String, usize> = HashMap::new();
    for (n, line) in set.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 5, "verify_set.tsv:{}: want 5 tab-separated fields", n + 1);
        let (pair, id, expected, source, target) = (f[0], f[1], f[2], f[3], f[4]);
        let (sl, tl) = pair.split_once('-').unwrap();
        *pairs.entry(pair.to_string()).or_default() += 1;
        assert!(g.concepts.iter().any(|c| c.id == id), "verify_set.tsv:{}: unknown concept {id}", n + 1);
        let found = matchers[&lang(sl)].find_in(&g, source);
        let got = if found.iter().any(|m| m.id == id && !m.forbidden) {
            let checks = verify(&g, &found, &matchers[&lang(tl)], target, None);
            checks.iter().find(|c| c.id == id).map_or("unjudged", |c| status_name(c.status))
        } else {
            "source-not-found"
        };
        total += 1;
        let exp_pos = expected != "ok";
        let got_pos = got != "ok";
        match (exp_pos, got_pos) {
            (true, true) if got == expected => tp += 1,
            (true, true) => {
                fp += 1;
                fn_ += 1;
            }
            (false, true) => fp += 1,
            (true, false) => fn_ += 1,
            (false, false) => {}
        }
        if got != expected {
            wrong.push(format!(
                "verify_set.tsv:{}: {pair} {id}: expected {expected}, got {got}\n  {source}\n  {target}",
                n + 1
            ));
        }
    }
    let precision = if tp + fp == 0 { 1.0 } else { tp as f64 / (tp + fp) as f64 };
    let recall = if tp + fn_ == 0 { 1.0 } else { tp as f64 / (tp + fn_) as f64 };
    println!("terminology verify: precision {precision:.2} recall {recall:.2} over {total} judgements");
    for w in &wrong {
        println!("{w}");
    }
    assert!(total >= 150, "only {total} judgements");
    for p in ["en-ru", "en-kk", "ru-kk", "kk-ru", "ru-en", "kk-en"] {
        assert!(pairs.get(p).copied().unwrap_or(0) >= 20, "too few {p} judgements");
    }
    assert!(tp >= 40, "too few findings in the set ({tp})");
    assert!(precision >= 0.97 && recall >= 0.97, "precision {precision:.2} recall {recall:.2}:\n{}", wrong.join("\n"));
}
