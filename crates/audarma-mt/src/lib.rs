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

mod pseudo;

use async_trait::async_trait;
use audarma_core::{Lang, SuggestionOrigin};
pub use audarma_glossary::TermHint;
pub use pseudo::PseudoTranslator;
use std::sync::Arc;

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

    /// Whether this backend translates `source → target`.
    fn supports(&self, source: Lang, target: Lang) -> bool {
        source != target
    }

    async fn translate(&self, request: &MtRequest) -> Result<Vec<MtOutput>, MtError>;
}

/// Exact translation-memory lookups, as the store provides them.
#[async_trait]
pub trait TmSource: Send + Sync {
    /// One answer per text, in order.
    async fn exact(&self, source: Lang, target: Lang, texts: &[String]) -> Result<Vec<Option<String>>, String>;
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

    async fn translate(&self, request: &MtRequest) -> Result<Vec<MtOutput>, MtError> {
        let texts: Vec<String> = request.segments.iter().map(|s| s.text.clone()).collect();
        let found = self
            .tm
            .exact(request.source, request.target, &texts)
            .await
            .map_err(|message| MtError::Transient { backend: "memory".into(), message })?;
        Ok(request
            .segments
            .iter()
            .zip(found)
            .map(|(s, t)| MtOutput {
                idx: s.idx,
                origin: if t.is_some() { SuggestionOrigin::Memory } else { SuggestionOrigin::None },
                text: t,
            })
            .collect())
    }
}

/// The backend kinds a workflow can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BackendKind {
    Memory,
    Pseudo,
}

/// The `[backend]` table of a workflow.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct BackendConfig {
    pub kind: BackendKind,
}

/// Builds the backend a workflow names.
pub fn build(config: &BackendConfig, tm: Arc<dyn TmSource>) -> Arc<dyn Translator> {
    match config.kind {
        BackendKind::Memory => Arc::new(MemoryTranslator::new(tm)),
        BackendKind::Pseudo => Arc::new(PseudoTranslator),
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
        async fn exact(&self, _: Lang, _: Lang, texts: &[String]) -> Result<Vec<Option<String>>, String> {
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
        assert_eq!(out[1], MtOutput { idx: 1, text: None, origin: SuggestionOrigin::None });
    }
}
