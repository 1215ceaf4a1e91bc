//! DeepL API v2 text translation (`POST /v2/translate`, JSON).
//!
//! - Host: `https://api-free.deepl.com` for Free keys (ending in `:fx`), else `https://api.deepl.com`;
//!   `base_url` overrides both.
//! - Auth: `Authorization: DeepL-Auth-Key <key>` (the key in the body or query is deprecated).
//! - Body: `{text:[…], source_lang, target_lang, show_billed_characters:true}`. Languages are upper
//!   case (`EN`, `RU`, `KK`); an English *target* is always `EN-GB` (plain `EN` is deprecated as a
//!   target; British spelling is the house style for English releases).
//! - Limits: 50 texts and 128 KiB of body per request; we keep the texts to 120,000 bytes so the JSON
//!   around them fits.
//! - Glossaries: DeepL only has stored glossaries (none for `kk`). Creating them is not implemented
//!   yet, so [`Deepl::glossary`] reports [`GlossarySupport::None`] for every pair; terms are then
//!   enforced by the policy's verification only.
//! - Errors (`{message, code?, detail?}`): 429, 529 and 5xx are retryable (`Retry-After` is read when
//!   present although DeepL does not document it), 456 is the quota, 403 is authentication, other 4xx
//!   are fatal.
//!
//! **UNCONFIRMED** (mt-backends.md): whether `kk` rejects or ignores `tag_handling`/glossaries. We send
//! neither, so it cannot matter here.

use super::common::{self, Secret};
use crate::{BackendConfig, CallError, GlossarySupport, Limits, Vendor, VendorRequest, VendorResponse};
use async_trait::async_trait;
use audarma_core::Lang;
use serde::Deserialize;

const PRO: &str = "https://api.deepl.com";
const FREE: &str = "https://api-free.deepl.com";

#[derive(Debug)]
pub struct Deepl {
    client: reqwest::Client,
    base: String,
    key: Secret,
}

impl Deepl {
    pub fn new(config: &BackendConfig) -> Result<Self, String> {
        common::only(config, &["base_url", "api_key_env"])?;
        let key = common::required_key(config)?;
        let default = if key.expose().ends_with(":fx") { FREE } else { PRO };
        let base = common::base_url(config, Some(default))?;
        common::check_header(config, &key, "DeepL-Auth-Key ")?;
        Ok(Deepl { client: common::client(config)?, base, key })
    }

    async fn send(&self, request: &VendorRequest) -> Result<VendorResponse, CallError> {
        let body = serde_json::json!({
            "text": request.texts,
            "source_lang": source_code(request.source),
            "target_lang": target_code(request.target),
            "show_billed_characters": true,
        });
        let reply = common::send(
            self.client
                .post(format!("{}/v2/translate", self.base))
                .header(reqwest::header::AUTHORIZATION, self.key.header("DeepL-Auth-Key ")?)
                .json(&body),
        )
        .await?;
        if !reply.status.is_success() {
            return Err(error(&reply));
        }
        let parsed: Reply = common::parse(&reply.body)?;
        common::check_count(parsed.translations.len(), request.texts.len())?;
        let billed =
            parsed.translations.iter().map(|t| t.billed_characters).try_fold(0u64, |acc, b| b.map(|b| acc + b));
        Ok(VendorResponse {
            texts: parsed.translations.into_iter().map(|t| t.text).collect(),
            billed_chars: billed,
            tokens: None,
        })
    }
}

/// `EN`, `RU`, `KK`.
pub fn source_code(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "EN",
        Lang::Kk => "KK",
        Lang::Ru => "RU",
    }
}

/// `EN-GB`, `RU`, `KK`.
pub fn target_code(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "EN-GB",
        Lang::Kk => "KK",
        Lang::Ru => "RU",
    }
}

#[derive(Deserialize)]
struct Reply {
    translations: Vec<Translation>,
}

#[derive(Deserialize)]
struct Translation {
    text: String,
    #[serde(default)]
    billed_characters: Option<u64>,
}

#[derive(Deserialize, Default)]
struct ErrorBody {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    detail: Option<String>,
}

fn error(reply: &common::Reply) -> CallError {
    let body: ErrorBody = serde_json::from_str(&reply.body).unwrap_or_default();
    let message = match (body.message, body.detail) {
        (Some(m), Some(d)) => Some(format!("{m} ({d})")),
        (m, d) => m.or(d),
    };
    let message = common::http_message(reply.status, message.as_deref(), &reply.body);
    match reply.status.as_u16() {
        456 => CallError::Quota { message: format!("quota exceeded: {message}") },
        429 | 529 => CallError::Retryable { message, retry_after: common::retry_after(&reply.headers) },
        403 => CallError::Fatal { message: format!("authentication failed: {message}") },
        _ => common::by_status(reply.status, &reply.headers, message),
    }
}

#[async_trait]
impl Vendor for Deepl {
    fn name(&self) -> &str {
        "deepl"
    }

    fn limits(&self) -> Limits {
        Limits { max_segments: 50, max_chars: 120_000, max_bytes: 120_000 }
    }

    fn supports(&self, source: Lang, target: Lang) -> bool {
        source != target
    }

    fn glossary(&self, _source: Lang, _target: Lang) -> GlossarySupport {
        // Stored glossaries exist for en↔ru, but creating them is not implemented yet (see module docs).
        GlossarySupport::None
    }

    async fn call(&self, request: &VendorRequest) -> Result<VendorResponse, CallError> {
        self.send(request).await.map_err(|e| common::redact_error(Some(&self.key), e))
    }
}
