//! Machine translation for audarma: the [`Translator`] trait every backend implements, and the
//! offline backends.
//!
//! - [`Translator::translate`] takes a batch of segments of one language pair, each with the glossary
//!   terms found in it ([`TermHint`]), and returns one [`MtOutput`] per segment, in order. A segment a
//!   backend cannot translate comes back with `text: None` (the translator starts from empty).
//! - [`MemoryTranslator`]: exact translation-memory matches only (through [`TmSource`]).
//! - [`PseudoTranslator`]: a deterministic pseudo-translation, marked `⟦xx⟧`, with glossary terms
//!   put in their target form: for testing pipelines and review UIs without a vendor.
//!
//! Only this crate talks to translation services.

mod error;
mod policy;
mod pseudo;
pub mod router;
pub mod vendor;
pub mod vendors;

use async_trait::async_trait;
use audarma_core::{Lang, SuggestionOrigin};
pub use audarma_glossary::TermHint;
pub use error::{ConfigError, PairError, RateError, RoutingError, TmError};
pub use policy::{check_rate_limit, Governed};
pub use pseudo::{pseudo_translate, PseudoTranslator};
pub use router::Router;
use std::sync::Arc;
pub use vendor::{CallError, GlossarySupport, Limits, Vendor, VendorRequest, VendorResponse};

/// One segment to translate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MtSegment {
    pub idx: u32,
    pub text: String,
    pub terms: Vec<TermHint>,
}

/// A batch of segments of one language pair.
#[derive(Debug, Clone)]
pub struct MtRequest {
    pub source: Lang,
    pub target: Lang,
    pub segments: Vec<MtSegment>,
}

impl MtRequest {
    /// Characters that would be sent (what vendors bill).
    pub fn chars(&self) -> usize {
        self.segments.iter().map(|s| s.text.chars().count()).sum()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MtOutput {
    pub idx: u32,
    pub text: Option<String>,
    pub origin: SuggestionOrigin,
    /// Why the segment could not be translated (validation failed twice, a placeholder was lost).
    pub error: Option<String>,
    /// The backend that produced it, when not the one called (a router's member).
    pub backend: Option<String>,
    /// The model of the backend that produced it, when not the one called (a router's member).
    pub model: Option<String>,
}

/// What a backend has sent and been billed for since it was built.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Usage {
    pub requests: u64,
    /// Characters sent (Unicode code points of the texts).
    pub chars: u64,
    /// Characters the vendor billed, where it says; else the characters sent.
    pub billed_chars: u64,
    pub tokens_in: u64,
    pub tokens_out: u64,
    pub retries: u64,
}

impl Usage {
    /// What was used since `earlier` (a reading of the same backend's counters).
    pub fn since(&self, earlier: &Usage) -> Usage {
        Usage {
            requests: self.requests.saturating_sub(earlier.requests),
            chars: self.chars.saturating_sub(earlier.chars),
            billed_chars: self.billed_chars.saturating_sub(earlier.billed_chars),
            tokens_in: self.tokens_in.saturating_sub(earlier.tokens_in),
            tokens_out: self.tokens_out.saturating_sub(earlier.tokens_out),
            retries: self.retries.saturating_sub(earlier.retries),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MtError {
    /// Worth trying again later (timeouts, 429, 5xx).
    #[error("{backend}: temporary failure: {message}")]
    Transient { backend: String, message: String },
    /// The quota or budget is exhausted: stop the run, leave the remaining jobs queued.
    #[error("{backend}: quota exhausted: {message}")]
    Quota { backend: String, message: String },
    /// Will fail again the same way (bad request, authentication, unsupported pair).
    #[error("{backend}: {message}")]
    Fatal { backend: String, message: String },
}

#[async_trait]
pub trait Translator: Send + Sync {
    /// The backend's name as stored beside each suggestion (`memory`, `pseudo`, `deepl`, …).
    fn name(&self) -> &str;

    /// The model, where the backend has one (part of the translation cache key).
    fn model(&self) -> Option<&str> {
        None
    }

    /// Whether this backend translates `source → target`.
    fn supports(&self, source: Lang, target: Lang) -> bool {
        source != target
    }

    /// Whether its translations are worth caching (not for memory or pseudo).
    fn cacheable(&self) -> bool {
        true
    }

    /// How many requests it takes at once (the run claims that many jobs at a time).
    fn concurrency(&self) -> usize {
        1
    }

    /// What it has sent so far.
    fn usage(&self) -> Usage {
        Usage::default()
    }

    /// What each backend behind it has sent (a router has several).
    fn usage_by_backend(&self) -> Vec<(String, Usage)> {
        vec![(self.name().to_string(), self.usage())]
    }

    /// The name translations of this pair are cached under.
    fn cache_name(&self, _source: Lang, _target: Lang) -> String {
        match self.model() {
            Some(m) => format!("{}:{m}", self.name()),
            None => self.name().to_string(),
        }
    }

    async fn translate(&self, request: &MtRequest) -> Result<Vec<MtOutput>, MtError>;

    /// Hands the glossary to backends that keep it stored (DeepL), once per run: per language pair,
    /// (source term, target term) entries. Backends with inline or prompt glossaries ignore it.
    async fn prepare(&self, _glossaries: &[GlossaryEntries]) -> Result<(), MtError> {
        Ok(())
    }
}

/// One language pair's glossary entries: (source term, target term).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlossaryEntries {
    pub source: Lang,
    pub target: Lang,
    pub entries: Vec<(String, String)>,
}

/// Exact translation-memory lookups, as the store provides them.
#[async_trait]
pub trait TmSource: Send + Sync {
    /// One answer per text, in order.
    async fn exact(&self, source: Lang, target: Lang, texts: &[String]) -> Result<Vec<Option<String>>, TmError>;
}

/// The `memory` backend: exact translation-memory matches; other segments stay empty.
pub struct MemoryTranslator {
    tm: Arc<dyn TmSource>,
}

impl MemoryTranslator {
    pub fn new(tm: Arc<dyn TmSource>) -> Self {
        MemoryTranslator { tm }
    }
}

#[async_trait]
impl Translator for MemoryTranslator {
    fn name(&self) -> &str {
        "memory"
    }

    fn cacheable(&self) -> bool {
        false
    }

    async fn translate(&self, request: &MtRequest) -> Result<Vec<MtOutput>, MtError> {
        let texts: Vec<String> = request.segments.iter().map(|s| s.text.clone()).collect();
        let found = self
            .tm
            .exact(request.source, request.target, &texts)
            .await
            .map_err(|e| MtError::Transient { backend: "memory".into(), message: e.to_string() })?;
        Ok(request
            .segments
            .iter()
            .zip(found)
            .map(|(s, t)| MtOutput {
                idx: s.idx,
                origin: if t.is_some() { SuggestionOrigin::Memory } else { SuggestionOrigin::None },
                text: t,
                error: None,
                backend: None,
                model: None,
            })
            .collect())
    }
}

/// The backend kinds a workflow can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BackendKind {
    Memory,
    Pseudo,
    Deepl,
    Google,
    Yandex,
    Libretranslate,
    Openai,
    Command,
}

impl BackendKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BackendKind::Memory => "memory",
            BackendKind::Pseudo => "pseudo",
            BackendKind::Deepl => "deepl",
            BackendKind::Google => "google",
            BackendKind::Yandex => "yandex",
            BackendKind::Libretranslate => "libretranslate",
            BackendKind::Openai => "openai",
            BackendKind::Command => "command",
        }
    }
}

impl std::fmt::Display for BackendKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A `[backend]` table (or one of `[backends.NAME]`) of a workflow. Keys a kind does not use are
/// refused when the backend is built, naming the key.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct BackendConfig {
    pub kind: BackendKind,
    /// Overrides the vendor's default endpoint (self-hosted servers, proxies, tests).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// The name of the environment variable holding the API key (never the key itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key_env: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Requests in flight at once (default 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrency: Option<usize>,
    /// `"20/s"`, `"600/min"` (requests), or a table `{ requests_per_second = 20, chars_per_minute = 100000 }`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimitConfig>,
    /// Seconds before one request is abandoned (default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_secs: Option<u64>,
    /// Retries of a failed call before giving up (default 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_retries: Option<u32>,
    /// Google: `"v2"` (API key) or `"v3"` (bearer token); Yandex: ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// Yandex: the folder id sent as `folderId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<String>,
    /// Yandex: `"api-key"` (default) or `"iam"` (the variable holds an IAM token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<String>,
    /// Google v3: project id and location (default `global`; glossaries need a region).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Google v3: a stored glossary id to use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub glossary_id: Option<String>,
    /// LLMs: sampling temperature (default 0.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// `command`: the program and its arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    /// Language pairs this backend is used for, `"ru-kk"`; empty: every pair it supports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pairs: Vec<String>,
}

impl BackendConfig {
    /// A backend of `kind` with every option at its default.
    pub fn of(kind: BackendKind) -> Self {
        BackendConfig {
            kind,
            base_url: None,
            api_key_env: None,
            model: None,
            concurrency: None,
            rate_limit: None,
            timeout_secs: None,
            max_retries: None,
            api_version: None,
            folder_id: None,
            auth: None,
            project: None,
            location: None,
            glossary_id: None,
            temperature: None,
            command: None,
            pairs: Vec::new(),
        }
    }

    /// The API key from the environment variable the workflow names. The error names the variable,
    /// never a value.
    pub fn api_key(&self) -> Result<Option<String>, ConfigError> {
        match &self.api_key_env {
            None => Ok(None),
            Some(var) => match std::env::var(var) {
                Ok(v) if !v.trim().is_empty() => Ok(Some(v.trim().to_string())),
                _ => Err(ConfigError::KeyNotSet { kind: self.kind, var: var.clone() }),
            },
        }
    }
}

/// A rate limit as written in a workflow.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(untagged)]
pub enum RateLimitConfig {
    /// `"20/s"`, `"600/min"`.
    Requests(String),
    Table {
        #[serde(default)]
        requests_per_second: Option<f64>,
        #[serde(default)]
        chars_per_minute: Option<u64>,
    },
}

/// Builds the backend a workflow names, checking its configuration (and that its API key variable is
/// set) before anything is sent. The error is one line naming the backend and the key at fault.
pub fn build(config: &BackendConfig, tm: Arc<dyn TmSource>) -> Result<Arc<dyn Translator>, ConfigError> {
    match config.kind {
        BackendKind::Memory => Ok(Arc::new(MemoryTranslator::new(tm))),
        BackendKind::Pseudo => Ok(Arc::new(PseudoTranslator)),
        _ => {
            let vendor = vendors::build(config)?;
            Ok(Arc::new(Governed::try_new(vendor, config)?))
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::collections::HashMap;

    struct MapTm(HashMap<String, String>);

    #[async_trait]
    impl TmSource for MapTm {
        async fn exact(&self, _: Lang, _: Lang, texts: &[String]) -> Result<Vec<Option<String>>, TmError> {
            Ok(texts.iter().map(|t| self.0.get(t).cloned()).collect())
        }
    }

    #[tokio::test]
    async fn memory_fills_exact_matches_and_leaves_the_rest_empty() {
        let tm = MapTm(HashMap::from([("The parties met.".to_string(), "Тараптар кездесті.".to_string())]));
        let t = MemoryTranslator::new(Arc::new(tm));
        let req = MtRequest {
            source: Lang::En,
            target: Lang::Kk,
            segments: vec![
                MtSegment { idx: 0, text: "The parties met.".into(), terms: vec![] },
                MtSegment { idx: 1, text: "Something new.".into(), terms: vec![] },
            ],
        };
        let out = t.translate(&req).await.unwrap();
        assert_eq!(out[0].text.as_deref(), Some("Тараптар кездесті."));
        assert_eq!(out[0].origin, SuggestionOrigin::Memory);
        assert_eq!(
            out[1],
            MtOutput { idx: 1, text: None, origin: SuggestionOrigin::None, error: None, backend: None, model: None }
        );
    }

    struct BrokenTm;

    #[async_trait]
    impl TmSource for BrokenTm {
        async fn exact(&self, _: Lang, _: Lang, _: &[String]) -> Result<Vec<Option<String>>, TmError> {
            Err(TmError::new(std::io::Error::other("disk on fire")))
        }
    }

    #[tokio::test]
    async fn a_failing_memory_keeps_its_cause_and_is_a_temporary_failure() {
        let e = BrokenTm.exact(Lang::En, Lang::Kk, &[]).await.unwrap_err();
        assert_eq!(e.to_string(), "disk on fire");
        let source = std::error::Error::source(&e).expect("the store's error is the source");
        assert!(source.is::<std::io::Error>(), "{source:?}");
        let t = MemoryTranslator::new(Arc::new(BrokenTm));
        let req = MtRequest { source: Lang::En, target: Lang::Kk, segments: vec![] };
        assert_eq!(
            t.translate(&req).await.unwrap_err(),
            MtError::Transient { backend: "memory".into(), message: "disk on fire".into() }
        );
    }

    #[test]
    fn an_unset_key_variable_is_named() {
        let mut c = BackendConfig::of(BackendKind::Openai);
        c.api_key_env = Some("AUDARMA_T_LIB_NEVER_SET".into());
        match c.api_key() {
            Err(ConfigError::KeyNotSet { kind: BackendKind::Openai, var }) => {
                assert_eq!(var, "AUDARMA_T_LIB_NEVER_SET")
            }
            other => panic!("{other:?}"),
        }
        c.api_key_env = None;
        assert!(matches!(c.api_key(), Ok(None)));
    }
}
