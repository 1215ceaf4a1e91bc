//! Yandex Cloud Translate API v2 (`POST /translate/v2/translate`, camelCase JSON).
//!
//! - Host: `https://translate.api.cloud.yandex.net` (`base_url` overrides it).
//! - Auth: `Authorization: Api-Key <key>` (`auth = "api-key"`, the default: a service-account key) or
//!   `Authorization: Bearer <token>` (`auth = "iam"`: the variable holds an IAM token).
//! - `folder_id` is sent as `folderId`. It is required with `auth = "iam"` (user accounts need it);
//!   with an API key it is optional, since the proto says to leave it out for service accounts while
//!   newer docs send it anyway.
//! - Body: `{texts, targetLanguageCode, sourceLanguageCode, format:"PLAIN_TEXT", folderId?, model?,
//!   glossaryConfig?}`; at most 10,000 characters in total per request.
//! - Glossary (inline, the neuroglossary inflects terms): `glossaryConfig.glossaryData.glossaryPairs`
//!   `[{sourceText, translatedText, exact:false}]`, only for the pairs Yandex lists (ru-kk, kk-ru,
//!   en-ru, ru-en; not en-kk or kk-en). At most 50 pairs and 10,000 characters of source terms and of
//!   target terms: terms are taken **first come** (the batch's order), a term that would overflow a
//!   budget is skipped (a shorter later one may still fit), duplicates and `dnt` terms are skipped,
//!   and only the preferred target is sent (not the accepted alternatives).
//! - Errors: the body is a google.rpc.Status `{code, message, details}` whose `code` is a **gRPC**
//!   code: 8 RESOURCE_EXHAUSTED, 14 UNAVAILABLE, 13 INTERNAL and 4 DEADLINE_EXCEEDED are retryable,
//!   16 UNAUTHENTICATED and 7 PERMISSION_DENIED are authentication failures, 3 INVALID_ARGUMENT and
//!   the rest fatal. Without a parsable code the HTTP status decides (429/5xx retryable).
//!   `Retry-After` is not documented; it is read when present.
//!
//! **UNCONFIRMED**: the maximum number of texts per request (none documented; we send at most 100).

use super::common::{self, Secret};
use crate::{
    BackendConfig, CallError, ConfigError, GlossarySupport, Limits, TermHint, Vendor, VendorRequest, VendorResponse,
};
use async_trait::async_trait;
use audarma_core::Lang;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashSet;

const DEFAULT_BASE: &str = "https://translate.api.cloud.yandex.net";
/// Glossary pairs per request.
pub const MAX_GLOSSARY_PAIRS: usize = 50;
/// Characters of all source terms, and of all target terms, per request.
pub const MAX_GLOSSARY_CHARS: usize = 10_000;

#[derive(Debug)]
pub struct Yandex {
    client: reqwest::Client,
    base: String,
    key: Secret,
    iam: bool,
    folder_id: Option<String>,
    model: Option<String>,
}

impl Yandex {
    pub fn new(config: &BackendConfig) -> Result<Self, ConfigError> {
        common::only(config, &["base_url", "api_key_env", "model", "folder_id", "auth", "api_version"])?;
        let iam = match config.auth.as_deref().map(str::trim) {
            None | Some("api-key") => false,
            Some("iam") => true,
            Some(_) => return Err(common::invalid(config, "auth", "must be \"api-key\" or \"iam\"")),
        };
        let folder_id = common::non_empty(config, "folder_id", &config.folder_id)?;
        if iam && folder_id.is_none() {
            return Err(common::required(config, "folder_id"));
        }
        let model = common::non_empty(config, "model", &config.model)?;
        let key = common::required_key(config)?;
        common::check_header(config, &key, "Api-Key ")?;
        let base = common::base_url(config, Some(DEFAULT_BASE))?;
        Ok(Yandex { client: common::client(config)?, base, key, iam, folder_id, model })
    }

    /// The request body for one batch.
    pub fn body(&self, request: &VendorRequest) -> Value {
        let mut body = json!({
            "texts": request.texts,
            "targetLanguageCode": request.target.code(),
            "sourceLanguageCode": request.source.code(),
            "format": "PLAIN_TEXT",
        });
        if let Some(f) = &self.folder_id {
            body["folderId"] = json!(f);
        }
        if let Some(m) = &self.model {
            body["model"] = json!(m);
        }
        if glossary_pair(request.source, request.target) {
            let pairs = glossary_pairs(&request.terms);
            if !pairs.is_empty() {
                body["glossaryConfig"] = json!({"glossaryData": {"glossaryPairs": pairs}});
            }
        }
        body
    }

    async fn send(&self, request: &VendorRequest) -> Result<VendorResponse, CallError> {
        let auth = if self.iam { self.key.header("Bearer ")? } else { self.key.header("Api-Key ")? };
        let reply = common::send(
            self.client
                .post(format!("{}/translate/v2/translate", self.base))
                .header(reqwest::header::AUTHORIZATION, auth)
                .json(&self.body(request)),
        )
        .await?;
        if !reply.status.is_success() {
            return Err(error(&reply));
        }
        let parsed: Reply = common::parse(&reply.body)?;
        common::check_count(parsed.translations.len(), request.texts.len())?;
        Ok(VendorResponse {
            texts: parsed.translations.into_iter().map(|t| t.text).collect(),
            billed_chars: None,
            tokens: None,
        })
    }
}

/// The pairs Yandex's glossaries support among ours.
pub fn glossary_pair(source: Lang, target: Lang) -> bool {
    matches!(
        (source, target),
        (Lang::Ru, Lang::Kk) | (Lang::Kk, Lang::Ru) | (Lang::En, Lang::Ru) | (Lang::Ru, Lang::En)
    )
}

/// `glossaryPairs` for the batch's terms, within the documented limits (see the module docs).
pub fn glossary_pairs(terms: &[TermHint]) -> Vec<Value> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let (mut source_chars, mut target_chars) = (0usize, 0usize);
    for t in terms {
        if out.len() == MAX_GLOSSARY_PAIRS {
            break;
        }
        let (s, g) = (t.source.trim(), t.target.trim());
        if t.dnt || s.is_empty() || g.is_empty() || !seen.insert((s.to_string(), g.to_string())) {
            continue;
        }
        let (sc, gc) = (s.chars().count(), g.chars().count());
        if source_chars + sc > MAX_GLOSSARY_CHARS || target_chars + gc > MAX_GLOSSARY_CHARS {
            continue;
        }
        source_chars += sc;
        target_chars += gc;
        out.push(json!({"sourceText": s, "translatedText": g, "exact": false}));
    }
    out
}

#[derive(Deserialize)]
struct Reply {
    #[serde(default)]
    translations: Vec<Translation>,
}

#[derive(Deserialize)]
struct Translation {
    #[serde(default)]
    text: String,
}

#[derive(Deserialize, Default)]
struct Status {
    #[serde(default)]
    code: Option<i64>,
    #[serde(default)]
    message: Option<String>,
}

fn error(reply: &common::Reply) -> CallError {
    let status: Status = serde_json::from_str(&reply.body).unwrap_or_default();
    let message = common::http_message(reply.status, status.message.as_deref(), &reply.body);
    let retry_after = common::retry_after(&reply.headers);
    match status.code {
        Some(8) => CallError::Retryable { message: format!("RESOURCE_EXHAUSTED: {message}"), retry_after },
        Some(14) => CallError::Retryable { message: format!("UNAVAILABLE: {message}"), retry_after },
        Some(13) => CallError::Retryable { message: format!("INTERNAL: {message}"), retry_after },
        Some(4) => CallError::Retryable { message: format!("DEADLINE_EXCEEDED: {message}"), retry_after },
        Some(16) => CallError::Fatal { message: format!("authentication failed (UNAUTHENTICATED): {message}") },
        Some(7) => CallError::Fatal { message: format!("authentication failed (PERMISSION_DENIED): {message}") },
        Some(3) => CallError::Fatal { message: format!("INVALID_ARGUMENT: {message}") },
        _ => common::by_status(reply.status, &reply.headers, message),
    }
}

#[async_trait]
impl Vendor for Yandex {
    fn name(&self) -> &str {
        "yandex"
    }

    fn model(&self) -> Option<&str> {
        self.model.as_deref()
    }

    fn limits(&self) -> Limits {
        Limits { max_segments: 100, max_chars: 10_000, max_bytes: 40_000 }
    }

    fn supports(&self, source: Lang, target: Lang) -> bool {
        source != target
    }

    fn glossary(&self, source: Lang, target: Lang) -> GlossarySupport {
        if glossary_pair(source, target) {
            GlossarySupport::Inline
        } else {
            GlossarySupport::None
        }
    }

    async fn call(&self, request: &VendorRequest) -> Result<VendorResponse, CallError> {
        self.send(request).await.map_err(|e| common::redact_error(Some(&self.key), e))
    }
}
