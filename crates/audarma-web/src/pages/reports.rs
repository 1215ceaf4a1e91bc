//! The reports page (`/reports`, reviewers and admins): what `audarma report` prints — the
//! post-editing and MQM figures of approved segments per backend, language pair, workflow,
//! translator or month in a period, from `audarma_store::report_rows` — and three charts drawn on the
//! server as SVG ([`crate::svg`]): post-edit distance (HTER) by backend over the months, one chart per
//! language pair; the MQM scores of annotated jobs as a histogram; the glossary concepts translators
//! fixed most.

use super::{render, PageCaller, PageCtx};
use crate::desk::DeskError;
use crate::i18n::{Locale, Tr};
use crate::svg::{self, Bar, Frame, Point, Series};
use crate::AppState;
use askama::Template;
use audarma_store::{FixedTerm, ReportBy, ReportRow};
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Default, Deserialize)]
pub struct ReportQuery {
    by: Option<String>,
    since: Option<String>,
    until: Option<String>,
}

impl ReportQuery {
    /// The grouping's name (`backend` when none is given) and the figures' key; a grouping or a day
    /// that is not one is a 400 naming the field.
    pub fn key(&self) -> Result<(&'static str, Key), DeskError> {
        let by_name = self.by.as_deref().map(str::trim).filter(|b| !b.is_empty()).unwrap_or("backend");
        let Some(&(by_name, by)) = GROUPINGS.iter().find(|(n, _)| *n == by_name) else {
            let names: Vec<&str> = GROUPINGS.iter().map(|(n, _)| *n).collect();
            return Err(DeskError::BadRequest(format!("by: {by_name:?} is not one of {}", names.join(", "))));
        };
        let since = day("since", self.since.as_deref())?;
        let until = day("until", self.until.as_deref())?;
        Ok((by_name, (by, since, until)))
    }
}

/// The groupings the table offers, as the CLI's `--by`.
const GROUPINGS: [(&str, ReportBy); 7] = [
    ("backend", ReportBy::Backend),
    ("model", ReportBy::Model),
    ("start", ReportBy::Start),
    ("pair", ReportBy::Pair),
    ("workflow", ReportBy::Workflow),
    ("translator", ReportBy::Translator),
    ("month", ReportBy::Month),
];

/// How many concepts the terms chart shows.
const TOP_TERMS: u32 = 10;

/// The lower bounds of the MQM histogram's bins (the first takes everything below 70).
const MQM_BINS: [f64; 7] = [f64::NEG_INFINITY, 70.0, 75.0, 80.0, 85.0, 90.0, 95.0];

pub struct RowView {
    pub key: String,
    pub jobs: i64,
    pub segments: i64,
    pub words: i64,
    pub untouched: String,
    pub hter: String,
    pub chrf: String,
    pub mqm: String,
    pub annotations: i64,
    pub critical: i64,
    pub term_fixes: String,
    pub inflection_fixes: String,
    pub seconds_per_word: String,
}

/// A chart and the heading it is shown under; `svg` is the builder's output, inlined as it is.
pub struct Chart {
    pub heading: String,
    pub svg: String,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage<'a> {
    tr: Tr<'a>,
    page: PageCtx,
    by: String,
    /// The label key of the grouping (the table's first column).
    by_key: String,
    groupings: Vec<(&'static str, String)>,
    since: String,
    until: String,
    rows: Vec<RowView>,
    hter: Vec<Chart>,
    mqm: Option<Chart>,
    terms: Option<Chart>,
}

/// A day of the period: `YYYY-MM-DD`, the start of that day in UTC (as the CLI reads `--since` and
/// `--until`: the until day is not included).
fn day(field: &str, v: Option<&str>) -> Result<Option<DateTime<Utc>>, DeskError> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| Some(t.and_utc()))
            .ok_or_else(|| DeskError::BadRequest(format!("{field}: {v:?} is not a day YYYY-MM-DD"))),
    }
}

fn percent(loc: Locale, share: f64) -> String {
    let space = if loc == Locale::En { "" } else { "\u{a0}" };
    format!("{}{space}%", loc.decimal(100.0 * share, 1))
}

fn row_view(loc: Locale, r: &ReportRow) -> RowView {
    RowView {
        key: r.key.clone(),
        jobs: r.jobs as i64,
        segments: r.segments as i64,
        words: r.words as i64,
        untouched: percent(loc, r.untouched),
        hter: loc.decimal(r.hter, 3),
        chrf: loc.decimal(r.chrf, 1),
        mqm: r.mqm.map(|m| loc.decimal(m, 1)).unwrap_or_else(|| "—".into()),
        annotations: r.annotations as i64,
        critical: r.critical as i64,
        term_fixes: loc.decimal(r.term_fixes_per_100, 1),
        inflection_fixes: loc.decimal(r.inflection_fixes_per_100, 1),
        seconds_per_word: r.seconds_per_word.map(|s| loc.decimal(s, 1)).unwrap_or_else(|| "—".into()),
    }
}

/// HTER by backend over the months, one chart per language pair; the months are those of the whole
/// report, so the charts line up.
pub fn hter_charts(tr: Tr, trend: &[ReportRow]) -> Vec<Chart> {
    let mut months = BTreeSet::new();
    let mut pairs: BTreeMap<&str, BTreeMap<&str, BTreeMap<&str, &ReportRow>>> = BTreeMap::new();
    for r in trend {
        let Some((pair, backend, month)) = audarma_store::split_pair_backend_month(&r.key) else { continue };
        months.insert(month);
        pairs.entry(pair).or_default().entry(backend).or_default().insert(month, r);
    }
    let months: Vec<&str> = months.into_iter().collect();
    let x: Vec<String> = months.iter().map(|m| m.to_string()).collect();
    let fmt = |v: f64| tr.loc.decimal(v, 2);
    pairs
        .into_iter()
        .map(|(pair, backends)| {
            let series: Vec<Series> = backends
                .into_iter()
                .map(|(backend, by_month)| Series {
                    name: backend.to_string(),
                    points: months
                        .iter()
                        .map(|m| {
                            by_month.get(m).map(|r| Point {
                                value: r.hter,
                                title: tr.args(
                                    "reports-point-hter",
                                    &[
                                        ("backend", backend.to_string()),
                                        ("month", m.to_string()),
                                        ("value", tr.loc.decimal(r.hter, 3)),
                                        ("segments", tr.n("reports-segments", &(r.segments as i64))),
                                    ],
                                ),
                            })
                        })
                        .collect(),
                })
                .collect();
            let heading = tr.with("reports-hter-title", "pair", &pair.replace('-', " → "));
            let id = format!("chart-hter-{pair}");
            let frame = Frame {
                id: &id,
                title: &heading,
                x_label: &tr.t("reports-axis-month"),
                y_label: &tr.t("reports-axis-hter"),
            };
            Chart { svg: svg::line_chart(&frame, &x, &series, &fmt), heading }
        })
        .collect()
}

/// The MQM scores of the jobs reviewers annotated, as a histogram; bins wholly below the pass mark
/// are marked. `None` when no approved job of the period was annotated.
pub fn mqm_chart(tr: Tr, jobs: &[ReportRow], threshold: f64) -> Option<Chart> {
    let scores: Vec<f64> = jobs.iter().filter(|r| r.annotations > 0).filter_map(|r| r.mqm).collect();
    if scores.is_empty() {
        return None;
    }
    let bars: Vec<Bar> = MQM_BINS
        .iter()
        .enumerate()
        .map(|(i, &low)| {
            let high = MQM_BINS.get(i + 1).copied().unwrap_or(f64::INFINITY);
            let count = scores.iter().filter(|&&s| s >= low && s < high).count() as i64;
            let label = match (low.is_finite(), high.is_finite()) {
                (false, _) => format!("< {}", tr.loc.number(high as i64)),
                (true, true) => format!("{}–{}", tr.loc.number(low as i64), tr.loc.number(high as i64)),
                (true, false) => format!("≥ {}", tr.loc.number(low as i64)),
            };
            let title =
                tr.args("reports-point-mqm", &[("range", label.clone()), ("jobs", tr.n("reports-jobs", &count))]);
            Bar { label, point: Point { value: count as f64, title }, marked: high <= threshold, more: None }
        })
        .collect();
    let heading = tr.n("reports-mqm-title", &(scores.len() as i64));
    let frame = Frame {
        id: "chart-mqm",
        title: &heading,
        x_label: &tr.with("reports-axis-mqm", "threshold", &tr.loc.decimal(threshold, 1)),
        y_label: &tr.t("reports-axis-jobs"),
    };
    let fmt = |v: f64| tr.loc.number(v.round() as i64);
    Some(Chart { svg: svg::column_chart(&frame, &bars, &fmt), heading })
}

/// The glossary concepts fixed most, most first: each bar the segments where the term was wrong or
/// missing, then those where it was right in the wrong inflection. `None` when translators fixed none.
pub fn terms_chart(tr: Tr, terms: &[FixedTerm]) -> Option<Chart> {
    if terms.is_empty() {
        return None;
    }
    let point = |key: &str, concept: &str, n: u64| Point {
        value: n as f64,
        title: tr.args(key, &[("term", concept.to_string()), ("segments", tr.n("reports-segments", &(n as i64)))]),
    };
    let bars: Vec<Bar> = terms
        .iter()
        .map(|t| Bar {
            label: t.concept.clone(),
            point: point("reports-point-term", &t.concept, t.term_fixes),
            marked: false,
            more: Some(point("reports-point-inflection", &t.concept, t.inflection_fixes)),
        })
        .collect();
    let names = [tr.t("reports-terms-wrong"), tr.t("reports-terms-inflection")];
    let heading = tr.t("reports-terms-title");
    let frame = Frame {
        id: "chart-terms",
        title: &heading,
        x_label: &tr.t("reports-axis-fixes"),
        y_label: &tr.t("reports-axis-concept"),
    };
    let fmt = |v: f64| tr.loc.number(v.round() as i64);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    Some(Chart { svg: svg::bar_chart(&frame, &bars, &names, &fmt), heading })
}

pub(super) async fn page(State(desk): State<AppState>, p: PageCaller, Query(q): Query<ReportQuery>) -> Response {
    if !p.caller.role().can_review() {
        return p.fail(&desk, DeskError::Forbidden(format!("a {} cannot see the reports", p.caller.user.role)));
    }
    let (by_name, (by, since, until)) = match q.key() {
        Ok(k) => k,
        Err(e) => return p.fail(&desk, e),
    };
    let loaded = match desk.reports.get(&desk, (by, since, until)).await {
        Ok(l) => l,
        Err(e) => return p.fail(&desk, e),
    };
    let (rows, trend, jobs, terms) = &*loaded;
    let tr = p.tr(&desk);
    let page = ReportsPage {
        tr,
        page: p.page(&desk, None),
        by: by_name.to_string(),
        by_key: format!("reports-by-{by_name}"),
        groupings: GROUPINGS.iter().map(|(n, _)| (*n, format!("reports-by-{n}"))).collect(),
        since: since.map(|s| s.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        until: until.map(|s| s.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        rows: rows.iter().map(|r| row_view(p.loc, r)).collect(),
        hter: hter_charts(tr, trend),
        mqm: mqm_chart(tr, jobs, desk.config.mqm_pass),
        terms: terms_chart(tr, terms),
    };
    render(&page)
}

/// What the page reads for one grouping and period: the table's rows, the HTER trend, one row per
/// job (the MQM histogram) and the terms fixed most.
pub type Loaded = (Vec<ReportRow>, Vec<ReportRow>, Vec<ReportRow>, Vec<FixedTerm>);

pub type Key = (ReportBy, Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// The report's figures per grouping and period, computed once and shared by every reader: over
/// 100,000 approved jobs they take seconds to sum (BENCHMARKS §13), a page must not. The first
/// reader of a key computes (others wait for that one computation, not their own); after
/// `DeskConfig::report_fresh` the next reader gets the figures held and starts one refresh.
#[derive(Default)]
pub struct ReportCache {
    entries: std::sync::Mutex<std::collections::HashMap<Key, Entry>>,
    computing: tokio::sync::Mutex<std::collections::HashMap<Key, std::sync::Arc<tokio::sync::Mutex<()>>>>,
}

struct Entry {
    at: std::time::Instant,
    data: std::sync::Arc<Loaded>,
    refreshing: bool,
}

async fn compute(
    store: &dyn audarma_store::Store,
    (by, since, until): Key,
) -> Result<Loaded, audarma_store::StoreError> {
    tokio::try_join!(
        audarma_store::report_rows(store, by, since, until),
        audarma_store::report_rows(store, ReportBy::PairBackendMonth, since, until),
        audarma_store::report_rows(store, ReportBy::AnnotatedJob, since, until),
        store.fixed_terms(since, until, TOP_TERMS),
    )
}

impl ReportCache {
    /// The held figures, and whether a refresh is due (and now started by this caller).
    fn held(&self, key: &Key, fresh: std::time::Duration) -> Option<(std::sync::Arc<Loaded>, bool)> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let e = entries.get_mut(key)?;
        let due = e.at.elapsed() >= fresh && !e.refreshing;
        if due {
            e.refreshing = true;
        }
        Some((e.data.clone(), due))
    }

    fn put(&self, key: Key, data: std::sync::Arc<Loaded>) {
        let entry = Entry { at: std::time::Instant::now(), data, refreshing: false };
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).insert(key, entry);
    }

    fn refresh_failed(&self, key: &Key) {
        if let Some(e) = self.entries.lock().unwrap_or_else(|e| e.into_inner()).get_mut(key) {
            e.refreshing = false;
        }
    }

    pub async fn get(&self, desk: &AppState, key: Key) -> Result<std::sync::Arc<Loaded>, DeskError> {
        let fresh = desk.config.report_fresh;
        if let Some((data, due)) = self.held(&key, fresh) {
            if due {
                let desk = desk.clone();
                tokio::spawn(async move {
                    match compute(desk.store.as_ref(), key).await {
                        Ok(fresh) => desk.reports.put(key, std::sync::Arc::new(fresh)),
                        Err(e) => {
                            tracing::warn!(error = %e, "refreshing the report");
                            desk.reports.refresh_failed(&key);
                        }
                    }
                });
            }
            return Ok(data);
        }
        let turn = self.computing.lock().await.entry(key).or_default().clone();
        let _turn = turn.lock().await;
        if let Some((data, _)) = self.held(&key, fresh) {
            return Ok(data);
        }
        let data = std::sync::Arc::new(compute(desk.store.as_ref(), key).await?);
        self.put(key, data.clone());
        Ok(data)
    }
}
