//! LibreTranslate (`POST {base}/translate`, JSON), usually self-hosted: `base_url` is required.
//!
//! - Body: `{q:[…], source, target, format:"text", api_key?}` (the key, when configured, goes in the
//!   body: that is the only place LibreTranslate reads it).
//! - Response: `translatedText`, an array for an array `q` (a single string is accepted too, for
//!   servers that answer one text with a string).
//! - No Kazakh model exists in the official Argos index: [`Libretranslate::supports`] is false for any
//!   pair with `kk`. No glossary.
//! - Errors `{"error":"…"}`: 429 ("Slowdown") and 5xx are retryable, 403 (invalid key, banned) is an
//!   authentication failure, 400 (missing field, unsupported pair, over a limit) is fatal.
//! - Limits are set by the operator (unlimited by default); we keep requests modest — 25 texts and
//!   5,000 characters — because self-hosted servers translate on CPU and the timeout covers the whole
//!   batch.

use super::common::{self, Secret};
use crate::{BackendConfig, CallError, ConfigError, Limits, Vendor, VendorRequest, VendorResponse};
use async_trait::async_trait;
use audarma_core::Lang;
use serde::Deserialize;
use serde_json::json;

#[derive(Debug)]
pub struct Libretranslate {
    client: reqwest::Client,
    base: String,
    key: Option<Secret>,
}

impl Libretranslate {
    pub fn new(config: &BackendConfig) -> Result<Self, ConfigError> {
        common::only(config, &["base_url", "api_key_env"])?;
        let base = common::base_url(config, None)?;
        let key = common::optional_key(config)?;
        Ok(Libretranslate { client: common::client(config)?, base, key })
    }

    async fn send(&self, request: &VendorRequest) -> Result<VendorResponse, CallError> {
        let mut body = json!({
            "q": request.texts,
            "source": request.source.code(),
            "target": request.target.code(),
            "format": "text",
        });
        if let Some(k) = &self.key {
            body["api_key"] = json!(k.expose());
        }
        let reply = common::send(self.client.post(format!("{}/translate", self.base)).json(&body)).await?;
        if !reply.status.is_success() {
            return Err(error(&reply));
        }
        let parsed: Reply = common::parse(&reply.body)?;
        let texts = match parsed.translated_text {
            Translated::Many(v) => v,
            Translated::One(s) => vec![s],
        };
        common::check_count(texts.len(), request.texts.len())?;
        Ok(VendorResponse { texts, billed_chars: None, tokens: None })
    }
}

#[derive(Deserialize)]
struct Reply {
    #[serde(rename = "translatedText")]
    translated_text: Translated,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Translated {
    Many(Vec<String>),
    One(String),
}

#[derive(Deserialize, Default)]
struct ErrorBody {
    #[serde(default)]
    error: Option<String>,
}

fn error(reply: &common::Reply) -> CallError {
    let body: ErrorBody = serde_json::from_str(&reply.body).unwrap_or_default();
    let message = common::http_message(reply.status, body.error.as_deref(), &reply.body);
    common::by_status(reply.status, &reply.headers, message)
}

#[async_trait]
impl Vendor for Libretranslate {
    fn name(&self) -> &str {
        "libretranslate"
    }

    fn limits(&self) -> Limits {
        Limits { max_segments: 25, max_chars: 5_000, max_bytes: 20_000 }
    }

    fn supports(&self, source: Lang, target: Lang) -> bool {
        source != target && source != Lang::Kk && target != Lang::Kk
    }

    async fn call(&self, request: &VendorRequest) -> Result<VendorResponse, CallError> {
        self.send(request).await.map_err(|e| common::redact_error(self.key.as_ref(), e))
    }
}
