//! Prometheus metrics in the text exposition format: jobs by state and language (read from the store at
//! scrape time, so several servers agree), request latency per route (a histogram kept in this process),
//! backend requests and characters (the usage every run records), and findings raised and dismissed per
//! check and language pair (the checks' precision in daily use).

use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Instant;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
pub struct Metrics {
    /// (method, route, status class) → latency histogram.
    requests: Mutex<BTreeMap<(String, String, u16), Histogram>>,
}

impl Metrics {
    fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let mut map = self.requests.lock().unwrap_or_else(|e| e.into_inner());
        let h = map.entry((method.to_string(), route.to_string(), status)).or_default();
        for (i, b) in BUCKETS.iter().enumerate() {
            if seconds <= *b {
                h.counts[i] += 1;
            }
        }
        h.count += 1;
        h.sum += seconds;
    }
}

/// The method as a label: one of the methods the desk answers, else `other` (a client may send any
/// token as a method; each would be a new series).
fn method_label(m: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *m {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Times every request, labelled by its route pattern (`/api/jobs/{id}`), never by the raw path, and by
/// a known method: every label has a bounded set of values, so no client can grow `/metrics`.
pub async fn track(State(desk): State<AppState>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string());
    let method = method_label(req.method());
    let start = Instant::now();
    let res = next.run(req).await;
    let route = route.unwrap_or_else(|| "unmatched".to_string());
    desk.metrics.observe(method, &route, res.status().as_u16(), start.elapsed().as_secs_f64());
    res
}

fn escape(v: &str) -> String {
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

pub async fn render(State(desk): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    if let Some(token) = &desk.config.metrics_token {
        let sent = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        if !crate::auth::same_secret(sent.trim(), token) {
            return (
                axum::http::StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                "metrics need a token\n",
            )
                .into_response();
        }
    }
    let mut out = String::new();
    out.push_str("# HELP audarma_jobs Jobs by state and target language.\n# TYPE audarma_jobs gauge\n");
    match desk.store.job_counts().await {
        Ok(counts) => {
            for c in counts {
                let _ = writeln!(
                    out,
                    "audarma_jobs{{state=\"{}\",target_lang=\"{}\"}} {}",
                    c.state.as_str(),
                    c.target_lang.code(),
                    c.jobs
                );
            }
        }
        Err(e) => tracing::error!(error = %e, "metrics: job counts"),
    }
    if let Ok(usage) = desk.store.usage_totals().await {
        out.push_str("# HELP audarma_backend_requests_total Requests sent to translation backends.\n");
        out.push_str("# TYPE audarma_backend_requests_total counter\n");
        for u in &usage {
            let _ =
                writeln!(out, "audarma_backend_requests_total{{backend=\"{}\"}} {}", escape(&u.backend), u.requests);
        }
        out.push_str("# HELP audarma_backend_characters_total Characters sent to translation backends.\n");
        out.push_str("# TYPE audarma_backend_characters_total counter\n");
        for u in &usage {
            let _ = writeln!(out, "audarma_backend_characters_total{{backend=\"{}\"}} {}", escape(&u.backend), u.chars);
        }
    }
    match desk.store.finding_counts().await {
        Ok(counts) => finding_lines(&mut out, &counts),
        Err(e) => tracing::error!(error = %e, "metrics: finding counts"),
    }
    out.push_str("# HELP audarma_http_request_duration_seconds Time to answer a request.\n");
    out.push_str("# TYPE audarma_http_request_duration_seconds histogram\n");
    let map = desk.metrics.requests.lock().unwrap_or_else(|e| e.into_inner());
    for ((method, route, status), h) in map.iter() {
        let labels = format!("method=\"{}\",route=\"{}\",status=\"{status}\"", escape(method), escape(route));
        for (i, b) in BUCKETS.iter().enumerate() {
            let _ =
                writeln!(out, "audarma_http_request_duration_seconds_bucket{{{labels},le=\"{b}\"}} {}", h.counts[i]);
        }
        let _ = writeln!(out, "audarma_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}", h.count);
        let _ = writeln!(out, "audarma_http_request_duration_seconds_sum{{{labels}}} {}", h.sum);
        let _ = writeln!(out, "audarma_http_request_duration_seconds_count{{{labels}}} {}", h.count);
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], out).into_response()
}

/// `audarma_findings_raised_total` and `audarma_findings_dismissed_total` per (check, source, target).
/// The check label is one of the QA checks' names, else `other`, so no stored text can make new series.
fn finding_lines(out: &mut String, counts: &[audarma_store::FindingCount]) {
    let mut sums: BTreeMap<(&str, &str, &str), (u64, u64)> = BTreeMap::new();
    for c in counts {
        let check = c.check.as_str();
        let e = sums.entry((check, c.source_lang.code(), c.target_lang.code())).or_default();
        e.0 += c.raised;
        e.1 += c.dismissed;
    }
    for (name, help, pick) in [
        ("audarma_findings_raised_total", "Findings raised by the checks, once per segment text.", 0),
        ("audarma_findings_dismissed_total", "Findings a translator or reviewer marked not a problem.", 1),
    ] {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
        for ((check, source, target), (raised, dismissed)) in &sums {
            let n = if pick == 0 { raised } else { dismissed };
            let _ = writeln!(out, "{name}{{check=\"{check}\",source=\"{source}\",target=\"{target}\"}} {n}");
        }
    }
}
