//! The one call policy every vendor goes through: batching to the vendor's limits, a concurrency
//! limit and rate limits, retries with exponential backoff and jitter (honouring `Retry-After`),
//! placeholders for do-not-translate terms, and validation of every translation with one repair
//! round. Vendors only speak their protocol ([`crate::Vendor`]); nothing here knows a vendor.

use crate::{
    BackendConfig, CallError, ConfigError, GlossaryEntries, GlossarySupport, Limits, MtError, MtOutput, MtRequest,
    MtSegment, RateError, RateLimitConfig, TermHint, Translator, Usage, Vendor, VendorRequest, VendorResponse,
};
use async_trait::async_trait;
use audarma_core::{Lang, SuggestionOrigin};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// Request and character budgets, scheduled as "virtual time" (GCRA): each request reserves the
/// next free slot and waits for it, so bursts are smoothed without a background task.
#[derive(Debug, Default)]
struct Throttle {
    per_request: Option<Duration>,
    per_char: Option<Duration>,
    next_request: Mutex<Option<Instant>>,
    next_chars: Mutex<Option<Instant>>,
}

impl Throttle {
    fn new(cfg: Option<&RateLimitConfig>) -> Result<Throttle, RateError> {
        if let Some(cfg) = cfg {
            check_rate_limit(cfg)?;
        }
        let (rps, cpm) = match cfg {
            None => (None, None),
            Some(RateLimitConfig::Requests(s)) => (Some(parse_rate(s)?), None),
            Some(RateLimitConfig::Table { requests_per_second, chars_per_minute }) => {
                (*requests_per_second, chars_per_minute.map(|c| c as f64))
            }
        };
        let per = |n: Option<f64>, unit: f64| n.filter(|n| *n > 0.0).map(|n| Duration::from_secs_f64(unit / n));
        Ok(Throttle { per_request: per(rps, 1.0), per_char: per(cpm, 60.0), ..Default::default() })
    }

    fn reserve(slot: &Mutex<Option<Instant>>, cost: Duration) -> Option<Instant> {
        let mut next = slot.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let at = next.filter(|t| *t > now).unwrap_or(now);
        *next = Some(at + cost);
        (at > now).then_some(at)
    }

    async fn wait(&self, chars: usize) {
        let mut until = None;
        if let Some(p) = self.per_request {
            until = Self::reserve(&self.next_request, p);
        }
        if let Some(p) = self.per_char {
            let t = Self::reserve(&self.next_chars, p * chars as u32);
            until = until.max(t);
        }
        if let Some(t) = until {
            tokio::time::sleep_until(t.into()).await;
        }
    }
}

/// Whether a workflow's `rate_limit` is one audarma can keep: it parses and every number in it is more
/// than zero (`"0/s"` or `chars_per_minute = 0` would stop every request; they were silently ignored).
pub fn check_rate_limit(cfg: &RateLimitConfig) -> Result<(), RateError> {
    match cfg {
        RateLimitConfig::Requests(s) => parse_rate(s).map(|_| ()),
        RateLimitConfig::Table { requests_per_second, chars_per_minute } => {
            if let Some(r) = requests_per_second.filter(|r| !(r.is_finite() && *r > 0.0)) {
                return Err(RateError::NotPositive { text: format!("requests_per_second = {r}") });
            }
            if chars_per_minute == &Some(0) {
                return Err(RateError::NotPositive { text: "chars_per_minute = 0".into() });
            }
            Ok(())
        }
    }
}

/// `"20/s"`, `"600/min"`, `"5"` (per second) → requests per second.
fn parse_rate(s: &str) -> Result<f64, RateError> {
    let (n, unit) = s.split_once('/').unwrap_or((s, "s"));
    let n: f64 = n.trim().parse().map_err(|source| RateError::NotARate { text: s.to_string(), source })?;
    if !(n.is_finite() && n > 0.0) {
        return Err(RateError::NotPositive { text: s.to_string() });
    }
    match unit.trim() {
        "s" | "sec" | "second" => Ok(n),
        "m" | "min" | "minute" => Ok(n / 60.0),
        "h" | "hour" => Ok(n / 3600.0),
        _ => Err(RateError::UnknownUnit { text: s.to_string() }),
    }
}

/// A random fraction in [0, 1) for jitter, without a random-number crate.
fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(Instant::now().elapsed().as_nanos() as u64);
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// The backoff before retry `attempt` (0-based): exponential from 0.5 s, capped at 30 s, with full
/// jitter on its upper half; never shorter than what the server asked for.
pub fn backoff(attempt: u32, retry_after: Option<Duration>) -> Duration {
    let base = Duration::from_millis(500).saturating_mul(1u32 << attempt.min(10)).min(Duration::from_secs(30));
    let jittered = base.mul_f64(0.5 + 0.5 * jitter());
    // A server asking for more than two minutes is not waited for longer than that.
    retry_after.map_or(jittered, |r| r.min(Duration::from_secs(120)).max(jittered))
}

/// Placeholder brackets, in order of preference: the first pair that occurs nowhere in the segment
/// (nor in its terms) is used, so a placeholder can never be confused with the text (a release that
/// quotes `⟦1⟧` gets `⟪1⟫` placeholders).
const MARKERS: [(char, char); 4] = [('⟦', '⟧'), ('⟪', '⟫'), ('⦃', '⦄'), ('〖', '〗')];

/// A segment as sent: `dnt` terms replaced by numbered placeholders, the originals, and the brackets
/// used for this segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Protected {
    pub text: String,
    pub originals: Vec<String>,
    open: char,
    close: char,
}

/// Replaces `dnt` terms with numbered placeholders (`⟦1⟧`, or another bracket pair when the text
/// holds that one). A segment in which every bracket pair occurs is sent as it is, unprotected: the
/// glossary check still catches a translated name, and nothing is lost.
pub fn protect(text: &str, terms: &[TermHint]) -> Protected {
    let mut dnt: Vec<&TermHint> = terms.iter().filter(|t| t.dnt && !t.source.is_empty()).collect();
    let free = |c: char| !text.contains(c) && dnt.iter().all(|t| !t.source.contains(c));
    let Some(&(open, close)) = MARKERS.iter().find(|(o, c)| free(*o) && free(*c)) else {
        return Protected { text: text.to_string(), originals: Vec::new(), open: MARKERS[0].0, close: MARKERS[0].1 };
    };
    let mut spans: Vec<(usize, usize)> = Vec::new();
    dnt.sort_by_key(|t| std::cmp::Reverse(t.source.len()));
    for t in dnt {
        for (i, _) in text.match_indices(t.source.as_str()) {
            let e = i + t.source.len();
            if spans.iter().all(|(a, b)| e <= *a || i >= *b) {
                spans.push((i, e));
            }
        }
    }
    spans.sort();
    let mut out = String::with_capacity(text.len());
    let mut originals = Vec::new();
    let mut at = 0;
    for (s, e) in spans {
        out.push_str(&text[at..s]);
        originals.push(text[s..e].to_string());
        out.push_str(&format!("{open}{}{close}", originals.len()));
        at = e;
    }
    out.push_str(&text[at..]);
    Protected { text: out, originals, open, close }
}

/// A placeholder a translation lost or invented; the message is the violation the repair round sends.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlaceholderError {
    /// A placeholder with no original: as written.
    #[error("placeholder {0} was invented")]
    Invented(String),
    /// A placeholder (1-based) is missing: the term it stood for.
    #[error("placeholder {open}{n}{close} ({original}) was lost")]
    Lost { n: usize, original: String, open: char, close: char },
}

/// Puts the originals back; an error names a placeholder that was lost or invented (a repeated one is
/// restored each time). A segment sent without placeholders comes back as it is, brackets and all.
pub fn restore(text: &str, p: &Protected) -> Result<String, PlaceholderError> {
    if p.originals.is_empty() {
        return Ok(text.to_string());
    }
    let (open, close, originals) = (p.open, p.close, &p.originals);
    let mut out = String::with_capacity(text.len());
    let mut seen = vec![0usize; originals.len()];
    let mut rest = text;
    while let Some(i) = rest.find(open) {
        out.push_str(&rest[..i]);
        let after = &rest[i + open.len_utf8()..];
        let Some(j) = after.find(close) else {
            out.push_str(&rest[i..]);
            rest = "";
            break;
        };
        let inner = &after[..j];
        if inner.is_empty() || !inner.bytes().all(|b| b.is_ascii_digit()) {
            // Not a placeholder (`⟦ru⟧` marks a pseudo-translation): literal text.
            out.push(open);
            rest = after;
            continue;
        }
        match inner.parse::<usize>() {
            Ok(n) if n >= 1 && n <= originals.len() => {
                seen[n - 1] += 1;
                out.push_str(&originals[n - 1]);
            }
            _ => return Err(PlaceholderError::Invented(format!("{open}{inner}{close}"))),
        }
        rest = &after[j + close.len_utf8()..];
    }
    out.push_str(rest);
    if let Some(n) = seen.iter().position(|c| *c == 0) {
        return Err(PlaceholderError::Lost { n: n + 1, original: originals[n].clone(), open, close });
    }
    Ok(out)
}

/// Why a translation cannot be offered, or `None` when it passes.
pub fn validate(source: &str, translation: &str, target: Lang) -> Option<String> {
    let t = translation.trim();
    if t.is_empty() {
        return Some("empty translation".into());
    }
    let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() >= 12 {
        let cyrillic = letters.iter().filter(|c| matches!(**c, '\u{0400}'..='\u{04FF}')).count();
        let share = cyrillic as f64 / letters.len() as f64;
        let source_letters = source.chars().filter(|c| c.is_alphabetic()).count().max(1);
        let _ = source_letters;
        match target {
            Lang::Kk | Lang::Ru if share < 0.5 => {
                return Some(format!("not in {} script (only {:.0}% Cyrillic letters)", target.code(), share * 100.0))
            }
            Lang::En if share > 0.5 => {
                return Some(format!("not in English script ({:.0}% Cyrillic letters)", share * 100.0))
            }
            _ => {}
        }
    }
    None
}

/// A vendor behind audarma's call policy.
pub struct Governed {
    vendor: Box<dyn Vendor>,
    limits: Limits,
    permits: Semaphore,
    concurrency: usize,
    throttle: Throttle,
    timeout: Duration,
    max_retries: u32,
    requests: AtomicU64,
    chars: AtomicU64,
    billed: AtomicU64,
    tokens_in: AtomicU64,
    tokens_out: AtomicU64,
    retries: AtomicU64,
}

impl Governed {
    /// Wraps a vendor; the error names a bad `rate_limit`.
    pub fn try_new(vendor: Box<dyn Vendor>, config: &BackendConfig) -> Result<Self, ConfigError> {
        let limits = vendor.limits();
        Ok(Governed {
            vendor,
            limits,
            permits: Semaphore::new(config.concurrency.unwrap_or(4).max(1)),
            concurrency: config.concurrency.unwrap_or(4).max(1),
            throttle: Throttle::new(config.rate_limit.as_ref())
                .map_err(|source| ConfigError::RateLimit { kind: config.kind, source })?,
            timeout: Duration::from_secs(config.timeout_secs.unwrap_or(30).max(1)),
            max_retries: config.max_retries.unwrap_or(4),
            requests: AtomicU64::new(0),
            chars: AtomicU64::new(0),
            billed: AtomicU64::new(0),
            tokens_in: AtomicU64::new(0),
            tokens_out: AtomicU64::new(0),
            retries: AtomicU64::new(0),
        })
    }

    fn err(&self, e: CallError) -> MtError {
        let backend = self.vendor.name().to_string();
        match e {
            CallError::Quota { message } => MtError::Quota { backend, message },
            CallError::Fatal { message } => MtError::Fatal { backend, message },
            CallError::Retryable { message, .. } | CallError::Malformed { message } => {
                MtError::Transient { backend, message }
            }
        }
    }

    /// One request, retried on temporary failures and malformed answers.
    async fn call(&self, request: &VendorRequest) -> Result<VendorResponse, MtError> {
        let chars = request.chars();
        let mut attempt = 0;
        loop {
            self.throttle.wait(chars).await;
            let result = {
                let _permit = self
                    .permits
                    .acquire()
                    .await
                    .map_err(|_| self.err(CallError::Fatal { message: "closed".into() }))?;
                self.requests.fetch_add(1, Ordering::Relaxed);
                self.chars.fetch_add(chars as u64, Ordering::Relaxed);
                match tokio::time::timeout(self.timeout + Duration::from_secs(5), self.vendor.call(request)).await {
                    Ok(r) => r,
                    Err(_) => Err(CallError::Retryable { message: "timed out".into(), retry_after: None }),
                }
            };
            let result = result.and_then(|r| {
                if r.texts.len() == request.texts.len() {
                    Ok(r)
                } else {
                    Err(CallError::Malformed {
                        message: format!("{} translations for {} texts", r.texts.len(), request.texts.len()),
                    })
                }
            });
            match result {
                Ok(r) => {
                    self.billed.fetch_add(r.billed_chars.unwrap_or(chars as u64), Ordering::Relaxed);
                    if let Some((i, o)) = r.tokens {
                        self.tokens_in.fetch_add(i, Ordering::Relaxed);
                        self.tokens_out.fetch_add(o, Ordering::Relaxed);
                    }
                    return Ok(r);
                }
                Err(e @ (CallError::Retryable { .. } | CallError::Malformed { .. })) if attempt < self.max_retries => {
                    let after = match &e {
                        CallError::Retryable { retry_after, .. } => *retry_after,
                        _ => None,
                    };
                    let wait = backoff(attempt, after);
                    tracing::info!(backend = self.vendor.name(), attempt, error = %e, wait_ms = wait.as_millis() as u64, "retrying");
                    self.retries.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                Err(e) => return Err(self.err(e)),
            }
        }
    }

    /// Cuts segments into batches within the vendor's limits (a segment larger than a batch goes alone).
    fn batches<'a>(&self, items: &'a [(usize, String)]) -> Vec<&'a [(usize, String)]> {
        let mut out = Vec::new();
        let (mut start, mut chars, mut bytes) = (0, 0, 0);
        for (i, (_, text)) in items.iter().enumerate() {
            let (c, b) = (text.chars().count(), text.len());
            let full = i - start >= self.limits.max_segments
                || chars + c > self.limits.max_chars
                || bytes + b > self.limits.max_bytes;
            if i > start && full {
                out.push(&items[start..i]);
                start = i;
                chars = 0;
                bytes = 0;
            }
            chars += c;
            bytes += b;
        }
        if start < items.len() {
            out.push(&items[start..]);
        }
        out
    }

    /// Translates protected texts (`(index into segments, text)`), batch by batch, concurrently.
    async fn translate_texts(
        &self,
        request: &MtRequest,
        items: &[(usize, String)],
        repair: Option<&[String]>,
    ) -> Result<Vec<(usize, String)>, MtError> {
        let terms = batch_terms(&request.segments);
        let calls = self.batches(items).into_iter().map(|batch| {
            let vr = VendorRequest {
                source: request.source,
                target: request.target,
                texts: batch.iter().map(|(_, t)| t.clone()).collect(),
                terms: match self.vendor.glossary(request.source, request.target) {
                    GlossarySupport::None => Vec::new(),
                    _ => terms
                        .iter()
                        .filter(|t| batch.iter().any(|(_, s)| s.contains(t.source.as_str())))
                        .cloned()
                        .collect(),
                },
                repair: repair.map(|r| batch.iter().map(|(i, _)| r.get(*i).cloned().unwrap_or_default()).collect()),
            };
            async move {
                let r = self.call(&vr).await?;
                Ok::<_, MtError>(batch.iter().map(|(i, _)| *i).zip(r.texts).collect::<Vec<_>>())
            }
        });
        let mut out = Vec::with_capacity(items.len());
        for r in futures_util::future::join_all(calls).await {
            out.extend(r?);
        }
        Ok(out)
    }
}

/// The distinct non-`dnt` terms of a request's segments.
fn batch_terms(segments: &[MtSegment]) -> Vec<TermHint> {
    let mut out: Vec<TermHint> = Vec::new();
    for t in segments.iter().flat_map(|s| &s.terms).filter(|t| !t.dnt) {
        if !out.iter().any(|o| o.source == t.source && o.target == t.target) {
            out.push(t.clone());
        }
    }
    out
}

#[async_trait]
impl Translator for Governed {
    fn name(&self) -> &str {
        self.vendor.name()
    }

    fn model(&self) -> Option<&str> {
        self.vendor.model()
    }

    fn supports(&self, source: Lang, target: Lang) -> bool {
        self.vendor.supports(source, target)
    }

    fn concurrency(&self) -> usize {
        self.concurrency
    }

    fn usage(&self) -> Usage {
        Usage {
            requests: self.requests.load(Ordering::Relaxed),
            chars: self.chars.load(Ordering::Relaxed),
            billed_chars: self.billed.load(Ordering::Relaxed),
            tokens_in: self.tokens_in.load(Ordering::Relaxed),
            tokens_out: self.tokens_out.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
        }
    }

    async fn prepare(&self, glossaries: &[GlossaryEntries]) -> Result<(), MtError> {
        for g in glossaries {
            if self.vendor.supports(g.source, g.target)
                && self.vendor.glossary(g.source, g.target) == GlossarySupport::Stored
            {
                self.vendor.prepare_glossary(g.source, g.target, &g.entries).await.map_err(|e| self.err(e))?;
            }
        }
        Ok(())
    }

    async fn translate(&self, request: &MtRequest) -> Result<Vec<MtOutput>, MtError> {
        if !self.vendor.supports(request.source, request.target) {
            return Err(MtError::Fatal {
                backend: self.vendor.name().into(),
                message: format!("does not translate {}→{}", request.source, request.target),
            });
        }
        let protected: Vec<Protected> = request.segments.iter().map(|s| protect(&s.text, &s.terms)).collect();
        let items: Vec<(usize, String)> = protected.iter().enumerate().map(|(i, p)| (i, p.text.clone())).collect();
        let mut results: Vec<Result<String, String>> = vec![Err("not translated".into()); request.segments.len()];
        // The script is judged on the translation as returned, placeholders still in, so that
        // do-not-translate names in Latin letters do not count against a Cyrillic target.
        let check = |i: usize, t: &str| match validate(&protected[i].text, t, request.target) {
            Some(v) => Err(v),
            None => restore(t, &protected[i]).map_err(|e| e.to_string()),
        };
        for (i, t) in self.translate_texts(request, &items, None).await? {
            results[i] = check(i, &t);
        }
        // One repair round for the segments that failed validation, telling the vendor why.
        let failed: Vec<(usize, String)> = items.iter().filter(|(i, _)| results[*i].is_err()).cloned().collect();
        if !failed.is_empty() {
            let violations: Vec<String> =
                results.iter().map(|r| r.as_ref().err().cloned().unwrap_or_default()).collect();
            for (i, t) in self.translate_texts(request, &failed, Some(&violations)).await? {
                results[i] = check(i, &t);
            }
        }
        Ok(request
            .segments
            .iter()
            .zip(results)
            .map(|(s, r)| match r {
                Ok(text) => MtOutput {
                    idx: s.idx,
                    text: Some(text),
                    origin: SuggestionOrigin::Machine,
                    error: None,
                    backend: None,
                    model: None,
                },
                Err(e) => MtOutput {
                    idx: s.idx,
                    text: None,
                    origin: SuggestionOrigin::None,
                    error: Some(e),
                    backend: None,
                    model: None,
                },
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cases per property: a quick run by default (CI); `AUDARMA_FUZZ_CASES` asks for more (`just fuzz`).
    fn fuzz_cases(default: u32) -> u32 {
        std::env::var("AUDARMA_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
    }

    fn dnt(s: &str) -> TermHint {
        TermHint { id: "x".into(), source: s.into(), target: s.into(), accepted: vec![], dnt: true }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(fuzz_cases(300)))]
        /// Any text, any do-not-translate terms cut from it: what is sent comes back as the text, brackets
        /// of every kind in the text included, and placeholders may come back in any order.
        #[test]
        fn placeholders_round_trip_losslessly_for_any_text(
            text in "([⟦⟧⟪⟫⦃⦄〖〗0-9 ]|[a-zA-Z]{1,6}|[а-яәіңғүұқөһ]{1,6}|Astana Hub){0,24}",
            cuts in proptest::collection::vec((0usize..64, 1usize..12), 0..4),
        ) {
            let chars: Vec<char> = text.chars().collect();
            let terms: Vec<TermHint> = cuts
                .iter()
                .filter_map(|&(at, len)| {
                    let at = at.min(chars.len());
                    let term: String = chars[at..(at + len).min(chars.len())].iter().collect();
                    (!term.trim().is_empty()).then(|| dnt(&term))
                })
                .collect();
            let p = protect(&text, &terms);
            proptest::prop_assert_eq!(restore(&p.text, &p).unwrap(), text.clone());
            // The same placeholders, moved about by a translation.
            let mut moved: Vec<&str> = p.text.split(' ').collect();
            moved.reverse();
            let back = restore(&moved.join(" "), &p).unwrap();
            proptest::prop_assert_eq!(back.chars().filter(|c| !c.is_whitespace()).count(), text.chars().filter(|c| !c.is_whitespace()).count());
        }
    }

    #[test]
    fn placeholders_round_trip_and_losses_are_named() {
        let p = protect("Astana Hub hosts Astana Hub Day.", &[dnt("Astana Hub")]);
        assert_eq!(p.text, "⟦1⟧ hosts ⟦2⟧ Day.");
        assert_eq!(restore("⟦1⟧ өткізеді ⟦2⟧ күнін.", &p).unwrap(), "Astana Hub өткізеді Astana Hub күнін.");
        let lost = restore("⟦1⟧ өткізеді.", &p).unwrap_err();
        assert_eq!(lost.to_string(), "placeholder ⟦2⟧ (Astana Hub) was lost");
        let invented = restore("⟦1⟧ ⟦2⟧ ⟦3⟧", &p).unwrap_err();
        assert_eq!(invented.to_string(), "placeholder ⟦3⟧ was invented");
        assert_eq!(restore("⟦kk⟧ ⟦1⟧ ⟦2⟧", &p).unwrap(), "⟦kk⟧ Astana Hub Astana Hub");
        // A release that itself writes ⟦1⟧ gets other brackets, and keeps its own text.
        let quoted = protect("Step ⟦1⟧ at Astana Hub.", &[dnt("Astana Hub")]);
        assert_eq!(quoted.text, "Step ⟦1⟧ at ⟪1⟫.");
        assert_eq!(restore("Шаг ⟦1⟧ в ⟪1⟫.", &quoted).unwrap(), "Шаг ⟦1⟧ в Astana Hub.");
        // Without dnt terms nothing is a placeholder, whatever the text holds.
        let plain = protect("Item ⟦2⟧ of the agenda.", &[]);
        assert_eq!(restore("Пункт ⟦2⟧ повестки.", &plain).unwrap(), "Пункт ⟦2⟧ повестки.");
    }

    #[test]
    fn validation_checks_script_and_emptiness() {
        assert_eq!(validate("x", " ", Lang::Kk).as_deref(), Some("empty translation"));
        assert!(validate("The talks ended in Astana.", "The talks ended in Astana.", Lang::Ru).is_some());
        assert!(validate("The talks ended in Astana.", "Переговоры завершились в Астане.", Lang::Ru).is_none());
        assert!(validate("Переговоры завершились.", "Переговоры завершились в Астане.", Lang::En).is_some());
        assert!(validate("OSCE", "ОБСЕ", Lang::Ru).is_none());
    }

    #[test]
    fn backoff_grows_caps_and_honours_retry_after() {
        assert!(backoff(0, None) >= Duration::from_millis(250) && backoff(0, None) <= Duration::from_millis(500));
        assert!(backoff(3, None) >= Duration::from_secs(2));
        assert!(backoff(20, None) <= Duration::from_secs(30));
        assert!(backoff(0, Some(Duration::from_secs(3))) >= Duration::from_secs(3));
        assert!(backoff(0, Some(Duration::from_secs(3600))) <= Duration::from_secs(120));
    }

    #[test]
    fn rates_parse() {
        assert_eq!(parse_rate("20/s"), Ok(20.0));
        assert_eq!(parse_rate("600/min"), Ok(10.0));
        let e = parse_rate("fast").unwrap_err();
        assert_eq!(e.to_string(), "`rate_limit`: \"fast\" is not like \"20/s\" or \"600/min\"");
        assert!(std::error::Error::source(&e).is_some(), "the float's parse error is kept");
        assert_eq!(parse_rate("5/week"), Err(RateError::UnknownUnit { text: "5/week".into() }));
    }
}
