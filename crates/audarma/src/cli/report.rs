//! `audarma report`: post-editing and MQM figures of approved segments per backend (or backend and
//! model, or starting point), language pair, workflow, translator or month, from the sums the store keeps (`Store::effort_summary`,
//! `annotation_counts`); and `--advise`, which compares backends per pair by post-edit distance.

use super::{open, Cli, Exit};
use crate::output::json;
use audarma_analytics::{mean_difference, Bootstrap};
use audarma_core::Lang;
use audarma_store::{ReportBy, Store};
use chrono::{DateTime, Utc};
use clap::ValueEnum;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    Backend,
    /// The backend and its model.
    Model,
    /// What the translator started from (machine, exact memory, nothing), with the band of the best
    /// fuzzy memory match shown beside it.
    Start,
    Pair,
    Workflow,
    Translator,
    Month,
}

impl From<By> for ReportBy {
    fn from(b: By) -> ReportBy {
        match b {
            By::Backend => ReportBy::Backend,
            By::Model => ReportBy::Model,
            By::Start => ReportBy::Start,
            By::Pair => ReportBy::Pair,
            By::Workflow => ReportBy::Workflow,
            By::Translator => ReportBy::Translator,
            By::Month => ReportBy::Month,
        }
    }
}

pub(super) async fn report(
    cli: &Cli,
    by: By,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    csv: bool,
    advise: bool,
) -> Result<(), Exit> {
    let store = open(cli).await?;
    if advise {
        return advise_backends(cli, store.as_ref(), since, until).await;
    }
    let rows = audarma_store::report_rows(store.as_ref(), by.into(), since, until).await?;
    let terms = store.fixed_terms(since, until, 10).await?;
    if cli.json {
        json(&serde_json::json!({ "by": ReportBy::from(by), "rows": rows, "fixed_terms": terms }));
        return Ok(());
    }
    let opt = |v: Option<f64>, digits: usize| v.map(|v| format!("{v:.digits$}")).unwrap_or_default();
    if csv {
        println!(
            "key,jobs,segments,words,untouched,hter,chrf,mqm,annotations,critical,term_fixes_per_100,\
             inflection_fixes_per_100,seconds_per_word"
        );
        for r in &rows {
            println!(
                "{},{},{},{},{:.4},{:.4},{:.2},{},{},{},{:.2},{:.2},{}",
                audarma_glossary::exchange::csv_cell(&r.key),
                r.jobs,
                r.segments,
                r.words,
                r.untouched,
                r.hter,
                r.chrf,
                opt(r.mqm, 2),
                r.annotations,
                r.critical,
                r.term_fixes_per_100,
                r.inflection_fixes_per_100,
                opt(r.seconds_per_word, 2)
            );
        }
        return Ok(());
    }
    if rows.is_empty() {
        println!("no approved segments in this period");
        return Ok(());
    }
    let width = rows.iter().map(|r| r.key.chars().count()).max().unwrap_or(0).max(8);
    println!(
        "{:<width$}  {:>6} {:>8} {:>8} {:>9} {:>6} {:>7} {:>6} {:>11} {:>11} {:>7}",
        "", "jobs", "segments", "words", "untouched", "HTER", "chrF++", "MQM", "term fixes", "inflections", "s/word"
    );
    for r in &rows {
        println!(
            "{:<width$}  {:>6} {:>8} {:>8} {:>8.1}% {:>6.3} {:>7.1} {:>6} {:>11.1} {:>11.1} {:>7}",
            r.key,
            r.jobs,
            r.segments,
            r.words,
            100.0 * r.untouched,
            r.hter,
            r.chrf,
            opt(r.mqm, 1),
            r.term_fixes_per_100,
            r.inflection_fixes_per_100,
            opt(r.seconds_per_word, 1)
        );
    }
    println!(
        "(per 100 segments: term fixes, a term wrong or missing; inflections, the right term re-inflected; \
         s/word over segments edited at 0.25–30 s a word)"
    );
    if !terms.is_empty() {
        let list: Vec<String> = terms
            .iter()
            .map(|t| format!("{} ({} wrong, {} inflection)", t.concept, t.term_fixes, t.inflection_fixes))
            .collect();
        println!("terms fixed most: {}", list.join(", "));
    }
    Ok(())
}

/// Per language pair, the backend whose suggestions needed the fewest edits (HTER per segment), and
/// how much worse each other one is, with a 95 % bootstrap interval — or why there is no advice.
async fn advise_backends(
    cli: &Cli,
    store: &dyn Store,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
) -> Result<(), Exit> {
    let efforts = store.efforts(since, until).await?;
    let mut by_pair: BTreeMap<(Lang, Lang), BTreeMap<String, Vec<f64>>> = BTreeMap::new();
    for e in &efforts {
        let Some(backend) = &e.backend else { continue };
        let hter = if e.tokens > 0 { f64::from(e.word_edits) / f64::from(e.tokens) } else { 0.0 };
        by_pair.entry((e.source_lang, e.target_lang)).or_default().entry(backend.clone()).or_default().push(hter);
    }
    let options = Bootstrap::default();
    let mut advice = Vec::new();
    for ((s, t), backends) in &by_pair {
        let pair = format!("{}-{}", s.code(), t.code());
        let mut ranked: Vec<(&String, &Vec<f64>, f64)> =
            backends.iter().map(|(b, v)| (b, v, v.iter().sum::<f64>() / v.len() as f64)).collect();
        ranked.sort_by(|a, b| a.2.total_cmp(&b.2).then_with(|| a.0.cmp(b.0)));
        if ranked.len() < 2 {
            let (b, v, _) = ranked[0];
            advice.push(serde_json::json!({ "pair": pair, "advice": null,
                "why": format!("only {b} translated {pair} in this period ({} segments): nothing to compare", v.len()) }));
            continue;
        }
        let (best, best_values, best_mean) = ranked[0];
        let mut others = Vec::new();
        let mut refused = None;
        for (b, v, _) in &ranked[1..] {
            match mean_difference(v, best_values, &options) {
                Ok(d) => others.push(serde_json::json!({ "backend": b, "segments": v.len(), "worse_by": d.difference,
                    "interval": [d.low, d.high], "significant": d.excludes_zero() })),
                Err(e) => refused = Some(format!("{b} against {best}: {e}")),
            }
        }
        match refused {
            Some(why) => advice.push(serde_json::json!({ "pair": pair, "advice": null, "why": why })),
            None => advice.push(serde_json::json!({ "pair": pair, "advice": best, "hter": best_mean,
                "segments": best_values.len(), "others": others })),
        }
    }
    if cli.json {
        json(&serde_json::json!({ "metric": "hter", "confidence": options.confidence, "pairs": advice }));
        return Ok(());
    }
    if advice.is_empty() {
        println!("no approved machine-translated segments in this period: nothing to advise");
    }
    for a in &advice {
        let pair = a["pair"].as_str().unwrap_or_default();
        match a["advice"].as_str() {
            None => println!("{pair}: no advice: {}", a["why"].as_str().unwrap_or_default()),
            Some(best) => {
                println!(
                    "{pair}: route to {best} (HTER {:.3} over {} segments)",
                    a["hter"].as_f64().unwrap_or_default(),
                    a["segments"]
                );
                for o in a["others"].as_array().into_iter().flatten() {
                    let i = &o["interval"];
                    println!(
                        "  {} is worse by {:+.3} HTER (95% interval {:+.3} to {:+.3}, {} segments){}",
                        o["backend"].as_str().unwrap_or_default(),
                        o["worse_by"].as_f64().unwrap_or_default(),
                        i[0].as_f64().unwrap_or_default(),
                        i[1].as_f64().unwrap_or_default(),
                        o["segments"],
                        if o["significant"].as_bool() == Some(true) { "" } else { ": not a clear difference" }
                    );
                }
            }
        }
    }
    Ok(())
}
