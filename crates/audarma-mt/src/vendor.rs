//! The seam between audarma's call policy and one vendor's wire protocol.
//!
//! A [`Vendor`] knows one API: how to turn a batch into a request, and a response or an error body
//! into texts or a [`CallError`]. It does not retry, throttle, batch, protect placeholders or
//! validate: [`crate::Governed`] does that once for every vendor.

use crate::TermHint;
use async_trait::async_trait;
use audarma_core::Lang;
use std::time::Duration;

/// What one request to a vendor may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Texts per request.
    pub max_segments: usize,
    /// Characters (Unicode code points) per request, summed over the texts.
    pub max_chars: usize,
    /// Bytes of the request's texts (UTF-8), summed.
    pub max_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_segments: 50, max_chars: 30_000, max_bytes: 100 * 1024 }
    }
}

/// How a vendor can be told about glossary terms for one language pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlossarySupport {
    /// Not at all: `dnt` terms are still protected with placeholders.
    None,
    /// Inline with each request (Yandex `glossaryConfig`).
    Inline,
    /// In the prompt (LLMs).
    Prompt,
    /// A glossary stored at the vendor, referred to by id (DeepL, Google v3).
    Stored,
}

/// One batch as a vendor receives it: texts already protected (placeholders `⟦1⟧` for `dnt` terms)
/// and the glossary terms found in the batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorRequest {
    pub source: Lang,
    pub target: Lang,
    pub texts: Vec<String>,
    /// Distinct terms of the batch (not `dnt` ones), for inline glossaries and prompts.
    pub terms: Vec<TermHint>,
    /// Set on the second attempt at segments whose first translation failed validation: the
    /// violations, one per text, for vendors that can be told (LLM repair round).
    pub repair: Option<Vec<String>>,
}

impl VendorRequest {
    pub fn chars(&self) -> usize {
        self.texts.iter().map(|t| t.chars().count()).sum()
    }
}

/// A vendor's answer: one text per request text, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VendorResponse {
    pub texts: Vec<String>,
    /// Characters the vendor bills for, when it says (else the request's characters are counted).
    pub billed_chars: Option<u64>,
    /// LLM token usage (prompt, completion), when the vendor reports it.
    pub tokens: Option<(u64, u64)>,
}

/// Why a call failed, as the policy needs to know it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// Try again later: 429, 5xx, timeouts, connection errors. `retry_after` when the server said.
    #[error("{message}")]
    Retryable { message: String, retry_after: Option<Duration> },
    /// The quota or budget is used up (DeepL 456, OpenAI `insufficient_quota`): stop the run.
    #[error("{message}")]
    Quota { message: String },
    /// Will fail the same way again: bad request, authentication, unsupported pair.
    #[error("{message}")]
    Fatal { message: String },
    /// The response did not have the documented shape (malformed JSON, wrong count).
    #[error("{message}")]
    Malformed { message: String },
}

/// One vendor's wire protocol.
#[async_trait]
pub trait Vendor: Send + Sync {
    /// The backend's name (`deepl`, `yandex`, …), stored beside each suggestion and in usage.
    fn name(&self) -> &str;

    /// The model, where the vendor has one (part of the translation cache key).
    fn model(&self) -> Option<&str> {
        None
    }

    fn limits(&self) -> Limits {
        Limits::default()
    }

    fn supports(&self, source: Lang, target: Lang) -> bool;

    fn glossary(&self, _source: Lang, _target: Lang) -> GlossarySupport {
        GlossarySupport::None
    }

    /// Sends one batch. Never logs or returns the API key.
    async fn call(&self, request: &VendorRequest) -> Result<VendorResponse, CallError>;

    /// Makes the glossary of one pair available at the vendor before a run (stored glossaries):
    /// `entries` are (source term, target term). Called once per run, never per request.
    async fn prepare_glossary(
        &self,
        _source: Lang,
        _target: Lang,
        _entries: &[(String, String)],
    ) -> Result<(), CallError> {
        Ok(())
    }
}
