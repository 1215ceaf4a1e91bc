//! A fake machine-translation server for end-to-end tests and benchmarks.
//!
//! It speaks three wire protocols (see `/work/shared/mt-backends.md`):
//! DeepL (`POST /v2/translate`), Yandex Cloud Translate v2 (`POST /translate/v2/translate`) and
//! OpenAI-compatible chat completions (`POST /v1/chat/completions`), validates requests the way the
//! vendor does (auth header, required fields, limits) and answers with a deterministic
//! pseudo-translation: `⟦xx⟧ ` + the text transliterated into the target script, placeholders
//! (`⟦1⟧`) kept.
//!
//! Faults are injected per request, deterministically for a given [`FakeConfig::seed`]: errors in the
//! vendor's shape, timeouts, malformed JSON, a dropped placeholder, rate limiting and a character
//! quota. Counters are read in-process through [`FakeHandle::stats`] or over HTTP at `GET /stats`.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let fake = audarma_fakemt::spawn(audarma_fakemt::FakeConfig::default()).await?;
//! let deepl_base = fake.url(); // http://127.0.0.1:PORT, then POST {base}/v2/translate
//! // … run the client …
//! assert_eq!(fake.stats().faults.error, 0);
//! # Ok(()) }
//! ```

mod protocols;
mod rng;
pub mod translate;

use axum::routing::{get, post};
use axum::Router;
use serde::Serialize;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;

pub use protocols::Protocol;

/// What the fake server does. `Default` is a well-behaved server: no latency, no faults, no limits,
/// auth headers required.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeConfig {
    /// Added to every translation request before anything else.
    pub latency: Duration,
    /// Probability of an injected error in the vendor's shape (half 429s, half 500/503).
    pub error_rate: f64,
    /// Probability that the server sleeps [`FakeConfig::timeout_sleep`] before answering.
    pub timeout_rate: f64,
    /// How long a "timed out" request sleeps (60 s by default; keep it short in tests).
    pub timeout_sleep: Duration,
    /// Probability of a 200 whose body is truncated, invalid JSON.
    pub malformed_rate: f64,
    /// Probability that one placeholder is removed from one translation of the response.
    pub drop_placeholder_rate: f64,
    /// Token bucket over all translation requests; over the limit → 429 with `Retry-After`.
    pub rate_limit: Option<RateLimit>,
    /// Characters (Unicode code points of the source texts) served before every protocol answers
    /// with its quota error (DeepL 456, Yandex 429 code 8, OpenAI 429 `insufficient_quota`).
    /// A request that would go over the quota is refused whole.
    pub quota_chars: Option<u64>,
    /// Seeds the per-request fault rolls.
    pub seed: u64,
    /// Refuse requests without the vendor's `Authorization` header (true by default).
    pub require_auth: bool,
}

impl Default for FakeConfig {
    fn default() -> Self {
        FakeConfig {
            latency: Duration::ZERO,
            error_rate: 0.0,
            timeout_rate: 0.0,
            timeout_sleep: Duration::from_secs(60),
            malformed_rate: 0.0,
            drop_placeholder_rate: 0.0,
            rate_limit: None,
            quota_chars: None,
            seed: 0,
            require_auth: true,
        }
    }
}

/// A request rate: `20/s`, `1200/m`, or a bare number of requests per second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    pub per_second: f64,
}

/// A `--rate-limit` that does not parse (clap prints it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RateLimitError {
    #[error("bad rate {text:?} (expected e.g. 20/s or 600/m)")]
    NotANumber {
        text: String,
        #[source]
        source: std::num::ParseFloatError,
    },
    #[error("bad rate unit {0:?} (expected s, m or h)")]
    Unit(String),
    #[error("rate must be positive, got {0:?}")]
    NotPositive(String),
}

impl FromStr for RateLimit {
    type Err = RateLimitError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (n, unit) = s.split_once('/').unwrap_or((s, "s"));
        let n: f64 = n.trim().parse().map_err(|source| RateLimitError::NotANumber { text: s.to_string(), source })?;
        let per = match unit.trim() {
            "s" | "sec" | "second" => 1.0,
            "m" | "min" | "minute" => 60.0,
            "h" | "hour" => 3600.0,
            other => return Err(RateLimitError::Unit(other.to_string())),
        };
        if !(n.is_finite() && n > 0.0) {
            return Err(RateLimitError::NotPositive(s.to_string()));
        }
        Ok(RateLimit { per_second: n / per })
    }
}

/// Requests received, by protocol (every request to the endpoint, refused ones included).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RequestCounts {
    pub deepl: u64,
    pub yandex: u64,
    pub openai: u64,
    pub total: u64,
}

/// Requests refused for a client mistake (not injected).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RejectedCounts {
    /// Missing or malformed `Authorization` header.
    pub auth: u64,
    /// Invalid body or parameters (400/413).
    pub bad_request: u64,
}

/// Faults injected, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FaultCounts {
    /// Injected 429/5xx (`error_rate`).
    pub error: u64,
    /// Requests that slept `timeout_sleep` (`timeout_rate`).
    pub timeout: u64,
    /// 200s with invalid JSON (`malformed_rate`).
    pub malformed: u64,
    /// Responses with one placeholder removed (`drop_placeholder_rate`; counted only when a
    /// placeholder was there to drop).
    pub drop_placeholder: u64,
    /// 429s from the token bucket (`rate_limit`).
    pub rate_limited: u64,
    /// Quota errors (`quota_chars`).
    pub quota: u64,
}

/// A snapshot of the counters; also the JSON of `GET /stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub requests: RequestCounts,
    /// Source characters (code points) in served translations.
    pub characters: u64,
    /// Segments (texts) in served translations.
    pub segments: u64,
    /// Responses with a translation (status 200, malformed ones included).
    pub translated: u64,
    pub rejected: RejectedCounts,
    pub faults: FaultCounts,
}

#[derive(Default)]
struct Counters {
    deepl: AtomicU64,
    yandex: AtomicU64,
    openai: AtomicU64,
    characters: AtomicU64,
    segments: AtomicU64,
    translated: AtomicU64,
    rejected_auth: AtomicU64,
    rejected_bad_request: AtomicU64,
    error: AtomicU64,
    timeout: AtomicU64,
    malformed: AtomicU64,
    drop_placeholder: AtomicU64,
    rate_limited: AtomicU64,
    quota: AtomicU64,
}

fn bump(c: &AtomicU64) {
    c.fetch_add(1, Ordering::Relaxed);
}

impl Counters {
    fn snapshot(&self) -> Stats {
        let g = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let (deepl, yandex, openai) = (g(&self.deepl), g(&self.yandex), g(&self.openai));
        Stats {
            requests: RequestCounts { deepl, yandex, openai, total: deepl + yandex + openai },
            characters: g(&self.characters),
            segments: g(&self.segments),
            translated: g(&self.translated),
            rejected: RejectedCounts { auth: g(&self.rejected_auth), bad_request: g(&self.rejected_bad_request) },
            faults: FaultCounts {
                error: g(&self.error),
                timeout: g(&self.timeout),
                malformed: g(&self.malformed),
                drop_placeholder: g(&self.drop_placeholder),
                rate_limited: g(&self.rate_limited),
                quota: g(&self.quota),
            },
        }
    }
}

struct Bucket {
    tokens: f64,
    last: Instant,
}

/// State shared by the handlers.
/// A DeepL glossary the fake keeps: (id, name, source_lang, target_lang, TSV entries).
type StoredGlossary = (String, String, String, String, String);

struct Shared {
    config: FakeConfig,
    counters: Counters,
    bucket: Mutex<Bucket>,
    /// How often each (protocol, body) was seen: the n-th identical request gets the n-th roll, so
    /// fault patterns do not depend on how concurrent clients interleave.
    seen: Mutex<HashMap<u64, u64>>,
    /// DeepL stored glossaries.
    glossaries: Mutex<Vec<StoredGlossary>>,
}

impl Shared {
    /// Takes a token; `Err(seconds)` to wait when the bucket is empty.
    fn take_token(&self) -> Result<(), u64> {
        let Some(limit) = self.config.rate_limit else { return Ok(()) };
        let capacity = limit.per_second.max(1.0);
        let mut b = self.bucket.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let elapsed = now.duration_since(b.last).as_secs_f64();
        b.tokens = (b.tokens + elapsed * limit.per_second).min(capacity);
        b.last = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - b.tokens) / limit.per_second;
            Err((wait.ceil() as u64).max(1))
        }
    }

    /// Reserves `chars` against the quota; false if they would go over it.
    fn reserve_chars(&self, chars: u64) -> bool {
        let c = &self.counters.characters;
        match self.config.quota_chars {
            None => {
                c.fetch_add(chars, Ordering::Relaxed);
                true
            }
            Some(q) => c
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |served| {
                    (served.saturating_add(chars) <= q).then_some(served + chars)
                })
                .is_ok(),
        }
    }

    fn rng_for(&self, protocol: Protocol, body: &[u8]) -> rng::SplitMix {
        let key = rng::fnv1a(protocol.name().as_bytes(), body);
        let n = {
            let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
            let n = seen.entry(key).or_insert(0);
            *n += 1;
            *n
        };
        rng::SplitMix::for_request(self.config.seed, key, n)
    }
}

/// A handle on a fake server's counters; cheap to clone.
#[derive(Clone)]
pub struct FakeHandle {
    shared: Arc<Shared>,
}

impl FakeHandle {
    /// The counters now.
    pub fn stats(&self) -> Stats {
        self.shared.counters.snapshot()
    }

    /// The configuration the server runs with.
    pub fn config(&self) -> &FakeConfig {
        &self.shared.config
    }
}

/// The router (all endpoints plus `GET /stats` and `GET /healthz`) and a handle on its counters, for
/// callers that serve it themselves.
pub fn router(config: FakeConfig) -> (Router, FakeHandle) {
    let capacity = config.rate_limit.map_or(0.0, |r| r.per_second.max(1.0));
    let shared = Arc::new(Shared {
        config,
        counters: Counters::default(),
        bucket: Mutex::new(Bucket { tokens: capacity, last: Instant::now() }),
        seen: Mutex::new(HashMap::new()),
        glossaries: Mutex::new(Vec::new()),
    });
    let app = Router::new()
        .route("/v2/translate", post(protocols::deepl))
        .route("/v2/glossaries", get(protocols::deepl_glossaries).post(protocols::deepl_glossary_create))
        .route("/v2/glossaries/{id}", axum::routing::delete(protocols::deepl_glossary_delete))
        .route("/translate/v2/translate", post(protocols::yandex))
        .route("/v1/chat/completions", post(protocols::openai))
        .route("/stats", get(protocols::stats))
        .route("/healthz", get(|| async { "ok" }))
        .with_state(Arc::clone(&shared));
    (app, FakeHandle { shared })
}

/// Serves the fake on `listener` until the task is dropped or the server fails.
pub async fn serve(config: FakeConfig, listener: TcpListener) -> std::io::Result<()> {
    let (app, _handle) = router(config);
    axum::serve(listener, app).await
}

/// A fake server running on a background task; dropping it stops the server.
pub struct RunningFake {
    addr: SocketAddr,
    handle: FakeHandle,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningFake {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR`, the base URL for every protocol.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn handle(&self) -> &FakeHandle {
        &self.handle
    }

    /// The counters now.
    pub fn stats(&self) -> Stats {
        self.handle.stats()
    }

    /// Stops the server (requests in flight are cut off).
    pub fn shutdown(self) {
        drop(self);
    }
}

impl Drop for RunningFake {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts the fake on 127.0.0.1 with a free port, on the current tokio runtime.
pub async fn spawn(config: FakeConfig) -> std::io::Result<RunningFake> {
    spawn_on(config, TcpListener::bind("127.0.0.1:0").await?).await
}

/// Starts the fake on an already bound listener, on the current tokio runtime.
pub async fn spawn_on(config: FakeConfig, listener: TcpListener) -> std::io::Result<RunningFake> {
    let addr = listener.local_addr()?;
    let (app, handle) = router(config);
    let task = tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(RunningFake { addr, handle, task })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rates() {
        assert_eq!("20/s".parse::<RateLimit>(), Ok(RateLimit { per_second: 20.0 }));
        assert_eq!("120/m".parse::<RateLimit>(), Ok(RateLimit { per_second: 2.0 }));
        assert_eq!("5".parse::<RateLimit>(), Ok(RateLimit { per_second: 5.0 }));
        assert_eq!("0/s".parse::<RateLimit>(), Err(RateLimitError::NotPositive("0/s".into())));
        assert_eq!("0/s".parse::<RateLimit>().unwrap_err().to_string(), "rate must be positive, got \"0/s\"");
        assert_eq!("3/d".parse::<RateLimit>(), Err(RateLimitError::Unit("d".into())));
        assert_eq!("3/d".parse::<RateLimit>().unwrap_err().to_string(), "bad rate unit \"d\" (expected s, m or h)");
        let e = "fast".parse::<RateLimit>().unwrap_err();
        assert_eq!(e.to_string(), "bad rate \"fast\" (expected e.g. 20/s or 600/m)");
        assert!(std::error::Error::source(&e).is_some());
    }
}
